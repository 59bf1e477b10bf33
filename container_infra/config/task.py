"""`[task]` and its `[[task.containers]]`: the task definition's size, platform and containers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from container_infra.config.capacity import parse_architecture
from container_infra.config.containers import RuntimeSettings, check_runtime_across, parse_runtime
from container_infra.config.environment import SecretSource, parse_environment, parse_secrets, parse_secrets_kms_key
from container_infra.config.images import IMAGE_RULE, parse_image
from container_infra.config.tables import Table, as_toml, ecs_name
from container_infra.errors import ConfigError
from container_infra.fargate import CPU_SIZES, FARGATE_MEMORY_BY_CPU, describe_memory_range
from container_infra.naming import image_parameter_id

DEFAULT_FAMILY = "webapp"
DEFAULT_CPU = 512
DEFAULT_MEMORY_MIB = 1024
DEFAULT_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"
MAX_CONTAINERS = 10  # an ECS task definition holds at most 10 container definitions
NOT_IN_A_CONTAINER_NAME = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class ContainerConfig:
    """One `[[task.containers]]` table."""

    image: str
    name: str
    port: int | None = None
    environment: dict[str, str] = field(default_factory=dict)
    essential: bool = True
    command: tuple[str, ...] = ()  # () = the image's own CMD
    secrets: tuple[SecretSource, ...] = ()  # ECS `secrets`: variables read from Secrets Manager / SSM at start
    runtime: RuntimeSettings = RuntimeSettings()  # health check, entrypoint, size, start order...: ECS's defaults


@dataclass(frozen=True, slots=True)
class TaskConfig:
    """`[task]`: the task definition's size, platform and containers."""

    family: str = DEFAULT_FAMILY
    cpu: int = DEFAULT_CPU
    memory_mib: int = DEFAULT_MEMORY_MIB
    containers: tuple[ContainerConfig, ...] = ()
    cpu_architecture: str = ""  # "ARM64" / "X86_64": the task's RuntimePlatform; "" = none (Fargate's default, X86_64)
    secrets_kms_key: str = ""  # the customer managed KMS key the secrets are encrypted with; "" = AWS managed keys


def parse_task(table: Table) -> TaskConfig:
    family = ecs_name(table, "family", DEFAULT_FAMILY)
    cpu = table.get("cpu", int, DEFAULT_CPU)
    if cpu not in FARGATE_MEMORY_BY_CPU:
        raise table.fail("cpu", cpu, f"not a Fargate CPU size; allowed: {', '.join(map(str, CPU_SIZES))}")
    memory = table.get("memory_mib", int, DEFAULT_MEMORY_MIB)
    if memory not in FARGATE_MEMORY_BY_CPU[cpu]:
        raise table.fail("memory_mib", memory, f"not allowed with cpu = {cpu}; allowed: {describe_memory_range(cpu)}")
    container_tables = table.tables("containers")
    if container_tables is None:
        containers = (default_container(DEFAULT_IMAGE),)
    else:
        containers = tuple(parse_container(item) for item in container_tables)
    secrets_kms_key = parse_secrets_kms_key(table, any(c.secrets for c in containers))
    architecture = parse_architecture(table)
    table.done()
    _check_containers(table, containers)
    check_runtime_across(f"{table.source}: {table.key_path('containers')}", list(containers), cpu, memory)
    return TaskConfig(
        family=family,
        cpu=cpu,
        memory_mib=memory,
        containers=containers,
        cpu_architecture=architecture,
        secrets_kms_key=secrets_kms_key,
    )


def parse_container(table: Table) -> ContainerConfig:
    if not table.has("image"):
        raise ConfigError(
            f"{table.source}: {table.key_path('image')} is missing: every container needs an image ({IMAGE_RULE})"
        )
    image = table.get("image", str, "")
    reference = parse_image(image)
    if reference is None:
        raise table.fail("image", image, f"not an image reference; expected {IMAGE_RULE}")
    name = ecs_name(table, "name", default_container_name(reference.name))
    port: int | None = table.get("port", int, None)
    if port is not None and not 1 <= port <= 65535:
        raise table.fail("port", port, "must be a TCP port from 1 to 65535")
    environment = parse_environment(table)
    essential = table.get("essential", bool, True)
    command = _command(table)
    secrets = parse_secrets(table, environment)
    runtime = parse_runtime(table)
    table.done()
    return ContainerConfig(
        image=image,
        name=name,
        port=port,
        environment=environment,
        essential=essential,
        command=command,
        secrets=secrets,
        runtime=runtime,
    )


def _command(table: Table) -> tuple[str, ...]:
    """The container's command (ECS `command`, the image's CMD replaced); the image's own without the key."""
    command = table.get("command", list, [])
    if table.has("command") and not (command and all(isinstance(part, str) and part for part in command)):
        raise table.fail(
            "command", command, 'must be a non-empty array of non-empty strings, e.g. ["sh", "-c", "sleep 3600"]'
        )
    return tuple(command)


def default_container(image: str) -> ContainerConfig:
    reference = parse_image(image)
    assert reference is not None, image
    return ContainerConfig(image=image, name=default_container_name(reference.name))


def default_container_name(image_name: str) -> str:
    """The chapter's rule, `container-<image name>`, made a valid ECS container name."""
    return "container-" + NOT_IN_A_CONTAINER_NAME.sub("-", image_name)


def _check_containers(table: Table, containers: tuple[ContainerConfig, ...]) -> None:
    where = f"{table.source}: {table.key_path('containers')}"
    if not containers:
        raise ConfigError(f"{where} = []: a task needs at least one container")
    if len(containers) > MAX_CONTAINERS:
        raise ConfigError(f"{where}: {len(containers)} containers; an ECS task definition holds 1 to {MAX_CONTAINERS}")
    seen: dict[str, str] = {}
    for container in containers:
        parameter = image_parameter_id(container.name)
        if parameter in seen:
            raise ConfigError(
                f"{where}: name = {as_toml(container.name)}: clashes with {as_toml(seen[parameter])} "
                f"(both make the parameter {parameter}); container names must be unique"
            )
        seen[parameter] = container.name
    if not any(container.essential for container in containers):
        raise ConfigError(f"{where}: essential = false on every container: at least one container must be essential")
