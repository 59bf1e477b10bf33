"""When a container counts as up, and what it waits for: a container's `health_check` and `depends_on`.

Kept apart from containers.py so that their records and parsers are loaded only for configs that use them (model.py).
Limits are the ECS API's (HealthCheck, ContainerDependency) and Fargate's: interval 5-300 s, timeout 2-60 s,
retries 1-10, start period 0-300 s.
"""

from __future__ import annotations

from typing import Any

from container_infra.config.containers import string_array
from container_infra.config.record import record
from container_infra.config.tables import Table, as_toml
from container_infra.errors import ConfigError

CONDITIONS = ("START", "COMPLETE", "SUCCESS", "HEALTHY")
HEALTH_CHECK_PREFIXES = ("CMD", "CMD-SHELL")


@record
class HealthCheckConfig:
    """`health_check` of a container: ECS runs `command` in it; the limits are Fargate's (module docstring)."""

    command: tuple[str, ...]
    interval: int = 30
    timeout: int = 5
    retries: int = 3
    start_period: int = 0


@record
class DependencyConfig:
    """One `depends_on` entry: wait for `container` to reach `condition` before starting."""

    container: str
    condition: str


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
    check = HealthCheckConfig(
        command=command,
        interval=table.int_between("interval", HealthCheckConfig.interval, 5, 300),
        timeout=table.int_between("timeout", HealthCheckConfig.timeout, 2, 60),
        retries=table.int_between("retries", HealthCheckConfig.retries, 1, 10),
        start_period=table.int_between("start_period", HealthCheckConfig.start_period, 0, 300),
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


def check_dependency(where: str, own: str, dependency: DependencyConfig, by_name: dict[str, Any]) -> None:
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
