"""A container definition's runtime settings (config/containers.py): only what the config sets, ECS's defaults
otherwise."""

from __future__ import annotations

from troposphere import ecs

from container_infra.config.containers import HealthCheckConfig, RuntimeSettings


def apply_runtime(container: ecs.ContainerDefinition, runtime: RuntimeSettings) -> None:
    if runtime.health_check is not None:
        container.HealthCheck = health_check(runtime.health_check)
    if runtime.entrypoint:
        container.EntryPoint = list(runtime.entrypoint)
    if runtime.working_directory:
        container.WorkingDirectory = runtime.working_directory
    if runtime.cpu is not None:
        container.Cpu = runtime.cpu
    if runtime.memory_mib is not None:
        container.Memory = runtime.memory_mib
    if runtime.depends_on:
        container.DependsOn = [
            ecs.ContainerDependency(ContainerName=d.container, Condition=d.condition) for d in runtime.depends_on
        ]
    if runtime.read_only_root_filesystem:
        container.ReadonlyRootFilesystem = True
    if runtime.writable_paths:
        container.MountPoints = [
            ecs.MountPoint(SourceVolume=scratch_volume(container.Name, index), ContainerPath=path, ReadOnly=False)
            for index, path in enumerate(runtime.writable_paths, start=1)
        ]
    if runtime.stop_timeout is not None:
        container.StopTimeout = runtime.stop_timeout
    if runtime.user:
        container.User = runtime.user


def scratch_volumes(name: str, runtime: RuntimeSettings) -> list[ecs.Volume]:
    """A volume with a name only is a bind mount on the Fargate task's ephemeral storage (ECS developer guide, "Use
    bind mounts with Amazon ECS"): writable, private to the task, gone when it stops."""
    return [ecs.Volume(Name=scratch_volume(name, index)) for index in range(1, len(runtime.writable_paths) + 1)]


def scratch_volume(container: str, index: int) -> str:
    """A volume name: up to 255 letters, digits, '-' and '_' (the container's name is already of those)."""
    return f"{container[:240]}-scratch-{index}"


def health_check(config: HealthCheckConfig) -> ecs.HealthCheck:
    return ecs.HealthCheck(
        Command=list(config.command),
        Interval=config.interval,
        Timeout=config.timeout,
        Retries=config.retries,
        StartPeriod=config.start_period,
    )
