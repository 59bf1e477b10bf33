"""Config: the model and the one loader that generate.py and deploy.py share.

The records of the tables every stack has are here; those of the optional tables are in their modules
(service.py, load_balancer.py, logs.py, repository.py), which the loader imports for a file that has one.
"""

from __future__ import annotations

from container_infra.config.loader import load_config, parse_config
from container_infra.config.model import ClusterConfig, StackConfig
from container_infra.config.task import ContainerConfig, TaskConfig

__all__ = ["ClusterConfig", "ContainerConfig", "StackConfig", "TaskConfig", "load_config", "parse_config"]
