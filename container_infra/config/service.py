"""`[service]`: the ECS service that keeps the tasks running, behind the load balancer unless `load_balancer = false`
(a backend: no target group, no listener, reached only from the security groups in `ingress_from`), and what tunes
it (`[service.autoscaling]`, `.capacity`, `.rollback`, `.deployment`)."""

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
SECURITY_GROUP_ID = re.compile(r"sg-(?:[0-9a-f]{8}|[0-9a-f]{17})")
# What only a load balancer gives meaning to: refused with `load_balancer = false` rather than silently unused.
BALANCER_ONLY = ("health_check_path", "rollback")


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
    load_balancer: bool = True  # false: a backend service, no load balancer (the [load_balancer] table is refused)
    ingress_from: tuple[str, ...] = ()  # without a load balancer: security groups that may reach container_port


def parse_service(table: Table, containers: tuple[ContainerConfig, ...]) -> ServiceConfig:
    default = ServiceConfig()
    balanced = table.get("load_balancer", bool, default.load_balancer)
    if not balanced:
        _refuse_balancer_only_keys(table)
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
    container = _web_container(table, containers) if balanced else _backend_container(table, containers)
    ingress = _ingress_from(table, balanced, container)
    capacity = parse_capacity(table)
    rollback = parse_rollback(table)
    deployment = parse_deployment(table)
    if not balanced and deployment is not None and deployment.shifts_traffic:
        raise table.fail(
            "load_balancer",
            False,
            f"[service.deployment] strategy {deployment.strategy.lower()} moves traffic between two target groups of "
            "a load balancer; without one, use the rolling update (leave out strategy)",
        )
    table.done()
    return ServiceConfig(
        desired,
        path,
        grace,
        public_ip,
        execute,
        container.name if container else "",
        (container.port or 0) if container else 0,
        autoscaling,
        capacity,
        rollback,
        deployment,
        balanced,
        ingress,
    )


def _refuse_balancer_only_keys(table: Table) -> None:
    for key in BALANCER_ONLY:
        if table.has(key):
            raise table.fail(
                key,
                table.data[key],
                "only for a service behind a load balancer, and load_balancer = false; remove one of the two",
            )


def _backend_container(table: Table, containers: tuple[ContainerConfig, ...]) -> ContainerConfig | None:
    """Without a load balancer a port is optional (a worker has none): the named container, else the first with one."""
    if table.has("container"):
        return _web_container(table, containers)
    return next((c for c in containers if c.port is not None), None)


def _ingress_from(table: Table, balanced: bool, container: ContainerConfig | None) -> tuple[str, ...]:
    """The security groups that may reach the tasks' port: the load balancer's alone when there is one."""
    groups = table.get("ingress_from", list, [])
    if not table.has("ingress_from"):
        return ()
    if balanced:
        raise table.fail(
            "ingress_from", groups, "only with load_balancer = false: behind a load balancer, only it reaches the tasks"
        )
    if container is None:
        raise table.fail(
            "ingress_from", groups, "needs a container with a port to let in; add `port = ...` to a [[task.containers]]"
        )
    if not groups:
        raise table.fail("ingress_from", groups, "empty; leave the key out for no ingress at all")
    for group in groups:
        if not isinstance(group, str) or not SECURITY_GROUP_ID.fullmatch(group):
            raise table.fail("ingress_from", group, "must be a security group ID such as sg-0123456789abcdef0")
    if len(set(groups)) != len(groups):
        raise table.fail("ingress_from", groups, "lists a security group twice")
    return tuple(groups)


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
