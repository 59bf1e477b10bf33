"""CloudFormation intrinsic functions: resolve parameters into a template, and show what is left readably."""

from __future__ import annotations

import json
from typing import Any


def resolve_parameters(value: Any, parameters: dict[str, Any]) -> Any:
    """Replace `{"Ref": P}` with P's value wherever P is a known parameter; leave everything else."""
    if isinstance(value, list):
        return [resolve_parameters(item, parameters) for item in value]
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return parameters[value["Ref"]]
        return {key: resolve_parameters(item, parameters) for key, item in value.items()}
    return value


def show(value: Any) -> str:
    """A value as a reviewer reads it: `${Role.Arn}` for a GetAtt, plain text for strings, compact JSON else."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((function, argument),) = value.items()
        shown = _show_function(function, argument)
        if shown is not None:
            return shown
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) or _is_simple_ref(item) for item in value):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return json.dumps(_shown_inside(value), sort_keys=True, separators=(",", ":"))


def _show_function(function: str, argument: Any) -> str | None:
    if function == "Ref" and isinstance(argument, str):
        return "${" + argument + "}"
    if function == "Fn::GetAtt":
        parts = argument.split(".", 1) if isinstance(argument, str) else argument
        if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
            return "${" + ".".join(parts) + "}"
    if function == "Fn::Sub":
        text, variables = (
            (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2 else (argument, {})
        )
        if not isinstance(text, str) or not isinstance(variables, dict):
            return None
        for name, value in variables.items():
            text = text.replace("${" + name + "}", show(value))
        return text
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
        return str(argument[0]).join(show(part) for part in argument[1])
    return None


def _is_simple_ref(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt")


def _shown_inside(value: Any) -> Any:
    """Inside JSON, intrinsics still read as `${X}`."""
    if isinstance(value, dict):
        if len(value) == 1 and _show_function(*next(iter(value.items()))) is not None:
            return show(value)
        return {key: _shown_inside(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown_inside(item) for item in value]
    return value
