"""The optional sections that turn the chapter's task into a load-balanced web service."""

from __future__ import annotations

import re

from container_infra.config.model import (
    AutoscalingConfig,
    ContainerConfig,
    LoadBalancerConfig,
    LoggingConfig,
    RepositoryConfig,
    ServiceConfig,
)
from container_infra.config.tables import Table
from container_infra.errors import ConfigError

LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
REPOSITORY_NAME = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
CERTIFICATE_ARN = re.compile(r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+")
HEALTH_CHECK_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1023}")
MAX_INT32 = 2_147_483_647


def parse_service(table: Table, containers: tuple[ContainerConfig, ...]) -> ServiceConfig:
    desired = table.int_between("desired_count", ServiceConfig.desired_count, 0, 5000)
    path = table.get("health_check_path", str, ServiceConfig.health_check_path)
    if not HEALTH_CHECK_PATH.fullmatch(path):
        raise table.fail("health_check_path", path, "must be a URL path starting with '/', at most 1024 characters, no spaces")
    grace = table.int_between("health_check_grace_seconds", ServiceConfig.health_check_grace_seconds, 0, MAX_INT32)
    public_ip = table.get("assign_public_ip", bool, ServiceConfig.assign_public_ip)
    execute = table.get("enable_execute_command", bool, ServiceConfig.enable_execute_command)
    container = _web_container(table, containers)
    autoscaling_table = table.optional_table("autoscaling")
    autoscaling = _autoscaling(autoscaling_table, desired) if autoscaling_table is not None else None
    table.done()
    assert container.port is not None
    return ServiceConfig(desired, path, grace, public_ip, execute, container.name, container.port, autoscaling)


def _web_container(table: Table, containers: tuple[ContainerConfig, ...]) -> ContainerConfig:
    """The container the load balancer sends traffic to: named by `container`, else the first with a port."""
    name = table.get("container", str, "")
    with_ports = [c for c in containers if c.port is not None]
    if name:
        match = [c for c in containers if c.name == name]
        if not match:
            raise table.fail("container", name, f"no such container; containers: {', '.join(c.name for c in containers)}")
        if match[0].port is None:
            raise table.fail("container", name, "that container has no port; give it `port = ...` in [[task.containers]]")
        return match[0]
    if not with_ports:
        raise ConfigError(
            f"{table.source}: [service] needs a container with a port for the load balancer: "
            f"add `port = 8000` (the port your app listens on) to a [[task.containers]]"
        )
    return with_ports[0]


def _autoscaling(table: Table, desired: int) -> AutoscalingConfig:
    low = table.int_between("min", AutoscalingConfig.min, 0, 5000)
    high = table.int_between("max", AutoscalingConfig.max, 1, 5000)
    if high < low:
        raise table.fail("max", high, f"must be at least min = {low}")
    target = table.int_between("cpu_target_percent", AutoscalingConfig.cpu_target_percent, 1, 100)
    table.done()
    if not low <= desired <= high:
        raise ConfigError(f"{table.source}: service.desired_count = {desired}: must be within service.autoscaling min..max ({low}..{high})")
    return AutoscalingConfig(low, high, target)


def parse_load_balancer(table: Table) -> LoadBalancerConfig:
    port = table.int_between("port", LoadBalancerConfig.port, 1, 65535)
    certificate = table.get("certificate_arn", str, "")
    if certificate and not CERTIFICATE_ARN.fullmatch(certificate):
        raise table.fail("certificate_arn", certificate, "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); leave the key out for plain HTTP")
    if certificate and port == 443:
        raise table.fail("port", port, "is the HTTPS port when certificate_arn is set; port is the plain-HTTP port that redirects to it (e.g. 80)")
    access_logs = table.get("access_logs", bool, LoadBalancerConfig.access_logs)
    table.done()
    return LoadBalancerConfig(port, certificate, access_logs)


def parse_logging(table: Table) -> LoggingConfig:
    days = table.get("retention_days", int, LoggingConfig.retention_days)
    if days not in LOG_RETENTION_DAYS:
        raise table.fail("retention_days", days, f"CloudWatch Logs allows {', '.join(map(str, LOG_RETENTION_DAYS))}")
    kms_key = table.get("kms_key", bool, LoggingConfig.kms_key)
    table.done()
    return LoggingConfig(days, kms_key)


def parse_repository(table: Table) -> RepositoryConfig:
    name = table.get("name", str, RepositoryConfig.name)
    if not (2 <= len(name) <= 256 and REPOSITORY_NAME.fullmatch(name)):
        raise table.fail("name", name, "an ECR repository name: lowercase letters, digits, '.', '_', '-' and '/', 2-256 characters")
    keep = table.int_between("keep_images", RepositoryConfig.keep_images, 1, 10000)
    table.done()
    return RepositoryConfig(name, keep)


def refuse_load_balancer_without_service(source: str) -> ConfigError:
    return ConfigError(f"{source}: [load_balancer] is set but [service] is not: a load balancer needs a service to send traffic to; add a [service] table")
