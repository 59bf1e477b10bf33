"""A deployed stack as the day-2 commands see it: its status, outputs and the physical IDs of what it runs.

Pure: built from DescribeStacks and ListStackResources answers that the caller fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from container_infra.cfn.services import cluster_of_service_arn

CLUSTER_TYPE = "AWS::ECS::Cluster"
SERVICE_TYPE = "AWS::ECS::Service"
TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition"
TARGET_GROUP_TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"


@dataclass(frozen=True)
class DeployedStack:
    stack: dict[str, Any]
    resources: list[dict[str, Any]] = field(default_factory=list)  # ListStackResources summaries

    @property
    def name(self) -> str:
        return str(self.stack["StackName"])

    @property
    def id(self) -> str:
        return str(self.stack["StackId"])

    @property
    def status(self) -> str:
        return str(self.stack["StackStatus"])

    @property
    def outputs(self) -> dict[str, str]:
        return {o["OutputKey"]: str(o.get("OutputValue", "")) for o in self.stack.get("Outputs") or []}

    @property
    def parameters(self) -> dict[str, str]:
        return {p["ParameterKey"]: str(p.get("ParameterValue", "")) for p in self.stack.get("Parameters") or []}

    def physical_ids(self, resource_type: str) -> list[tuple[str, str]]:
        """(logical ID, physical ID) of the stack's resources of one type that exist."""
        return [
            (str(r["LogicalResourceId"]), str(r["PhysicalResourceId"]))
            for r in self.resources
            if r.get("ResourceType") == resource_type
            and r.get("PhysicalResourceId")
            and not str(r.get("ResourceStatus", "")).startswith("DELETE_")
        ]

    @property
    def cluster(self) -> str:
        clusters = self.physical_ids(CLUSTER_TYPE)
        return clusters[0][1] if clusters else ""

    def service_cluster(self, service_arn: str) -> str:
        return cluster_of_service_arn(service_arn) or self.cluster

    @property
    def services(self) -> list[tuple[str, str]]:
        return self.physical_ids(SERVICE_TYPE)

    @property
    def task_definitions(self) -> list[tuple[str, str]]:
        return self.physical_ids(TASK_DEFINITION_TYPE)

    @property
    def target_groups(self) -> list[tuple[str, str]]:
        return self.physical_ids(TARGET_GROUP_TYPE)

    def failed_resources(self) -> list[dict[str, Any]]:
        """The resources whose update (or its rollback) failed: what continue-update-rollback may skip."""
        return [r for r in self.resources if r.get("ResourceStatus") == "UPDATE_FAILED" and r.get("LogicalResourceId")]


def split_task_definition_arn(arn: str) -> tuple[str, int]:
    """`arn:...:task-definition/webapp:7` (or `webapp:7`) -> ("webapp", 7)."""
    family, _, revision = arn.rsplit("/", 1)[-1].rpartition(":")
    if not family or not revision.isdigit():
        raise ValueError(f"not a task definition ARN with a revision: {arn}")
    return family, int(revision)
