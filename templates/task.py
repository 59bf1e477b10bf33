"""The Fargate task definition and its containers."""

from __future__ import annotations

from troposphere import GetAtt, Parameter, Ref, Template, ecs, iam

from container_infra.config import ContainerConfig, TaskConfig
from templates.containers import apply_runtime, scratch_volumes
from templates.iam import task_definition_id
from templates.secrets import container_secrets


def add_task_definition(
    template: Template,
    config: TaskConfig,
    *,
    task_role: iam.Role,
    cpu: Parameter,
    memory: Parameter,
    images: dict[str, Parameter],
    execution_role: iam.Role | None = None,
    log_configuration: ecs.LogConfiguration | None = None,
) -> ecs.TaskDefinition:
    task = ecs.TaskDefinition(
        task_definition_id(config.family),
        Family=config.family,
        Cpu=Ref(cpu),
        Memory=Ref(memory),
        NetworkMode="awsvpc",
        RequiresCompatibilities=["FARGATE"],
        TaskRoleArn=GetAtt(task_role, "Arn"),
        ContainerDefinitions=[container_definition(c, images[c.name], log_configuration) for c in config.containers],
    )
    if execution_role is not None:
        task.ExecutionRoleArn = GetAtt(execution_role, "Arn")
    volumes = [volume for c in config.containers for volume in scratch_volumes(c.name, c.runtime)]
    if volumes:
        task.Volumes = volumes
    return template.add_resource(task)


def container_definition(
    config: ContainerConfig, image: Parameter, logs: ecs.LogConfiguration | None = None
) -> ecs.ContainerDefinition:
    container = ecs.ContainerDefinition(Name=config.name, Image=Ref(image), Essential=config.essential)
    if config.command:
        container.Command = list(config.command)
    if config.port is not None:
        container.PortMappings = [ecs.PortMapping(ContainerPort=config.port, Protocol="tcp")]
    if config.environment:
        container.Environment = [ecs.Environment(Name=k, Value=v) for k, v in sorted(config.environment.items())]
    if config.secrets:
        container.Secrets = container_secrets(config.secrets)
    if logs is not None:
        container.LogConfiguration = logs
    apply_runtime(container, config.runtime)
    return container
