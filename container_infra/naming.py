"""The template's names: logical IDs derived from the config's names, and the parameter and output names that
deploy.py reads back (it imports these, never spells them).

A logical ID is the resource's identity to CloudFormation: a changed ID replaces the resource. IDs are therefore a
pure function of names. CloudFormation allows 255 characters, and the config allows names as long as ECS and ECR do
(255, 256): a name whose PascalCase form would leave no room for the longest suffix the templates add is shortened,
as CDK does, to a prefix and a hash of the whole name. Names of ordinary length never change.
"""

from __future__ import annotations

import hashlib
import re

# Parameters
TASK_CPU = "TaskCpu"
TASK_MEMORY = "TaskMemory"
DESIRED_COUNT = "DesiredCount"
VPC_ID = "VpcId"
LOAD_BALANCER_SUBNETS = "LoadBalancerSubnets"
TASK_SUBNETS = "TaskSubnets"
HOSTED_ZONE_ID = "HostedZoneId"  # only with [load_balancer] hosted_zone (a zone name)

# Outputs
CLUSTER_NAME_OUTPUT = "ClusterName"
TASK_DEFINITION_ARN_OUTPUT = "TaskDefinitionArn"
TASK_ROLE_ARN_OUTPUT = "TaskRoleArn"
SERVICE_URL_OUTPUT = "ServiceUrl"
LOAD_BALANCER_DNS_NAME_OUTPUT = "LoadBalancerDnsName"
SERVICE_NAME_OUTPUT = "ServiceName"
TASK_SECURITY_GROUP_OUTPUT = "TaskSecurityGroupId"
LOG_GROUP_NAME_OUTPUT = "LogGroupName"
REPOSITORY_URI_OUTPUT = "RepositoryUri"

# Template Metadata: parameters deploy.py fills by a lookup, e.g. {"HostedZoneId": {"HostedZoneName": "example.com"}}
LOOKUP_METADATA = "ContainerInfra::Lookups"

MAX_LOGICAL_ID = 255  # CloudFormation's limit (cfn-lint E3001 and E2011; troposphere refuses longer titles)
# cfn-lint remarks on IDs past 90% of the limit (I3012): stay under that with the longest suffix the templates add.
QUIET_LOGICAL_ID = int(MAX_LOGICAL_ID * 0.9)
LONGEST_SUFFIX = len("ServiceIngressFromLoadBalancer")
MAX_BASE = QUIET_LOGICAL_ID - LONGEST_SUFFIX
HASH_LENGTH = 8
_WORD = re.compile(r"[A-Za-z0-9]+")


def pascal(name: str) -> str:
    """`my-test-cluster` -> `MyTestCluster`; `hello_app.v2` -> `HelloAppV2`; at most MAX_BASE characters."""
    base = "".join(word[:1].upper() + word[1:] for word in _WORD.findall(name))
    return base if len(base) <= MAX_BASE else base[: MAX_BASE - HASH_LENGTH] + _stable_hash(name).upper()


def _stable_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def image_parameter_id(container_name: str) -> str:
    """The template parameter that carries a container's image: `web` -> `WebImage`."""
    return f"{pascal(container_name)}Image"


def with_suffix(name: str, suffix: str) -> str:
    """`my-test-cluster` + Cluster -> `MyTestCluster`; `shop` + Cluster -> `ShopCluster`."""
    base = pascal(name)
    return base if base.endswith(suffix) else base + suffix


def within(text: str, limit: int, name: str) -> str:
    """`text` (which contains `name` once) at most `limit` characters, by shortening the name to fit, with '...'."""
    excess = len(text) - limit
    if excess <= 0:
        return text
    return text.replace(name, name[: max(len(name) - excess - 3, 0)] + "...", 1)
