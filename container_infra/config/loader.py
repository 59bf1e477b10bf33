"""The one config loader that generate.py and deploy.py share.

Every key is optional and defaults to the chapter's stack. Every bad value raises a
ConfigError whose message names the key, the value and what is allowed.
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import TYPE_CHECKING, Any

from container_infra.config.environments import choose_environment, split_environments
from container_infra.config.model import DEFAULT_CLUSTER_NAME, DEFAULT_STACK_NAME, ClusterConfig, StackConfig
from container_infra.config.tables import Table, ecs_name
from container_infra.config.task import TaskConfig, parse_task
from container_infra.errors import ConfigError

if TYPE_CHECKING:
    from container_infra.config.load_balancer import LoadBalancerConfig
    from container_infra.config.logs import LoggingConfig
    from container_infra.config.repository import RepositoryConfig
    from container_infra.config.service import ServiceConfig

SECTIONS = ("service", "load_balancer", "logging", "repository")  # the optional top-level tables
STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")

Sections = tuple["ServiceConfig | None", "LoadBalancerConfig | None", "LoggingConfig | None", "RepositoryConfig | None"]


def load_config(path: str | os.PathLike[str] | None, environment: str | None = None) -> StackConfig:
    """Read a TOML config file, for one of its environments or its base; None gives the built-in default."""
    if path is None:
        if environment is not None:
            raise ConfigError(f"--env {environment}: environments live in a config file; pass --config FILE")
        return parse_config({}, "defaults")
    return parse_config(_read_toml(os.fspath(path)), str(path), environment)


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        raise ConfigError(f"--config {path}: no such file; give the path of a TOML config file") from None
    except IsADirectoryError:
        raise ConfigError(f"--config {path}: is a directory; give the path of a TOML config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--config {path}: not UTF-8 text; a config file is TOML in UTF-8") from None
    except OSError as error:
        raise ConfigError(f"--config {path}: cannot be read ({error.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def parse_config(data: dict[str, Any], source: str, environment: str | None = None) -> StackConfig:
    """The config of `environment` (None: the base) from a file's data."""
    base, environments = split_environments(data, source)
    if environments:
        return choose_environment(base, environments, source, environment, _parse_base)
    if environment is not None:
        raise ConfigError(f"--env {environment}: {source} has no [environments.<name>] tables; leave out --env")
    return _parse_base(base, source)


def _parse_base(data: dict[str, Any], source: str) -> StackConfig:
    root = Table(data, "", source)
    stack_name = root.get("stack_name", str, DEFAULT_STACK_NAME)
    if not STACK_NAME.fullmatch(stack_name):
        raise root.fail(
            "stack_name",
            stack_name,
            "must start with a letter and hold only letters, digits and '-', at most 128 characters",
        )
    cluster = _cluster(root.table("cluster"))
    task = parse_task(root.table("task"))
    section_tables = [root.optional_table(key) for key in SECTIONS]
    root.done()
    service, load_balancer, logging, repository = _sections(source, task, *section_tables)
    return StackConfig(
        stack_name=stack_name,
        cluster=cluster,
        task=task,
        service=service,
        load_balancer=load_balancer,
        logging=logging,
        repository=repository,
    )


def _cluster(table: Table) -> ClusterConfig:
    name = ecs_name(table, "name", DEFAULT_CLUSTER_NAME)
    insights = table.get("container_insights", bool, ClusterConfig().container_insights)
    table.done()
    return ClusterConfig(name=name, container_insights=insights)


def _sections(
    source: str,
    task: TaskConfig,
    service_table: Table | None,
    balancer_table: Table | None,
    logging_table: Table | None,
    repository_table: Table | None,
) -> Sections:
    """(service, load_balancer, logging, repository) from the sections the file has (None: absent)."""
    if service_table is None and balancer_table is None and logging_table is None and repository_table is None:
        return None, None, None, None
    # Imported here, for a file with one of these tables only: their records and patterns would make every run
    # without them slower, and start-up is most of a generate.py run (bench/generate).
    from container_infra.config.deployment import refuse_test_port_clash
    from container_infra.config.load_balancer import HTTPS_PORT, parse_load_balancer
    from container_infra.config.logs import parse_logging
    from container_infra.config.repository import parse_repository
    from container_infra.config.service import parse_service

    if balancer_table is not None and service_table is None:
        raise ConfigError(
            f"{source}: [load_balancer] is set but [service] is not: a load balancer needs a service to send "
            "traffic to; add a [service] table"
        )
    service = parse_service(service_table, task.containers) if service_table is not None else None
    if service is not None and not service.load_balancer and balancer_table is not None:
        raise ConfigError(
            f"{source}: [load_balancer] is set but [service] says load_balancer = false; remove one of the two"
        )
    # A service sits behind a load balancer unless it says otherwise, and always logs: those sections only tune it.
    balanced = service is not None and service.load_balancer
    load_balancer = parse_load_balancer(balancer_table or Table({}, "load_balancer", source)) if balanced else None
    if service is not None and load_balancer is not None:
        # HTTPS_PORT: the load balancer keeps it for HTTPS, whether it serves HTTPS now or later.
        refuse_test_port_clash(source, service.deployment, sorted({load_balancer.port, HTTPS_PORT}))
    wants_logs = service is not None or logging_table is not None
    logging = parse_logging(logging_table or Table({}, "logging", source)) if wants_logs else None
    repository = parse_repository(repository_table) if repository_table is not None else None
    return service, load_balancer, logging, repository
