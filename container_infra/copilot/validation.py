"""The converted config, loaded as deploy.py would load it, before anything is written: a value that Copilot took and
this project refuses is one line naming the manifest's field (and the config key it became), not a config file that
fails later."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from container_infra.config.loader import parse_config
from container_infra.errors import ConfigError, UserError

SOURCE = "converted.toml"
REFUSAL = re.compile(
    re.escape(SOURCE) + r"(?: \[environments\.(?P<env>[^\]]+)\])?: (?P<key>[^ ]+) = (?P<rest>.*)", re.DOTALL
)
CONTAINER = re.compile(r"task\.containers\[(?P<index>\d+)\]\.(?P<key>[^.]+)(?P<inner>\..+)?")
FIELDS = {  # the config's key -> the manifest field it came from
    "task.cpu": "cpu",
    "task.memory_mib": "memory",
    "task.cpu_architecture": "platform",
    "service.desired_count": "count",
    "service.capacity": "count.spot",
    "service.autoscaling.min": "count.range",
    "service.autoscaling.max": "count.range",
    "service.autoscaling.cpu_target_percent": "count.cpu_percentage",
    "service.enable_execute_command": "exec",
    "service.assign_public_ip": "network.vpc.placement",
    "service.health_check_path": "http.healthcheck.path",
    "service.health_check_grace_seconds": "http.healthcheck.grace_period",
    "service.container": "http.target_container",
    "load_balancer.domain": "http.alias",
    "logging.retention_days": "logging.retention",
}
MAIN = {"image": "image.location", "port": "image.port", "health_check": "image.healthcheck"}
MAIN |= {"depends_on": "image.depends_on", "environment": "variables"}
SIDECAR = {"health_check": "healthcheck", "environment": "variables"}


def check_loads(text: str, manifest: str, environments: list[str]) -> None:
    data = tomllib.loads(text)
    for environment in [None, *environments]:
        try:
            parse_config(data, SOURCE, environment)
        except ConfigError as error:
            raise UserError(_in_manifest_terms(str(error), manifest, data)) from None


def _in_manifest_terms(message: str, manifest: str, data: dict[str, Any]) -> str:
    found = REFUSAL.fullmatch(message)
    if found is None:
        return f"{manifest}: the converted config is refused: {message.removeprefix(SOURCE + ': ')}"
    key, env = found["key"], found["env"]
    field = _field(key, data.get("task", {}).get("containers", []))
    prefix = f"environments.{env}." if env else ""
    if field is None:
        return f"{manifest}: converted {prefix}{key} = {found['rest']}"
    return f"{manifest}: {prefix}{field} (converted to {key}) = {found['rest']}"


def _field(key: str, containers: list[dict[str, Any]]) -> str | None:
    if key in FIELDS:
        return FIELDS[key]
    match = CONTAINER.fullmatch(key)
    if match is None:
        return None
    index, name, inner = int(match["index"]), match["key"], match["inner"] or ""
    if index == 0:
        return MAIN.get(name, name) + inner
    sidecar = containers[index].get("name", index) if index < len(containers) else index
    return f"sidecars.{sidecar}.{SIDECAR.get(name, name)}{inner}"


def manifest_field(key: str, config: dict[str, Any]) -> str:
    """The manifest field a config key came from, where known (`environments.prod.` kept in front); else the key."""
    prefix, rest = "", key
    parts = key.split(".", 2)
    if parts[0] == "environments" and len(parts) == 3:
        prefix, rest = f"environments.{parts[1]}.", parts[2]
    field = _field(rest, config.get("task", {}).get("containers", []))
    return prefix + (field if field is not None else f"{rest} (in the converted config)")
