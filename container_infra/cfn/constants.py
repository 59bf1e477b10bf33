"""CloudFormation facts the tools rely on, each written down once."""

from __future__ import annotations

from typing import Any

# Stack statuses.
TERMINAL_STATUSES = frozenset(
    {
        "CREATE_COMPLETE",
        "CREATE_FAILED",
        "ROLLBACK_COMPLETE",
        "ROLLBACK_FAILED",
        "UPDATE_COMPLETE",
        "UPDATE_ROLLBACK_COMPLETE",
        "UPDATE_ROLLBACK_FAILED",
        "UPDATE_FAILED",
        "DELETE_COMPLETE",
        "DELETE_FAILED",
        "IMPORT_COMPLETE",
        "IMPORT_ROLLBACK_COMPLETE",
        "IMPORT_ROLLBACK_FAILED",
    }
)
SUCCESS_STATUSES = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"})
# A resource that has reached its goal (progress counts it as done).
RESOURCE_DONE_STATUSES = SUCCESS_STATUSES | {"DELETE_SKIPPED"}
REVIEW_IN_PROGRESS = "REVIEW_IN_PROGRESS"
DELETE_COMPLETE = "DELETE_COMPLETE"  # a deleted stack, as DescribeStacks by its ID shows it
ROLLBACK_COMPLETE = "ROLLBACK_COMPLETE"
STACK_TYPE = "AWS::CloudFormation::Stack"


def is_busy(status: str) -> bool:
    """Another operation runs on the stack (a stack under review is not busy: it waits for us)."""
    return status.endswith("_IN_PROGRESS") and status != REVIEW_IN_PROGRESS


def has_settled(status: str) -> bool:
    """No operation in progress: the stack's status is final until the next one."""
    return not status.endswith("_IN_PROGRESS")


# Resource attributes.
RETAINING_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")  # DeletionPolicy values that keep the resource


def is_retained(resource: dict[str, Any]) -> bool:
    return str(resource.get("DeletionPolicy", "Delete")) in RETAINING_POLICIES


# Resource types whose replacement or deletion loses data.
STATEFUL_TYPES = frozenset(
    {
        "AWS::Logs::LogGroup",
        "AWS::ECR::Repository",
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::EFS::FileSystem",
    }
)

# Parameters.
VPC_PARAMETER_TYPE = "AWS::EC2::VPC::Id"
SUBNETS_PARAMETER_TYPE = "List<AWS::EC2::Subnet::Id>"
HOSTED_ZONE_PARAMETER_TYPE = "AWS::Route53::HostedZone::Id"
SECRET_MASK = "****"


def is_secret(spec: dict[str, Any]) -> bool:
    """A NoEcho parameter: its value is never shown, and CloudFormation reports it as ****."""
    return str(spec.get("NoEcho", "false")).lower() == "true"


def is_list_type(spec: dict[str, Any]) -> bool:
    kind = str(spec.get("Type", ""))
    return kind.startswith("List<") or kind == "CommaDelimitedList"


# Change sets.
NO_CHANGES_PHRASES = ("didn't contain changes", "No updates are to be performed", "does not contain any changes")
NAMED_IAM_PROPERTIES = ("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName")

# Limits.
MAX_BODY_BYTES = 51_200  # a TemplateBody; larger goes through S3
MAX_URL_TEMPLATE_BYTES = 1_048_576  # a template in S3

# Resource types the tools look at.
ECS_SERVICE_TYPE = "AWS::ECS::Service"
LOAD_BALANCER_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"
