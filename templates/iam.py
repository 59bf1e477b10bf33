"""IAM roles for ECS tasks, written with awacs: the task role the app runs as, and the execution role ECS uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awacs.aws import Action, Allow, PolicyDocument, Principal, Statement
from troposphere import GetAtt, Template, iam

from container_infra.naming import pascal

if TYPE_CHECKING:  # the log group and the repository are optional concerns (templates/__init__.py)
    from troposphere import ecr, logs

ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com"


def actions(service: str, *names: str) -> list[Action]:
    """IAM actions by name: actions("ecr", "BatchGetImage") is [awacs.ecr.BatchGetImage], the same JSON.

    awacs' action modules (awacs.ecr, awacs.logs, ...) define every action of their service at import, 2-4 ms
    each at start-up; an action is only its service prefix and name, so the templates build it from awacs.aws.
    """
    return [Action(service, name) for name in names]


def ecs_tasks_trust_policy() -> PolicyDocument:
    """Who may assume the role: the ECS tasks service, nobody else."""
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Effect=Allow, Action=actions("sts", "AssumeRole"), Principal=Principal("Service", ECS_TASKS_SERVICE)
            )
        ],
    )


def task_definition_id(family: str) -> str:
    """The chapter's construct id `taskdef-<family>`, without CDK's hash suffix."""
    return pascal(f"taskdef-{family}")


def add_task_role(template: Template, family: str, *, exec_log_group: logs.LogGroup | None = None) -> iam.Role:
    """The role the application's own code runs as; no permissions until the app needs some.

    With ECS Exec (`exec_log_group` given), the SSM agent in the task runs as this role: it opens its channels and
    writes each session's log to the group (ECS developer guide, "IAM permissions required for ECS Exec" and
    "... for Amazon CloudWatch Logs"). ssmmessages has no resource-level permissions, DescribeLogGroups is listed
    on "*" there; the stream actions are scoped to the group's ARN (which ends in :*, covering its streams).
    No KMS action: CloudWatch Logs encrypts with the key through its own grant in the key policy.
    """
    role = iam.Role(f"{task_definition_id(family)}TaskRole", AssumeRolePolicyDocument=ecs_tasks_trust_policy())
    if exec_log_group is not None:
        role.Policies = [_policy("ecs-exec", _exec_statements(exec_log_group))]
    return template.add_resource(role)


def _exec_statements(exec_log_group: logs.LogGroup) -> list[Statement]:
    session_channels = actions(
        "ssmmessages", "CreateControlChannel", "CreateDataChannel", "OpenControlChannel", "OpenDataChannel"
    )
    session_logs = actions("logs", "CreateLogStream", "DescribeLogStreams", "PutLogEvents")
    return [
        Statement(Sid="OpenSessionChannels", Effect=Allow, Action=session_channels, Resource=["*"]),
        Statement(
            Sid="FindTheSessionLogGroup", Effect=Allow, Action=actions("logs", "DescribeLogGroups"), Resource=["*"]
        ),
        Statement(Sid="WriteSessionLogs", Effect=Allow, Action=session_logs, Resource=[GetAtt(exec_log_group, "Arn")]),
    ]


def add_execution_role(
    template: Template,
    family: str,
    *,
    log_group: logs.LogGroup | None,
    repository: ecr.Repository | None,
    extra: list[Statement] | None = None,
) -> iam.Role:
    """The role ECS uses to start the task: write to this stack's log group, pull from this stack's repository,
    and whatever `extra` adds (the secrets' statements from templates/secrets.py)."""
    statements = []
    if log_group is not None:
        statements.append(
            Statement(
                Sid="WriteToTheLogGroup",
                Effect=Allow,
                Action=actions("logs", "CreateLogStream", "PutLogEvents"),
                Resource=[GetAtt(log_group, "Arn")],
            )
        )
    if repository is not None:
        pull = actions("ecr", "BatchCheckLayerAvailability", "GetDownloadUrlForLayer", "BatchGetImage")
        statements.append(
            Statement(Sid="PullFromTheRepository", Effect=Allow, Action=pull, Resource=[GetAtt(repository, "Arn")])
        )
        # GetAuthorizationToken has no resource-level permissions: it is always granted on "*".
        statements.append(
            Statement(Sid="LogInToEcr", Effect=Allow, Action=actions("ecr", "GetAuthorizationToken"), Resource=["*"])
        )
    statements.extend(extra or [])
    return template.add_resource(
        iam.Role(
            f"{task_definition_id(family)}ExecutionRole",
            AssumeRolePolicyDocument=ecs_tasks_trust_policy(),
            Policies=[_policy("task-execution", statements)],
        )
    )


def _policy(name: str, statements: list[Statement]) -> iam.Policy:
    return iam.Policy(PolicyName=name, PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements))
