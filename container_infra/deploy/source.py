"""Where the template comes from: a config built in-process, a template file, or the default stack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from container_infra.config import load_config
from container_infra.config.loader import STACK_NAME
from container_infra.config.model import DEFAULT_STACK_NAME
from container_infra.errors import UserError


@dataclass(frozen=True)
class TemplateSource:
    body: str  # exactly what is sent to CloudFormation
    template: dict[str, Any]  # the same, parsed
    stack_name: str  # the config's stack name (or the default) when --stack-name is not given


def load_source(config_path: str | None, template_path: str | None) -> TemplateSource:
    if config_path and template_path:
        raise UserError("--config and --template both given: use one (a config is built into a template)")
    if template_path:
        return _from_template_file(Path(template_path))
    from templates import build_template

    config = load_config(config_path)
    template = build_template(config)
    body = template.to_json(indent=2) + "\n"
    return TemplateSource(body, json.loads(body), config.stack_name)


def _from_template_file(path: Path) -> TemplateSource:
    try:
        body = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"--template {path}: no such file") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise UserError(f"--template {path}: not a JSON or YAML text file") from None
    template = parse_template_text(body, f"--template {path}")
    return TemplateSource(body, template, DEFAULT_STACK_NAME)


def parse_template_text(body: str, where: str) -> dict[str, Any]:
    """JSON or YAML (with !Ref and friends), as CloudFormation reads it."""
    from cfn_flip import load

    try:
        template, _ = load(body)
    except Exception as error:  # cfn-flip raises JSON, YAML and its own errors alike
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UserError(f"{where}: not a valid JSON or YAML template ({detail})") from None
    template = json.loads(json.dumps(template, default=str))  # plain dicts and lists, dates as text
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict) or not template["Resources"]:
        raise UserError(f"{where}: a CloudFormation template needs a Resources section with at least one resource")
    return template


def check_stack_name(name: str) -> str:
    if not STACK_NAME.fullmatch(name):
        raise UserError(
            f"--stack-name {name!r}: must start with a letter and hold only letters, digits and '-', at most 128 characters"
        )
    return name
