"""The config model: one immutable record per TOML table, defaults = the chapter's stack.

Here are the whole file and `[cluster]`; each other table's record lives with its parser (task.py, service.py,
load_balancer.py, logs.py, repository.py and the modules they use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from container_infra.config.task import TaskConfig

if TYPE_CHECKING:  # the optional tables' modules: the loader imports them for a file that has one
    from container_infra.config.environments import Environment
    from container_infra.config.load_balancer import LoadBalancerConfig
    from container_infra.config.logs import LoggingConfig
    from container_infra.config.repository import RepositoryConfig
    from container_infra.config.service import ServiceConfig

DEFAULT_STACK_NAME = "my-container-infra"
DEFAULT_CLUSTER_NAME = "my-test-cluster"


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """`[cluster]`."""

    name: str = DEFAULT_CLUSTER_NAME
    container_insights: bool = False


@dataclass(frozen=True, slots=True)
class StackConfig:
    """The whole config file; a None section is absent from the file (and from the template)."""

    stack_name: str = DEFAULT_STACK_NAME
    cluster: ClusterConfig = ClusterConfig()
    task: TaskConfig = TaskConfig()
    service: ServiceConfig | None = None  # None: no [service], the chapter's three resources
    load_balancer: LoadBalancerConfig | None = None
    logging: LoggingConfig | None = None
    repository: RepositoryConfig | None = None
    environment: Environment | None = None  # the `[environments.<name>]` this config was merged for
    environment_names: tuple[str, ...] = ()  # every environment the file defines (none: a file without any)
    # Not a key of the file: the ECR repository ARNs a --promote-from deploy pulls from (another environment's, often
    # another account's), which the execution role must be allowed to pull from besides its own repository.
    promoted_repositories: tuple[str, ...] = ()
