"""Stack outputs: what a person needs after the deploy (the web service's own are in web_service.py)."""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Template, ecr, ecs, iam, logs

from container_infra.naming import (
    CLUSTER_NAME_OUTPUT,
    LOG_GROUP_NAME_OUTPUT,
    REPOSITORY_URI_OUTPUT,
    TASK_DEFINITION_ARN_OUTPUT,
    TASK_ROLE_ARN_OUTPUT,
)


def add_outputs(template: Template, *, cluster: ecs.Cluster, task: ecs.TaskDefinition, task_role: iam.Role) -> None:
    template.add_output(Output(CLUSTER_NAME_OUTPUT, Description="ECS cluster name", Value=Ref(cluster)))
    template.add_output(
        Output(TASK_DEFINITION_ARN_OUTPUT, Description="Task definition ARN (with revision)", Value=Ref(task))
    )
    template.add_output(
        Output(TASK_ROLE_ARN_OUTPUT, Description="IAM role the containers run as", Value=GetAtt(task_role, "Arn"))
    )


def add_log_output(template: Template, log_group: logs.LogGroup) -> None:
    template.add_output(
        Output(LOG_GROUP_NAME_OUTPUT, Description="CloudWatch Logs group of the containers", Value=Ref(log_group))
    )


def add_repository_output(template: Template, repository: ecr.Repository) -> None:
    template.add_output(
        Output(
            REPOSITORY_URI_OUTPUT, Description="Push the app's images here", Value=GetAtt(repository, "RepositoryUri")
        )
    )
