"""Config: the model and the one loader that generate.py and deploy.py share.

The optional sections' records live in sections.py and are created only when a config has such a
section (model.py says why). `from container_infra.config import ServiceConfig` still works: this
module's __getattr__ (PEP 562) imports sections.py on the first such use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from container_infra.config.loader import load_config, parse_config
from container_infra.config.model import ClusterConfig, ContainerConfig, StackConfig, TaskConfig

if TYPE_CHECKING:
    from container_infra.config.sections import (
        AutoscalingConfig,
        LoadBalancerConfig,
        LoggingConfig,
        RepositoryConfig,
        ServiceConfig,
    )

_IN_SECTIONS = ("AutoscalingConfig", "LoadBalancerConfig", "LoggingConfig", "RepositoryConfig", "ServiceConfig")

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


def __getattr__(name: str) -> Any:
    if name in _IN_SECTIONS:
        from container_infra.config import sections

        return getattr(sections, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
