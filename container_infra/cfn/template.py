"""A template as CloudFormation reads it: parsed from JSON or YAML, and what it asks of a deploy."""

from __future__ import annotations

import json
from typing import Any

from container_infra.cfn.constants import NAMED_IAM_PROPERTIES, is_retained
from container_infra.cfn.strict_input import TemplateInputError, load_json, load_yaml
from container_infra.errors import UserError


def parse_template_text(body: str, where: str) -> dict[str, Any]:
    """JSON or YAML (with !Ref and friends), as strictly as CloudFormation reads it (cfn/strict_input.py). JSON, the
    common case, goes straight to `json` (fast); only YAML goes through the short-tag loader."""
    is_json = body.lstrip().startswith("{")
    try:
        template = load_json(body) if is_json else _yaml(body)
    except TemplateInputError as error:
        raise UserError(f"{where}: not accepted: {error}") from None
    except Exception as error:  # json and YAML errors alike
        raise UserError(f"{where}: not a valid {'JSON' if is_json else 'YAML'} template ({_where_in(error)})") from None
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict) or not template["Resources"]:
        raise UserError(f"{where}: a CloudFormation template needs a Resources section with at least one resource")
    check_shape(template, where)
    return template


def _yaml(body: str) -> Any:
    return json.loads(json.dumps(load_yaml(body), default=str))  # plain dicts and lists, dates as text


def _where_in(error: Exception) -> str:
    """A parser's error in one line, with the line and column where it found the problem (1-based, as editors count)."""
    mark = getattr(error, "problem_mark", None)
    if mark is not None:  # PyYAML's MarkedYAMLError
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or "syntax error"
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


MAPPING_SECTIONS = ("Parameters", "Outputs", "Mappings", "Conditions", "Rules", "Metadata")


def check_shape(template: dict[str, Any], where: str) -> None:
    """The structure CloudFormation (and this tool) relies on: sections are mappings, resources and parameters have a
    Type."""
    for section in MAPPING_SECTIONS:
        if section in template and not isinstance(template[section], dict):
            raise UserError(f"{where}: {section} must be a mapping of names to definitions")
    for name, resource in template["Resources"].items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise UserError(f"{where}: resource {name} needs a Type (e.g. Type: AWS::SNS::Topic)")
        if not isinstance(resource.get("Properties", {}), dict):
            raise UserError(f"{where}: resource {name}: Properties must be a mapping")
    for name, parameter in (template.get("Parameters") or {}).items():
        if not isinstance(parameter, dict) or not isinstance(parameter.get("Type"), str):
            raise UserError(f"{where}: parameter {name} needs a Type (e.g. Type: String)")
        if not isinstance(parameter.get("AllowedValues", []), list):
            raise UserError(f"{where}: parameter {name}: AllowedValues must be a list")
    for name, output in (template.get("Outputs") or {}).items():
        if not isinstance(output, dict) or "Value" not in output:
            raise UserError(f"{where}: output {name} needs a Value")


def parse_deployed_template(body: Any) -> dict[str, Any]:
    """GetTemplate's TemplateBody: JSON text, YAML text, or (in some SDK paths) already a dict."""
    return parse_template_text(body, "the deployed template") if isinstance(body, str) else dict(body)


def resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's resources, leaving out anything that is not a resource mapping."""
    return {lid: r for lid, r in (template.get("Resources") or {}).items() if isinstance(r, dict)}


def required_capabilities(template: dict[str, Any]) -> list[str]:
    iam = [r for r in resources(template).values() if str(r.get("Type", "")).startswith("AWS::IAM::")]
    capabilities = []
    if any(any(k in (r.get("Properties") or {}) for k in NAMED_IAM_PROPERTIES) for r in iam):
        capabilities.append("CAPABILITY_NAMED_IAM")
    elif iam:
        capabilities.append("CAPABILITY_IAM")
    if template.get("Transform"):
        capabilities.append("CAPABILITY_AUTO_EXPAND")
    return capabilities


def retained_ids(template: dict[str, Any]) -> dict[str, str]:
    """Logical ID -> DeletionPolicy, for the resources a stack delete keeps."""
    return {lid: str(r["DeletionPolicy"]) for lid, r in resources(template).items() if is_retained(r)}
