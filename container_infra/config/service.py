"""`[service]`: the ECS service that keeps the tasks running behind the load balancer, and what tunes it
(`[service.autoscaling]`, `.capacity`, `.rollback`, `.deployment`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from container_infra.config.alarms import RollbackAlarmsConfig, parse_rollback
from container_infra.config.capacity import CapacityConfig, parse_capacity
from container_infra.config.deployment import DeploymentConfig, parse_deployment
from container_infra.config.tables import Table
from container_infra.config.task import ContainerConfig
from container_infra.errors import ConfigError

DEFAULT_DESIRED_COUNT = 2
HEALTH_CHECK_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1023}")
MAX_INT32 = 2_147_483_647
MAX_TASKS = 5000  # ECS: a service runs at most 5,000 tasks


@dataclass(frozen=True, slots=True)
class AutoscalingConfig:
    """`[service.autoscaling]`: target tracking on the service's average CPU."""

    min: int = 1
    max: int = 4
    cpu_target_percent: int = 60


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    desired_count: int | None = DEFAULT_DESIRED_COUNT  # None with autoscaling: the scaler owns the task count
    health_check_path: str = "/"
    health_check_grace_seconds: int = 60
    assign_public_ip: bool = True
    enable_execute_command: bool = False
    container: str = ""  # the container behind the load balancer; "" = the first one with a port
    container_port: int = 0  # filled in by the loader from that container
    autoscaling: AutoscalingConfig | None = None
    capacity: CapacityConfig | None = None  # None: LaunchType FARGATE
    rollback_alarms: RollbackAlarmsConfig | None = None  # [service.rollback] alarms = true; None: the circuit breaker
    deployment: DeploymentConfig | None = None  # [service.deployment]; None: a rolling update


def parse_service(table: Table, containers: tuple[ContainerConfig, ...]) -> ServiceConfig:
    default = ServiceConfig()
    autoscaling_table = table.optional_table("autoscaling")
    autoscaling = _autoscaling(autoscaling_table) if autoscaling_table is not None else None
    desired = _desired_count(table, autoscaling)
    path = table.get("health_check_path", str, default.health_check_path)
    if not HEALTH_CHECK_PATH.fullmatch(path):
        raise table.fail(
            "health_check_path", path, "must be a URL path starting with '/', at most 1024 characters, no spaces"
        )
    grace = table.int_between("health_check_grace_seconds", default.health_check_grace_seconds, 0, MAX_INT32)
    public_ip = table.get("assign_public_ip", bool, default.assign_public_ip)
    execute = table.get("enable_execute_command", bool, default.enable_execute_command)
    if execute:
        _refuse_exec_on_read_only_root(table, containers)
    container = _web_container(table, containers)
    capacity = parse_capacity(table)
    rollback = parse_rollback(table)
    deployment = parse_deployment(table)
    table.done()
    assert container.port is not None
    return ServiceConfig(
        desired,
        path,
        grace,
        public_ip,
        execute,
        container.name,
        container.port,
        autoscaling,
        capacity,
        rollback,
        deployment,
    )


def _web_container(table: Table, containers: tuple[ContainerConfig, ...]) -> ContainerConfig:
    """The container the load balancer sends traffic to: named by `container`, else the first with a port."""
    name = table.get("container", str, "")
    with_ports = [c for c in containers if c.port is not None]
    if name:
        match = [c for c in containers if c.name == name]
        if not match:
            raise table.fail(
                "container", name, f"no such container; containers: {', '.join(c.name for c in containers)}"
            )
        if match[0].port is None:
            raise table.fail(
                "container", name, "that container has no port; give it `port = ...` in [[task.containers]]"
            )
        return match[0]
    if not with_ports:
        raise ConfigError(
            f"{table.source}: [service] needs a container with a port for the load balancer: "
            f"add `port = 8000` (the port your app listens on) to a [[task.containers]]"
        )
    return with_ports[0]


def _refuse_exec_on_read_only_root(table: Table, containers: tuple[ContainerConfig, ...]) -> None:
    """ECS Exec's SSM agent writes its files into every container: the ECS developer guide ("Amazon ECS Exec",
    considerations) says a read-only root file system isn't supported with it (aws/containers-roadmap#1359)."""
    read_only = [c.name for c in containers if c.runtime.read_only_root_filesystem]
    if read_only:
        raise table.fail(
            "enable_execute_command",
            True,
            f"ECS Exec does not work with read_only_root_filesystem = true (container {read_only[0]}): its SSM agent "
            "must write into the container; turn one of the two off",
        )


def _autoscaling(table: Table) -> AutoscalingConfig:
    default = AutoscalingConfig()
    low = table.int_between("min", default.min, 0, MAX_TASKS)
    high = table.int_between("max", default.max, 1, MAX_TASKS)
    if high < low:
        raise table.fail("max", high, f"must be at least min = {low}")
    target = table.int_between("cpu_target_percent", default.cpu_target_percent, 1, 100)
    table.done()
    return AutoscalingConfig(low, high, target)


def _desired_count(table: Table, autoscaling: AutoscalingConfig | None) -> int | None:
    """None with autoscaling: the scaler owns the count; a DesiredCount in the template would reset it on every
    deploy."""
    if autoscaling is None:
        return table.int_between("desired_count", DEFAULT_DESIRED_COUNT, 0, MAX_TASKS)
    if table.has("desired_count"):
        raise table.fail(
            "desired_count",
            table.data["desired_count"],
            f"not used with [service.autoscaling], which keeps the task count within min..max "
            f"({autoscaling.min}..{autoscaling.max}); remove desired_count",
        )
    return None
