"""The config model: one frozen dataclass per TOML table, defaults = the chapter's stack."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_STACK_NAME = "my-container-infra"
DEFAULT_CLUSTER_NAME = "my-test-cluster"
DEFAULT_FAMILY = "webapp"
DEFAULT_CPU = 512
DEFAULT_MEMORY_MIB = 1024
DEFAULT_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"


@dataclass(frozen=True)
class ContainerConfig:
    image: str
    name: str
    port: int | None = None
    environment: dict[str, str] = field(default_factory=dict)
    essential: bool = True


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


@dataclass(frozen=True)
class StackConfig:
    stack_name: str = DEFAULT_STACK_NAME
    cluster: ClusterConfig = ClusterConfig()
    task: TaskConfig = TaskConfig()
