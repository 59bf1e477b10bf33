"""The config model: one immutable record per TOML table, defaults = the chapter's stack.

Here are the tables every stack has. The optional ones (ServiceConfig, LoadBalancerConfig, LoggingConfig,
RepositoryConfig, AutoscalingConfig in sections.py; CapacityConfig, RollbackAlarmsConfig, SecretSource) live
with their parsers, which a run without them does not import. Config classes are `@record` (record.py), not
`@dataclass(frozen=True)`: a frozen dataclass costs about 1 ms at start-up on Python 3.11 (it compiles its
methods then), a record a few microseconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from container_infra.config.containers import RuntimeSettings
from container_infra.config.record import field, record

if TYPE_CHECKING:
    from container_infra.config.secrets import SecretSource
    from container_infra.config.sections import LoadBalancerConfig, LoggingConfig, RepositoryConfig, ServiceConfig

DEFAULT_STACK_NAME = "my-container-infra"
DEFAULT_CLUSTER_NAME = "my-test-cluster"
DEFAULT_FAMILY = "webapp"
DEFAULT_CPU = 512
DEFAULT_MEMORY_MIB = 1024
DEFAULT_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"


@record
class ContainerConfig:
    """One `[[task.containers]]` table."""

    image: str
    name: str
    port: int | None = None
    environment: dict[str, str] = field(default_factory=dict)
    essential: bool = True
    command: tuple[str, ...] = ()  # () = the image's own CMD
    secrets: tuple[
        SecretSource, ...
    ] = ()  # ECS `secrets`: environment variables read from Secrets Manager / SSM at start
    runtime: RuntimeSettings = RuntimeSettings()  # health check, entrypoint, size, start order, user...: ECS's defaults


@record
class ClusterConfig:
    """`[cluster]`."""

    name: str = DEFAULT_CLUSTER_NAME
    container_insights: bool = False


@record
class TaskConfig:
    """`[task]`: the task definition's size, platform and containers."""

    family: str = DEFAULT_FAMILY
    cpu: int = DEFAULT_CPU
    memory_mib: int = DEFAULT_MEMORY_MIB
    containers: tuple[ContainerConfig, ...] = ()
    cpu_architecture: str = ""  # "ARM64" / "X86_64": the task's RuntimePlatform; "" = none (Fargate's default, X86_64)
    secrets_kms_key: str = ""  # the customer managed KMS key the secrets are encrypted with; "" = AWS managed keys


@record
class StackConfig:
    """The whole config file; a None section is absent from the file (and from the template)."""

    stack_name: str = DEFAULT_STACK_NAME
    cluster: ClusterConfig = ClusterConfig()
    task: TaskConfig = TaskConfig()
    service: ServiceConfig | None = None  # None: no [service], the chapter's three resources
    load_balancer: LoadBalancerConfig | None = None
    logging: LoggingConfig | None = None
    repository: RepositoryConfig | None = None
