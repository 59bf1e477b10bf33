"""The optional sections that turn the chapter's task into a load-balanced web service: their model and parsers.

The loader imports this module only for a config that has one of these sections (see model.py for why), and
this module imports capacity.py, alarms.py and deployment.py only for a [service] that has their sub-tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from container_infra.config.domain import check_certificate_domain, is_dns_name, parse_ip_address_type, parse_zone
from container_infra.config.patterns import LazyPattern
from container_infra.config.record import record
from container_infra.config.tables import Table
from container_infra.errors import ConfigError
from container_infra.naming import fits_logical_ids, id_room_rule

if TYPE_CHECKING:
    from container_infra.config.alarms import RollbackAlarmsConfig
    from container_infra.config.capacity import CapacityConfig
    from container_infra.config.deployment import DeploymentConfig
    from container_infra.config.model import ContainerConfig, TaskConfig

DEFAULT_DESIRED_COUNT = 2

LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
REPOSITORY_NAME = LazyPattern(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
CERTIFICATE_ARN = LazyPattern(r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+")
HEALTH_CHECK_PATH = LazyPattern(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1023}")
MAX_INT32 = 2_147_483_647


@record
class AutoscalingConfig:
    """`[service.autoscaling]`: target tracking on the service's average CPU."""

    min: int = 1
    max: int = 4
    cpu_target_percent: int = 60


@record
class ServiceConfig:
    """`[service]`: the ECS service behind the load balancer."""

    desired_count: int | None = DEFAULT_DESIRED_COUNT  # None with autoscaling: the scaler owns the task count
    health_check_path: str = "/"
    health_check_grace_seconds: int = 60
    assign_public_ip: bool = True
    enable_execute_command: bool = False
    container: str = ""  # the container behind the load balancer; "" = the first one with a port
    container_port: int = 0  # filled in by the loader from that container
    autoscaling: AutoscalingConfig | None = None
    capacity: CapacityConfig | None = None  # None: LaunchType FARGATE, as before
    rollback_alarms: RollbackAlarmsConfig | None = (
        None  # [service.rollback] alarms = true; None: the circuit breaker only
    )
    deployment: DeploymentConfig | None = None  # [service.deployment]; None: a rolling update, as before


@record
class LoadBalancerConfig:
    """`[load_balancer]`: the listener port, HTTPS and access logs."""

    port: int = 80
    certificate_arn: str = ""
    access_logs: bool = True
    domain: str = ""  # the DNS name users reach the app at (the certificate's); "" = the load balancer's own
    hosted_zone_id: str = (
        ""  # the public Route 53 zone of `domain`: alias records (and a certificate without certificate_arn)
    )
    hosted_zone: str = ""  # the same zone by name ("example.com"), its ID looked up by deploy.py; "" = none
    ip_address_type: str = "ipv4"  # "dualstack": IPv6 too (needs subnets with IPv6), and an AAAA alias record

    @property
    def has_zone(self) -> bool:
        return bool(self.hosted_zone_id or self.hosted_zone)

    @property
    def issues_certificate(self) -> bool:
        """A zone and no certificate_arn: the stack requests the domain's certificate, validated through that zone."""
        return self.has_zone and not self.certificate_arn

    @property
    def serves_https(self) -> bool:
        return bool(self.certificate_arn) or self.has_zone


@record
class LoggingConfig:
    """`[logging]`: the containers' CloudWatch Logs group."""

    retention_days: int = 30
    kms_key: bool = True


@record
class RepositoryConfig:
    """`[repository]`: a private ECR repository for the app's images."""

    name: str = "webapp"
    keep_images: int = 20


Sections = tuple["ServiceConfig | None", "LoadBalancerConfig | None", "LoggingConfig | None", "RepositoryConfig | None"]


def parse_sections(
    source: str,
    task: TaskConfig,
    service_table: Table | None,
    balancer_table: Table | None,
    logging_table: Table | None,
    repository_table: Table | None,
) -> Sections:
    """(service, load_balancer, logging, repository) from the sections the file has (None: absent)."""
    if balancer_table is not None and service_table is None:
        raise refuse_load_balancer_without_service(source)
    service = parse_service(service_table, task.containers) if service_table is not None else None
    if service is not None and service.capacity is not None:
        from container_infra.config.capacity import refuse_spot_on_arm

        refuse_spot_on_arm(source, task.cpu_architecture, service.capacity)
    # A service always sits behind a load balancer and always logs: those sections only tune it.
    load_balancer = parse_load_balancer(balancer_table or Table({}, "load_balancer", source)) if service else None
    if service is not None and service.deployment is not None and load_balancer is not None:
        from container_infra.config.deployment import refuse_test_port_clash

        refuse_test_port_clash(
            source, service.deployment, sorted({load_balancer.port, 443})
        )  # 443: HTTPS, now or later
    wants_logs = service is not None or logging_table is not None
    logging = parse_logging(logging_table or Table({}, "logging", source)) if wants_logs else None
    repository = parse_repository(repository_table) if repository_table is not None else None
    return service, load_balancer, logging, repository


def parse_service(table: Table, containers: tuple[ContainerConfig, ...]) -> ServiceConfig:
    autoscaling_table = table.optional_table("autoscaling")
    autoscaling = _autoscaling(autoscaling_table) if autoscaling_table is not None else None
    desired = _desired_count(table, autoscaling)
    path = table.get("health_check_path", str, ServiceConfig.health_check_path)
    if not HEALTH_CHECK_PATH.fullmatch(path):
        raise table.fail(
            "health_check_path", path, "must be a URL path starting with '/', at most 1024 characters, no spaces"
        )
    grace = table.int_between("health_check_grace_seconds", ServiceConfig.health_check_grace_seconds, 0, MAX_INT32)
    public_ip = table.get("assign_public_ip", bool, ServiceConfig.assign_public_ip)
    execute = table.get("enable_execute_command", bool, ServiceConfig.enable_execute_command)
    container = _web_container(table, containers)
    capacity = _capacity(table)
    rollback = _rollback(table)
    deployment = _deployment(table)
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


def _capacity(table: Table) -> CapacityConfig | None:
    if table.optional_table("capacity") is None:
        return None
    from container_infra.config.capacity import parse_capacity

    return parse_capacity(table)


def _rollback(table: Table) -> RollbackAlarmsConfig | None:
    if table.optional_table("rollback") is None:
        return None
    from container_infra.config.alarms import parse_rollback

    return parse_rollback(table)


def _deployment(table: Table) -> DeploymentConfig | None:
    if table.optional_table("deployment") is None:
        return None
    from container_infra.config.deployment import parse_deployment

    return parse_deployment(table)


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


def _autoscaling(table: Table) -> AutoscalingConfig:
    low = table.int_between("min", AutoscalingConfig.min, 0, 5000)
    high = table.int_between("max", AutoscalingConfig.max, 1, 5000)
    if high < low:
        raise table.fail("max", high, f"must be at least min = {low}")
    target = table.int_between("cpu_target_percent", AutoscalingConfig.cpu_target_percent, 1, 100)
    table.done()
    return AutoscalingConfig(low, high, target)


def _desired_count(table: Table, autoscaling: AutoscalingConfig | None) -> int | None:
    """None with autoscaling: the scaler owns the count, and a DesiredCount in the template would reset it on every deploy."""
    if autoscaling is None:
        return table.int_between("desired_count", DEFAULT_DESIRED_COUNT, 0, 5000)
    if table.has("desired_count"):
        raise table.fail(
            "desired_count",
            table.data["desired_count"],
            f"not used with [service.autoscaling], which keeps the task count within min..max "
            f"({autoscaling.min}..{autoscaling.max}); remove desired_count",
        )
    return None


def parse_load_balancer(table: Table) -> LoadBalancerConfig:
    port = table.int_between("port", LoadBalancerConfig.port, 1, 65535)
    certificate = table.get("certificate_arn", str, "")
    if certificate and not CERTIFICATE_ARN.fullmatch(certificate):
        raise table.fail(
            "certificate_arn",
            certificate,
            "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); leave the key out for plain HTTP",
        )
    if certificate and port == 443:
        raise table.fail(
            "port",
            port,
            "is the HTTPS port when certificate_arn is set; port is the plain-HTTP port that redirects to it (e.g. 80)",
        )
    access_logs = table.get("access_logs", bool, LoadBalancerConfig.access_logs)
    domain = _domain(table, certificate)
    zone_id, zone_name = parse_zone(table, domain)
    if (zone_id or zone_name) and not certificate:
        check_certificate_domain(table, domain)
    if (zone_id or zone_name) and port == 443:
        raise table.fail(
            "port",
            port,
            "is the HTTPS port when the domain's zone is set (the stack serves HTTPS on 443); "
            "port is the plain-HTTP port that redirects to it (e.g. 80)",
        )
    ip_address_type = parse_ip_address_type(table)
    table.done()
    return LoadBalancerConfig(
        port,
        certificate,
        access_logs,
        domain,
        hosted_zone_id=zone_id,
        hosted_zone=zone_name,
        ip_address_type=ip_address_type,
    )


def _domain(table: Table, certificate: str) -> str:
    """The name the certificate covers: the load balancer's own DNS name is not on it, so HTTPS needs one."""
    if certificate and not table.has("domain"):
        raise ConfigError(
            f"{table.source}: {table.key_path('domain')} is missing: with certificate_arn set, give the DNS name "
            f'the certificate covers and that you point at the load balancer, e.g. domain = "app.example.com"'
        )
    domain = table.get("domain", str, LoadBalancerConfig.domain)
    if (domain or certificate) and not is_dns_name(domain):
        raise table.fail(
            "domain",
            domain,
            "must be a DNS name such as app.example.com: two or more dot-separated labels of "
            "letters, digits and '-' (not at a label's ends), at most 63 characters each and 253 in all",
        )
    return domain


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
        raise table.fail(
            "name", name, "an ECR repository name: lowercase letters, digits, '.', '_', '-' and '/', 2-256 characters"
        )
    if not fits_logical_ids("repository", name):
        raise table.fail("name", name, id_room_rule("repository"))
    keep = table.int_between("keep_images", RepositoryConfig.keep_images, 1, 10000)
    table.done()
    return RepositoryConfig(name, keep)


def refuse_load_balancer_without_service(source: str) -> ConfigError:
    return ConfigError(
        f"{source}: [load_balancer] is set but [service] is not: a load balancer needs a service to send traffic to; add a [service] table"
    )
