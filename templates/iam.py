"""IAM roles for ECS tasks, written with awacs."""

from __future__ import annotations

from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import Template, iam

from container_infra.naming import pascal

ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com"


def ecs_tasks_trust_policy() -> PolicyDocument:
    """Who may assume the role: the ECS tasks service, nobody else."""
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[Statement(Effect=Allow, Action=[AssumeRole], Principal=Principal("Service", ECS_TASKS_SERVICE))],
    )


def task_definition_id(family: str) -> str:
    """The chapter's construct id `taskdef-<family>`, without CDK's hash suffix."""
    return pascal(f"taskdef-{family}")


def add_task_role(template: Template, family: str) -> iam.Role:
    """The role the application's own code runs as; no permissions until the app needs some."""
    return template.add_resource(
        iam.Role(f"{task_definition_id(family)}TaskRole", AssumeRolePolicyDocument=ecs_tasks_trust_policy())
    )
