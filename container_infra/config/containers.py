"""A container's runtime settings: health check, entry point, working directory, size, start order, user.

Limits are the ECS API's (ContainerDefinition) and Fargate's: a stop timeout of at most 120 s on Fargate. The health
check and the start order (`depends_on`) are read by readiness.py, imported only for a container that has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from container_infra.config.patterns import LazyPattern
from container_infra.config.record import record
from container_infra.config.tables import Table
from container_infra.errors import ConfigError

if TYPE_CHECKING:
    from container_infra.config.readiness import DependencyConfig, HealthCheckConfig

USER = LazyPattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,255})?")
WORKING_DIRECTORY = LazyPattern(r"/\S{0,4095}")
CONTAINER_MIN_MEMORY_MIB = 6  # Docker's floor for a container's memory limit (ECS ContainerDefinition `memory`)
FARGATE_MAX_STOP_TIMEOUT = 120


@record
class RuntimeSettings:
    """A container's optional runtime settings; each default leaves the ECS property out (ECS's own default)."""

    health_check: HealthCheckConfig | None = None
    entrypoint: tuple[str, ...] = ()
    working_directory: str = ""
    cpu: int | None = None
    memory_mib: int | None = None
    depends_on: tuple[DependencyConfig, ...] = ()
    read_only_root_filesystem: bool = False
    stop_timeout: int | None = None
    user: str = ""


def parse_runtime(table: Table) -> RuntimeSettings:
    health_table = table.optional_table("health_check")
    return RuntimeSettings(
        health_check=_health_check(health_table) if health_table is not None else None,
        entrypoint=string_array(table, "entrypoint", '["/bin/sh", "-c"]'),
        working_directory=_working_directory(table),
        cpu=_optional_int(table, "cpu", 0, 16384),
        memory_mib=_optional_int(table, "memory_mib", CONTAINER_MIN_MEMORY_MIB, 122880),
        depends_on=_depends_on(table),
        read_only_root_filesystem=table.get("read_only_root_filesystem", bool, False),
        stop_timeout=_optional_int(table, "stop_timeout", 1, FARGATE_MAX_STOP_TIMEOUT),
        user=_user(table),
    )


def string_array(table: Table, key: str, example: str) -> tuple[str, ...]:
    value = table.get(key, list, [])
    if table.has(key) and not (value and all(isinstance(part, str) and part for part in value)):
        raise table.fail(key, value, f"must be a non-empty array of non-empty strings, e.g. {example}")
    return tuple(value)


def _health_check(table: Table) -> HealthCheckConfig:
    from container_infra.config.readiness import parse_health_check

    return parse_health_check(table)


def _depends_on(table: Table) -> tuple[DependencyConfig, ...]:
    """() without the key; readiness.py (its records and parsers) only for a container that waits for another."""
    items = table.tables("depends_on")
    if not items:
        return ()
    from container_infra.config.readiness import parse_dependency

    return tuple(parse_dependency(item) for item in items)


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
    if any(container.runtime.depends_on for container in containers):
        from container_infra.config.readiness import check_dependency

        for number, container in enumerate(containers):
            for index, dependency in enumerate(container.runtime.depends_on):
                check_dependency(f"{where}[{number}].depends_on[{index}]", container.name, dependency, by_name)
    _check_no_cycle(where, by_name)
    _check_sum(where, "cpu", [c.runtime.cpu for c in containers], task_cpu, "task.cpu")
    _check_sum(where, "memory_mib", [c.runtime.memory_mib for c in containers], task_memory, "task.memory_mib")


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
