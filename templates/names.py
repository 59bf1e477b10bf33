"""The template's parameter and output names: the deploy side imports these, never spells them."""

from __future__ import annotations

# Parameters
TASK_CPU = "TaskCpu"
TASK_MEMORY = "TaskMemory"
DESIRED_COUNT = "DesiredCount"
VPC_ID = "VpcId"
SUBNETS = "Subnets"
HOSTED_ZONE_ID = "HostedZoneId"  # only with [load_balancer] hosted_zone (a zone name)

# Outputs
CLUSTER_NAME_OUTPUT = "ClusterName"
TASK_DEFINITION_ARN_OUTPUT = "TaskDefinitionArn"
TASK_ROLE_ARN_OUTPUT = "TaskRoleArn"
SERVICE_URL_OUTPUT = "ServiceUrl"
SERVICE_NAME_OUTPUT = "ServiceName"
LOG_GROUP_NAME_OUTPUT = "LogGroupName"
REPOSITORY_URI_OUTPUT = "RepositoryUri"
# Template Metadata: parameters deploy.py fills by a lookup, e.g. {"HostedZoneId": {"HostedZoneName": "example.com"}}
LOOKUP_METADATA = "ContainerInfra::Lookups"
