"""IAM roles for ECS tasks, written with awacs: the task role the app runs as, and the execution role ECS uses."""

from __future__ import annotations

from awacs import ecr as ecr_actions
from awacs import logs as logs_actions
from awacs import ssmmessages
from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import GetAtt, Template, ecr, iam, logs

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
    session_channels = [
        ssmmessages.CreateControlChannel,
        ssmmessages.CreateDataChannel,
        ssmmessages.OpenControlChannel,
        ssmmessages.OpenDataChannel,
    ]
    session_logs = [logs_actions.CreateLogStream, logs_actions.DescribeLogStreams, logs_actions.PutLogEvents]
    return [
        Statement(Sid="OpenSessionChannels", Effect=Allow, Action=session_channels, Resource=["*"]),
        Statement(Sid="FindTheSessionLogGroup", Effect=Allow, Action=[logs_actions.DescribeLogGroups], Resource=["*"]),
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
                Action=[logs_actions.CreateLogStream, logs_actions.PutLogEvents],
                Resource=[GetAtt(log_group, "Arn")],
            )
        )
    if repository is not None:
        pull = [ecr_actions.BatchCheckLayerAvailability, ecr_actions.GetDownloadUrlForLayer, ecr_actions.BatchGetImage]
        statements.append(
            Statement(Sid="PullFromTheRepository", Effect=Allow, Action=pull, Resource=[GetAtt(repository, "Arn")])
        )
        # GetAuthorizationToken has no resource-level permissions: it is always granted on "*".
        statements.append(
            Statement(Sid="LogInToEcr", Effect=Allow, Action=[ecr_actions.GetAuthorizationToken], Resource=["*"])
        )
    statements.extend(extra or [])
    return template.add_resource(
        iam.Role(
            f"{task_definition_id(family)}ExecutionRole",
            AssumeRolePolicyDocument=ecs_tasks_trust_policy(),
            Policies=[_policy("task-execution", statements)],
        )
    )


def pull_statements(repositories: tuple[str, ...], *, own_login: bool) -> list[Statement]:
    """Pulling a promoted image from another environment's repositories (ECR checks both this identity policy and
    the repository's policy for a cross-account pull); the login on "*" unless the own repository already adds it."""
    if not repositories:
        return []
    pull = [ecr_actions.BatchCheckLayerAvailability, ecr_actions.GetDownloadUrlForLayer, ecr_actions.BatchGetImage]
    statements = [Statement(Sid="PullPromotedImages", Effect=Allow, Action=pull, Resource=list(repositories))]
    if not own_login:
        statements.append(
            Statement(Sid="LogInToEcr", Effect=Allow, Action=[ecr_actions.GetAuthorizationToken], Resource=["*"])
        )
    return statements


def _policy(name: str, statements: list[Statement]) -> iam.Policy:
    return iam.Policy(PolicyName=name, PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements))
