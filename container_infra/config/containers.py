"""A container's runtime settings: when it counts as up (health check), what it waits for (start order), entry point,
working directory, size, stop timeout and user.

Limits are the ECS API's (ContainerDefinition, HealthCheck, ContainerDependency) and Fargate's: a health check's
interval 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s; a stop timeout of at most 120 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from container_infra.config.tables import Table, as_toml
from container_infra.errors import ConfigError

USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,255})?")
WORKING_DIRECTORY = re.compile(r"/\S{0,4095}")
CONTAINER_MIN_MEMORY_MIB = 6  # Docker's floor for a container's memory limit (ECS ContainerDefinition `memory`)
FARGATE_MAX_STOP_TIMEOUT = 120
CONDITIONS = ("START", "COMPLETE", "SUCCESS", "HEALTHY")
HEALTH_CHECK_PREFIXES = ("CMD", "CMD-SHELL")
DEFAULT_WRITABLE_PATHS = ("/tmp",)


@dataclass(frozen=True, slots=True)
class HealthCheckConfig:
    """`health_check` of a container: ECS runs `command` in it; the limits are Fargate's (module docstring)."""

    command: tuple[str, ...]
    interval: int = 30
    timeout: int = 5
    retries: int = 3
    start_period: int = 0


@dataclass(frozen=True, slots=True)
class DependencyConfig:
    """One `depends_on` entry: wait for `container` to reach `condition` before starting."""

    container: str
    condition: str


@dataclass(frozen=True, slots=True)
class RuntimeSettings:
    """A container's optional runtime settings; each default leaves the ECS property out (ECS's own default)."""

    health_check: HealthCheckConfig | None = None
    entrypoint: tuple[str, ...] = ()
    working_directory: str = ""
    cpu: int | None = None
    memory_mib: int | None = None
    depends_on: tuple[DependencyConfig, ...] = ()
    read_only_root_filesystem: bool = False
    writable_paths: tuple[str, ...] = ()  # with a read-only root: scratch volumes mounted here (default /tmp)
    stop_timeout: int | None = None
    user: str = ""


def parse_runtime(table: Table) -> RuntimeSettings:
    health_table = table.optional_table("health_check")
    read_only = table.get("read_only_root_filesystem", bool, False)
    return RuntimeSettings(
        health_check=parse_health_check(health_table) if health_table is not None else None,
        entrypoint=string_array(table, "entrypoint", '["/bin/sh", "-c"]'),
        working_directory=_working_directory(table),
        cpu=_optional_int(table, "cpu", 0, 16384),
        memory_mib=_optional_int(table, "memory_mib", CONTAINER_MIN_MEMORY_MIB, 122880),
        depends_on=tuple(parse_dependency(item) for item in table.tables("depends_on") or ()),
        read_only_root_filesystem=read_only,
        writable_paths=_writable_paths(table, read_only),
        stop_timeout=_optional_int(table, "stop_timeout", 1, FARGATE_MAX_STOP_TIMEOUT),
        user=_user(table),
    )


def string_array(table: Table, key: str, example: str) -> tuple[str, ...]:
    value = table.get(key, list, [])
    if table.has(key) and not (value and all(isinstance(part, str) and part for part in value)):
        raise table.fail(key, value, f"must be a non-empty array of non-empty strings, e.g. {example}")
    return tuple(value)


def parse_health_check(table: Table) -> HealthCheckConfig:
    if not table.has("command"):
        raise ConfigError(
            f"{table.source}: {table.key_path('command')} is missing: a health check runs a command, "
            f'e.g. command = ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"]'
        )
    command = string_array(table, "command", '["CMD-SHELL", "curl -f http://localhost/ || exit 1"]')
    if command[0] not in HEALTH_CHECK_PREFIXES or len(command) < 2:
        raise table.fail(
            "command",
            list(command),
            'must start with "CMD" (run the arguments directly) or "CMD-SHELL" '
            "(run them with the container's shell), followed by the command",
        )
    if command[0] == "CMD-SHELL" and len(command) > 2:
        # ECS hands CMD-SHELL's single string to `/bin/sh -c`; further items become $0, $1... and never run.
        raise table.fail(
            "command",
            list(command),
            '"CMD-SHELL" takes the whole shell command as ONE string, e.g. '
            f'["CMD-SHELL", {as_toml(" ".join(command[1:]))}]; or use "CMD" with one item per argument',
        )
    default = HealthCheckConfig(command)
    check = HealthCheckConfig(
        command=command,
        interval=table.int_between("interval", default.interval, 5, 300),
        timeout=table.int_between("timeout", default.timeout, 2, 60),
        retries=table.int_between("retries", default.retries, 1, 10),
        start_period=table.int_between("start_period", default.start_period, 0, 300),
    )
    table.done()
    return check


def parse_dependency(table: Table) -> DependencyConfig:
    if not table.has("container"):
        raise ConfigError(
            f"{table.source}: {table.key_path('container')} is missing: name the container this one waits for"
        )
    container = table.get("container", str, "")
    condition = table.get("condition", str, "START")
    if condition not in CONDITIONS:
        raise table.fail("condition", condition, f"must be one of {', '.join(CONDITIONS)}")
    table.done()
    return DependencyConfig(container, condition)


def _optional_int(table: Table, key: str, low: int, high: int) -> int | None:
    """None when the key is absent (ECS decides); else an integer from low to high."""
    value: int | None = table.get(key, int, None)
    if value is not None and not low <= value <= high:
        raise table.fail(key, value, f"must be an integer from {low} to {high}")
    return value


def _working_directory(table: Table) -> str:
    path = table.get("working_directory", str, "")
    if table.has("working_directory") and not WORKING_DIRECTORY.fullmatch(path):
        raise table.fail("working_directory", path, "must be an absolute path in the container, e.g. /app")
    return path


def _writable_paths(table: Table, read_only: bool) -> tuple[str, ...]:
    """Where an app with a read-only root may still write: each path gets a scratch volume on the task's ephemeral
    storage. /tmp by default, since most runtimes and libraries write temporary files there; [] for none."""
    if not table.has("writable_paths"):
        return DEFAULT_WRITABLE_PATHS if read_only else ()
    paths = table.get("writable_paths", list, [])
    if not read_only:
        raise table.fail(
            "writable_paths", paths, "only with read_only_root_filesystem = true (the whole root is writable otherwise)"
        )
    if not all(isinstance(p, str) and WORKING_DIRECTORY.fullmatch(p) and p != "/" for p in paths):
        raise table.fail("writable_paths", paths, 'must be an array of absolute paths other than "/", e.g. ["/tmp"]')
    if len(set(paths)) != len(paths):
        raise table.fail("writable_paths", paths, "lists a path twice")
    return tuple(paths)


def _user(table: Table) -> str:
    user = table.get("user", str, "")
    if table.has("user") and not USER.fullmatch(user):
        raise table.fail(
            "user", user, 'a user name or UID, optionally with a group or GID: "app", "1000", "1000:1000", "app:staff"'
        )
    return user


def check_runtime_across(where: str, containers: list[Any], task_cpu: int, task_memory: int) -> None:
    """What one container's table cannot check alone: dependencies on other containers, sizes within the task's."""
    by_name = {c.name: c for c in containers}
    for number, container in enumerate(containers):
        for index, dependency in enumerate(container.runtime.depends_on):
            _check_dependency(f"{where}[{number}].depends_on[{index}]", container.name, dependency, by_name)
    _check_no_cycle(where, by_name)
    _check_sum(where, "cpu", [c.runtime.cpu for c in containers], task_cpu, "task.cpu")
    _check_sum(where, "memory_mib", [c.runtime.memory_mib for c in containers], task_memory, "task.memory_mib")


def _check_dependency(where: str, own: str, dependency: DependencyConfig, by_name: dict[str, Any]) -> None:
    target = by_name.get(dependency.container)
    value = f".container = {as_toml(dependency.container)}"
    if target is None:
        raise ConfigError(f"{where}{value}: no such container; containers: {', '.join(by_name)}")
    if target.name == own:
        raise ConfigError(f"{where}{value}: a container cannot wait for itself")
    if dependency.condition == "HEALTHY" and target.runtime.health_check is None:
        raise ConfigError(
            f'{where}.condition = "HEALTHY": {target.name} has no health_check; give it one or wait for START'
        )
    if dependency.condition in ("COMPLETE", "SUCCESS") and target.essential:
        raise ConfigError(
            f"{where}.condition = {as_toml(dependency.condition)}: {target.name} is essential and must keep "
            f"running; only a container with essential = false can be waited on to exit"
        )


def _check_no_cycle(where: str, by_name: dict[str, Any]) -> None:
    """Containers that wait for each other, directly or around a loop, would never start."""

    def visit(name: str, path: list[str]) -> None:
        for waited in (d.container for d in by_name[name].runtime.depends_on):
            if waited in path:
                loop = path[path.index(waited) :] + [waited]
                raise ConfigError(
                    f"{where}: depends_on goes round in a loop ({' -> '.join(loop)}): "
                    f"those containers would wait for each other forever"
                )
            visit(waited, path + [waited])

    for name in by_name:
        visit(name, [name])


def _check_sum(where: str, key: str, values: list[int | None], total: int, task_key: str) -> None:
    given = [v for v in values if v is not None]
    if sum(given) > total:
        raise ConfigError(
            f"{where}[*].{key} = {' + '.join(map(str, given))} = {sum(given)}: the containers' {key} "
            f"must add up to at most {task_key} = {total}"
        )
