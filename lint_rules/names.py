"""Names: a retained resource with a fixed name (W9002), and names longer than the service allows (E9005)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from cfnlint.rules import CloudFormationLintRule, RuleMatch

RETAINING = ("Retain", "RetainExceptOnCreate")
# Resource types whose name must be unique in the account and Region, and whose create fails when it is taken.
NAME_PROPERTIES = {
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::KMS::Alias": "AliasName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::Kinesis::Stream": "Name",
    "AWS::RDS::DBInstance": "DBInstanceIdentifier",
    "AWS::RDS::DBCluster": "DBClusterIdentifier",
}


class RetainedNamedResource(CloudFormationLintRule):
    id = "W9002"
    shortdesc = "Retained resource with a fixed name"
    description = (
        "A resource kept on stack deletion (DeletionPolicy Retain or RetainExceptOnCreate) that also has a "
        "fixed name stays behind under that name: the next create of the stack, or a second stack in the same "
        "account and Region, then fails because the name is taken. Let CloudFormation name it."
    )
    source_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html"
    tags = ["resources", "deletionpolicy", "names"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(list(NAME_PROPERTIES)).items():
            policy = resource.get("DeletionPolicy")
            properties = resource.get("Properties")
            key = NAME_PROPERTIES[resource["Type"]]
            if policy not in RETAINING or not isinstance(properties, dict) or not _is_set(properties.get(key)):
                continue
            matches.append(
                RuleMatch(
                    ["Resources", name, "Properties", key],
                    f"{resource['Type']} {name} has DeletionPolicy {policy} and a fixed {key}: the retained resource "
                    "keeps the "
                    f"name, so the next create (after a delete, or in a second stack) fails; leave {key} out",
                )
            )
        return matches


def _is_set(value: Any) -> bool:
    return value is not None and value != {"Ref": "AWS::NoValue"}


class Limit(NamedTuple):
    resource_type: str
    path: tuple[str, ...]  # "*" walks every item of a list
    max_length: int
    pattern: re.Pattern[str]
    rule: str


ECS_NAME = re.compile(r"[A-Za-z0-9_-]+")
ELB_NAME = re.compile(r"(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
ECS_RULE = (
    "letters, digits, '_' and '-', at most 255 (ECS API reference: CreateCluster, CreateService, "
    "RegisterTaskDefinition)"
)
ELB_RULE = (
    "letters, digits and '-', not at either end, not starting with 'internal-', at most 32 "
    "(Elastic Load Balancing API reference: CreateLoadBalancer, CreateTargetGroup)"
)
ACM_DOMAIN = re.compile(r"(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}\.?")
ACM_RULE = (
    "a DNS name (optionally '*.' first), at most 64 characters: ACM puts it in the certificate's Common Name "
    "(ACM API reference: RequestCertificate, DomainName)"
)
# Only what cfn-lint's own schemas leave unchecked: LogGroupName (512), RepositoryName (256), BucketName, RoleName,
# PolicyName and logical IDs (255: E3001, E2011, E6011) are already validated by cfn-lint.
LIMITS = (
    Limit("AWS::ECS::TaskDefinition", ("Family",), 255, ECS_NAME, ECS_RULE),
    Limit("AWS::ECS::TaskDefinition", ("ContainerDefinitions", "*", "Name"), 255, ECS_NAME, ECS_RULE),
    Limit("AWS::ECS::Service", ("ServiceName",), 255, ECS_NAME, ECS_RULE),
    Limit("AWS::ECS::Cluster", ("ClusterName",), 255, ECS_NAME, ECS_RULE),
    Limit("AWS::ElasticLoadBalancingV2::LoadBalancer", ("Name",), 32, ELB_NAME, ELB_RULE),
    Limit("AWS::ElasticLoadBalancingV2::TargetGroup", ("Name",), 32, ELB_NAME, ELB_RULE),
    Limit("AWS::CertificateManager::Certificate", ("DomainName",), 64, ACM_DOMAIN, ACM_RULE),
)


class NameLimits(CloudFormationLintRule):
    id = "E9005"
    shortdesc = "Names within what the service allows"
    description = (
        "ECS family, container, service and cluster names (255; letters, digits, '_', '-'), load balancer "
        "and target group names (32; letters, digits, '-') and an ACM certificate's DomainName (64) that "
        "cfn-lint's schemas do not check"
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
    tags = ["resources", "names", "ecs", "elasticloadbalancingv2", "certificatemanager"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for limit in LIMITS:
            for name, resource in cfn.get_resources(limit.resource_type).items():
                for path, value in _values(resource.get("Properties"), limit.path, ["Resources", name, "Properties"]):
                    problem = _problem(value, limit)
                    if problem:
                        matches.append(
                            RuleMatch(
                                path,
                                f"{limit.resource_type} {path[-1]} {value[:40]!r}: {problem}; allowed: {limit.rule}",
                            )
                        )
        return matches


def _values(node: Any, path: tuple[str, ...], at: list[Any]) -> list[tuple[list[Any], str]]:
    """The plain-string values at `path` (intrinsic functions are resolved only at deploy time, so skipped)."""
    if not path:
        return [(at, node)] if isinstance(node, str) else []
    head, rest = path[0], path[1:]
    if head == "*":
        return [
            found
            for i, item in enumerate(node if isinstance(node, list) else [])
            for found in _values(item, rest, [*at, i])
        ]
    return _values(node.get(head), rest, [*at, head]) if isinstance(node, dict) else []


def _problem(value: str, limit: Limit) -> str:
    if len(value) > limit.max_length:
        return f"{len(value)} characters, over {limit.max_length}"
    return "" if limit.pattern.fullmatch(value) else "characters or form not allowed"
