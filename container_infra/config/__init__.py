"""Config: the model and the one loader that generate.py and deploy.py share."""

from __future__ import annotations

from container_infra.config.load_balancer import LoadBalancerConfig
from container_infra.config.loader import load_config, parse_config
from container_infra.config.logs import LoggingConfig
from container_infra.config.model import ClusterConfig, StackConfig
from container_infra.config.repository import RepositoryConfig
from container_infra.config.service import AutoscalingConfig, ServiceConfig
from container_infra.config.task import ContainerConfig, TaskConfig

__all__ = [
    "AutoscalingConfig",
    "ClusterConfig",
    "ContainerConfig",
    "LoadBalancerConfig",
    "LoggingConfig",
    "RepositoryConfig",
    "ServiceConfig",
    "StackConfig",
    "TaskConfig",
    "load_config",
    "parse_config",
]
