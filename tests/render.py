"""Templates built in-process from a config dict: what generate.py prints, without a subprocess per case."""

from __future__ import annotations

import json
from typing import Any

from container_infra.config import parse_config
from templates import build_template, render_template

WEB_CONTAINER = {"name": "web", "image": "public.ecr.aws/aws-containers/hello-app-runner:latest", "port": 8000}


def template_text(config: dict[str, Any], fmt: str = "json") -> str:
    return render_template(build_template(parse_config(config, "test.toml")), fmt)


def template_for(config: dict[str, Any]) -> dict[str, Any]:
    return json.loads(template_text(config))


def web_config(**sections: Any) -> dict[str, Any]:
    """A web service config: one container with a port, [service], plus the given sections (merged over the
    defaults)."""
    config: dict[str, Any] = {"task": {"containers": [dict(WEB_CONTAINER)]}, "service": {}}
    for key, value in sections.items():
        config[key] = value
    return config


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == kind}


def one(template: dict[str, Any], kind: str) -> tuple[str, dict[str, Any]]:
    (found,) = of_type(template, kind).items()
    return found[0], found[1].get("Properties", {})
