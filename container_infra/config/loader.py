"""The one config loader that generate.py and deploy.py share.

Every key is optional and defaults to the chapter's stack. Every bad value raises a
ConfigError whose message names the key, the value and what is allowed.

Start-up: the modules of the optional parts (sections.py, secrets.py, capacity.py, and tomllib) are
imported by the function that reads that part, and only when the file has it: each defines records
and regular expressions that a run without that part should not pay for (model.py).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from container_infra.config.containers import check_runtime_across, parse_runtime
from container_infra.config.images import IMAGE_RULE, parse_image
from container_infra.config.model import (
    DEFAULT_IMAGE,
    ClusterConfig,
    ContainerConfig,
    StackConfig,
    TaskConfig,
)
from container_infra.config.patterns import LazyPattern
from container_infra.config.tables import Table, as_toml
from container_infra.errors import ConfigError
from container_infra.fargate import CPU_SIZES, FARGATE_MEMORY_BY_CPU, describe_memory_range
from container_infra.naming import fits_logical_ids, id_room_rule, image_parameter_id

if TYPE_CHECKING:
    from pathlib import Path

    from container_infra.config.secrets import SecretSource

SECTIONS = ("service", "load_balancer", "logging", "repository")  # the optional top-level tables

STACK_NAME = LazyPattern(r"[A-Za-z][-A-Za-z0-9]{0,127}")
ECS_NAME = LazyPattern(r"[A-Za-z0-9_-]{1,255}")
ENV_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
NAME_RULE = "letters, digits, '_' and '-', 1-255 characters"
MAX_CONTAINERS = 10  # an ECS task definition holds at most 10 container definitions


def load_config(path: str | Path | None) -> StackConfig:
    """Read a TOML config file; None gives the built-in default (the chapter's stack)."""
    if path is None:
        return parse_config({}, "defaults")
    return parse_config(_read_toml(os.fspath(path)), str(path))


def _read_toml(path: str) -> dict[str, Any]:
    """The file's TOML. tomllib is imported here, not at the top: a run without --config never needs it."""
    import tomllib

    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        raise ConfigError(f"--config {path}: no such file; give the path of a TOML config file") from None
    except IsADirectoryError:
        raise ConfigError(f"--config {path}: is a directory; give the path of a TOML config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--config {path}: not UTF-8 text; a config file is TOML in UTF-8") from None
    except OSError as error:
        raise ConfigError(f"--config {path}: cannot be read ({error.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def parse_config(data: dict[str, Any], source: str) -> StackConfig:
    root = Table(data, "", source)
    stack_name = root.get("stack_name", str, StackConfig.stack_name)
    if not STACK_NAME.fullmatch(stack_name):
        raise root.fail(
            "stack_name",
            stack_name,
            "must start with a letter and hold only letters, digits and '-', at most 128 characters",
        )
    cluster = _cluster(root.table("cluster"))
    task = _task(root.table("task"))
    section_tables = [root.optional_table(key) for key in SECTIONS]
    root.done()
    if all(table is None for table in section_tables):
        return StackConfig(stack_name=stack_name, cluster=cluster, task=task)
    from container_infra.config.sections import parse_sections

    service, load_balancer, logging, repository = parse_sections(source, task, *section_tables)
    return StackConfig(
        stack_name=stack_name,
        cluster=cluster,
        task=task,
        service=service,
        load_balancer=load_balancer,
        logging=logging,
        repository=repository,
    )


def _cluster(table: Table) -> ClusterConfig:
    name = table.get("name", str, ClusterConfig.name)
    _check_name(table, "name", name, "cluster")
    insights = table.get("container_insights", bool, ClusterConfig.container_insights)
    table.done()
    return ClusterConfig(name=name, container_insights=insights)


def _task(table: Table) -> TaskConfig:
    family = table.get("family", str, TaskConfig.family)
    _check_name(table, "family", family, "family")
    cpu = table.get("cpu", int, TaskConfig.cpu)
    if cpu not in FARGATE_MEMORY_BY_CPU:
        raise table.fail("cpu", cpu, f"not a Fargate CPU size; allowed: {', '.join(map(str, CPU_SIZES))}")
    memory = table.get("memory_mib", int, TaskConfig.memory_mib)
    if memory not in FARGATE_MEMORY_BY_CPU[cpu]:
        raise table.fail("memory_mib", memory, f"not allowed with cpu = {cpu}; allowed: {describe_memory_range(cpu)}")
    container_tables = table.tables("containers")
    if container_tables is None:
        containers = (_default_container(DEFAULT_IMAGE),)
    else:
        containers = tuple(_container(item) for item in container_tables)
    secrets_kms_key = _secrets_kms_key(table, any(c.secrets for c in containers))
    architecture = _architecture(table)
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


def _container(table: Table) -> ContainerConfig:
    if not table.has("image"):
        raise ConfigError(
            f"{table.source}: {table.key_path('image')} is missing: every container needs an image ({IMAGE_RULE})"
        )
    image = table.get("image", str, "")
    reference = parse_image(image)
    if reference is None:
        raise table.fail("image", image, f"not an image reference; expected {IMAGE_RULE}")
    name = table.get("name", str, default_container_name(reference.name))
    _check_name(table, "name", name, "container")
    port: int | None = table.get("port", int, None)
    if port is not None and not 1 <= port <= 65535:
        raise table.fail("port", port, "must be a TCP port from 1 to 65535")
    environment = _environment(table)
    essential = table.get("essential", bool, True)
    command = _command(table)
    secrets = _secrets(table, environment)
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


def _secrets(table: Table, environment: dict[str, str]) -> tuple[SecretSource, ...]:
    if table.get("secrets", dict, None) is None:
        return ()
    from container_infra.config.secrets import parse_secrets

    return parse_secrets(table, ENV_NAME, environment)


def _secrets_kms_key(table: Table, has_secrets: bool) -> str:
    if table.get("secrets_kms_key", str, None) is None:
        return ""
    from container_infra.config.secrets import parse_secrets_kms_key

    return parse_secrets_kms_key(table, has_secrets)


def _architecture(table: Table) -> str:
    """ "" when the key is absent: no RuntimePlatform in the template (Fargate's default, X86_64)."""
    if table.get("cpu_architecture", str, None) is None:
        return ""
    from container_infra.config.capacity import parse_architecture

    return parse_architecture(table)


def _command(table: Table) -> tuple[str, ...]:
    """The container's command (ECS `command`, the image's CMD replaced); the image's own without the key."""
    command = table.get("command", list, [])
    if table.has("command") and not (command and all(isinstance(part, str) and part for part in command)):
        raise table.fail(
            "command", command, 'must be a non-empty array of non-empty strings, e.g. ["sh", "-c", "sleep 3600"]'
        )
    return tuple(command)


def _default_container(image: str) -> ContainerConfig:
    reference = parse_image(image)
    assert reference is not None, image
    return ContainerConfig(image=image, name=default_container_name(reference.name))


def default_container_name(image_name: str) -> str:
    """The chapter's rule, `container-<image name>`, made a valid ECS container name."""
    return "container-" + re.sub(r"[^A-Za-z0-9_-]", "-", image_name)


def _environment(table: Table) -> dict[str, str]:
    env = table.table("environment")
    values: dict[str, str] = {}
    for key, value in env.data.items():
        if not ENV_NAME.fullmatch(key):
            raise env.fail(
                key, value, "environment variable names hold letters, digits and '_' and do not start with a digit"
            )
        if isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            values[key] = str(value)
        else:
            raise env.fail(key, value, "must be a string, number or boolean")
    return values


def _check_name(table: Table, key: str, value: str, kind: str) -> None:
    if not ECS_NAME.fullmatch(value):
        raise table.fail(key, value, f"must be {NAME_RULE}")
    if not fits_logical_ids(kind, value):
        raise table.fail(key, value, id_room_rule(kind))


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
