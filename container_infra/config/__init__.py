"""Config: the model and the one loader that generate.py and deploy.py share."""

from container_infra.config.loader import load_config, parse_config
from container_infra.config.model import (
    AutoscalingConfig,
    ClusterConfig,
    ContainerConfig,
    LoadBalancerConfig,
    LoggingConfig,
    RepositoryConfig,
    ServiceConfig,
    StackConfig,
    TaskConfig,
)

__all__ = [
    "AutoscalingConfig", "ClusterConfig", "ContainerConfig", "LoadBalancerConfig", "LoggingConfig",
    "RepositoryConfig", "ServiceConfig", "StackConfig", "TaskConfig", "load_config", "parse_config",
]
