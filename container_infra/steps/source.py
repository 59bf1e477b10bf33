"""Where the template comes from: a config built in-process, a template file, or the default stack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from container_infra.cfn.limits import check_template_limits
from container_infra.cfn.template import parse_template_text
from container_infra.config import StackConfig, load_config
from container_infra.config.loader import STACK_NAME
from container_infra.config.model import DEFAULT_STACK_NAME
from container_infra.errors import UserError


@dataclass(frozen=True)
class TemplateSource:
    body: str  # exactly what is sent to CloudFormation
    template: dict[str, Any]  # the same, parsed
    stack_name: str  # the config's stack name (or the default) when --stack-name is not given
    config: StackConfig | None = None  # None for a --template file


def load_source(config_path: str | None, template_path: str | None, env: str | None = None) -> TemplateSource:
    if template_path:
        return _from_template_file(Path(template_path))

    return source_of(load_config(config_path, env), f"--config {config_path}" if config_path else "the default stack")


def source_of(config: StackConfig, label: str) -> TemplateSource:
    """The template a config generates, checked against CloudFormation's limits (`label` names it in errors)."""
    from templates import build_template, render_template

    template = build_template(config)
    body, parsed = render_template(template, "json"), template.to_dict()
    check_template_limits(parsed, body, label)
    return TemplateSource(body, parsed, config.stack_name, config)


def configured_stack_name(config_path: str | None, env: str | None = None) -> str:
    """The stack name a config gives (or the default), without building its template."""
    return load_config(config_path, env).stack_name if config_path else DEFAULT_STACK_NAME


def _from_template_file(path: Path) -> TemplateSource:
    try:
        body = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"--template {path}: no such file") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise UserError(f"--template {path}: not a JSON or YAML text file") from None
    template = parse_template_text(body, f"--template {path}")
    check_template_limits(template, body, f"--template {path}")
    return TemplateSource(body, template, DEFAULT_STACK_NAME)


def check_stack_name(name: str) -> str:
    if not STACK_NAME.fullmatch(name):
        raise UserError(
            f"--stack-name {name!r}: must start with a letter and hold only letters, digits and '-', "
            "at most 128 characters"
        )
    return name
