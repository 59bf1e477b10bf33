"""The config model: one frozen dataclass per TOML table, defaults = the chapter's stack."""

from __future__ import annotations

from dataclasses import dataclass, field

from container_infra.config.alarms import RollbackAlarmsConfig
from container_infra.config.capacity import CapacityConfig
from container_infra.config.containers import RuntimeSettings
from container_infra.config.secrets import SecretSource

DEFAULT_STACK_NAME = "my-container-infra"
DEFAULT_CLUSTER_NAME = "my-test-cluster"
DEFAULT_FAMILY = "webapp"
DEFAULT_CPU = 512
DEFAULT_MEMORY_MIB = 1024
DEFAULT_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"
DEFAULT_DESIRED_COUNT = 2


@dataclass(frozen=True)
class ContainerConfig:
    image: str
    name: str
    port: int | None = None
    environment: dict[str, str] = field(default_factory=dict)
    essential: bool = True
    command: tuple[str, ...] = ()  # () = the image's own CMD
    secrets: tuple[SecretSource, ...] = ()  # ECS `secrets`: environment variables read from Secrets Manager / SSM at start
    runtime: RuntimeSettings = RuntimeSettings()  # health check, entrypoint, size, start order, user...: ECS's defaults


@dataclass(frozen=True)
class ClusterConfig:
    name: str = DEFAULT_CLUSTER_NAME
    container_insights: bool = False


@dataclass(frozen=True)
class TaskConfig:
    family: str = DEFAULT_FAMILY
    cpu: int = DEFAULT_CPU
    memory_mib: int = DEFAULT_MEMORY_MIB
    containers: tuple[ContainerConfig, ...] = ()
    cpu_architecture: str = ""  # "ARM64" / "X86_64": the task's RuntimePlatform; "" = none (Fargate's default, X86_64)
    secrets_kms_key: str = ""  # the customer managed KMS key the secrets are encrypted with; "" = AWS managed keys


@dataclass(frozen=True)
class AutoscalingConfig:
    min: int = 1
    max: int = 4
    cpu_target_percent: int = 60


@dataclass(frozen=True)
class ServiceConfig:
    desired_count: int | None = DEFAULT_DESIRED_COUNT  # None with autoscaling: the scaler owns the task count
    health_check_path: str = "/"
    health_check_grace_seconds: int = 60
    assign_public_ip: bool = True
    enable_execute_command: bool = False
    container: str = ""  # the container behind the load balancer; "" = the first one with a port
    container_port: int = 0  # filled in by the loader from that container
    autoscaling: AutoscalingConfig | None = None
    capacity: CapacityConfig | None = None  # None: LaunchType FARGATE, as before
    rollback_alarms: RollbackAlarmsConfig | None = None  # [service.rollback] alarms = true; None: the circuit breaker only


@dataclass(frozen=True)
class LoadBalancerConfig:
    port: int = 80
    certificate_arn: str = ""
    access_logs: bool = True
    domain: str = ""  # the DNS name users reach the app at (the certificate's); "" = the load balancer's own


@dataclass(frozen=True)
class LoggingConfig:
    retention_days: int = 30
    kms_key: bool = True


@dataclass(frozen=True)
class RepositoryConfig:
    name: str = "webapp"
    keep_images: int = 20


@dataclass(frozen=True)
class StackConfig:
    stack_name: str = DEFAULT_STACK_NAME
    cluster: ClusterConfig = ClusterConfig()
    task: TaskConfig = TaskConfig()
    service: ServiceConfig | None = None  # None: no [service], the chapter's three resources
    load_balancer: LoadBalancerConfig | None = None
    logging: LoggingConfig | None = None
    repository: RepositoryConfig | None = None
