"""Stack parameters: --parameter wins, then the previous value, the template default, the default VPC.

A parameter that takes its template default is not sent: CloudFormation uses the Default as the template writes it.

Pure: the default VPC comes from a lookup the caller passes in (`container_infra.aws.ec2`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from container_infra.cfn.constants import (
    HOSTED_ZONE_PARAMETER_TYPE,
    LOAD_BALANCER_TYPE,
    REVIEW_IN_PROGRESS,
    SECRET_MASK,
    SUBNETS_PARAMETER_TYPE,
    VPC_PARAMETER_TYPE,
    is_list_type,
    is_secret,
)
from container_infra.cfn.template import resources
from container_infra.errors import UserError
from container_infra.naming import LOOKUP_METADATA


class DefaultVpc(Protocol):
    """Where a VPC or subnet parameter without a value comes from (like CDK's `Vpc.from_lookup(is_default=True)`)."""

    region: str

    def vpc_id(self, parameter: str) -> str: ...

    def subnet_ids(self, parameter: str) -> list[str]: ...


class HostedZones(Protocol):
    """Where a hosted zone parameter named in the template's lookup Metadata gets its ID: the public zone of that
    name."""

    def zone_id(self, parameter: str, zone_name: str) -> str: ...


@dataclass
class ResolvedParameters:
    api: list[dict[str, Any]] = field(default_factory=list)  # CreateChangeSet's Parameters
    values: dict[str, str] = field(default_factory=dict)  # what each parameter will be, for the diff
    notes: list[str] = field(default_factory=list)  # where a value came from, when not obvious


def parse_assignments(items: list[str], flag: str) -> dict[str, str]:
    """`Key=Value` arguments (repeatable flags) into a dict; the value may contain '='."""
    result: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"{flag} {item!r}: expected Key=Value")
        if not value.strip():
            raise UserError(
                f"{flag} {item!r}: empty value for {key.strip()}; give a value, or leave out {flag} {key.strip()} for "
                "its default"
            )
        if key.strip() in result:
            raise UserError(f"{flag} {key.strip()} given twice: give each key once")  # never "the last one wins"
        result[key.strip()] = value
    return result


def previous_values(stack: dict[str, Any] | None) -> dict[str, str] | None:
    """The deployed stack's parameter values (a list parameter as `a,b`); None for a new stack."""
    if stack is None or stack["StackStatus"] == REVIEW_IN_PROGRESS:
        return None
    return {p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters", [])}


def resolve(
    template: dict[str, Any],
    overrides: dict[str, str],
    previous: dict[str, str] | None,
    default_vpc: DefaultVpc,
    zones: HostedZones | None = None,
) -> ResolvedParameters:
    """A zone named in the template is looked up on every deploy (before a previous value): the config's name
    decides."""
    specs: dict[str, dict[str, Any]] = template.get("Parameters") or {}
    _check_overrides(specs, overrides)
    lookups = zone_lookups(template)
    resolved = ResolvedParameters()
    for name, spec in specs.items():
        if name in overrides:
            resolved.values[name] = overrides[name]
        elif name in lookups and spec.get("Type") == HOSTED_ZONE_PARAMETER_TYPE and zones is not None:
            resolved.values[name] = zones.zone_id(name, lookups[name])
            resolved.notes.append(f"{name} = {resolved.values[name]}: the public hosted zone {lookups[name]}")
        elif previous is not None and name in previous and "Default" not in spec:
            resolved.values[name] = previous[name]
            if is_secret(spec):  # its value comes back as ****: only CloudFormation knows it
                resolved.api.append({"ParameterKey": name, "UsePreviousValue": True})
                continue
        elif "Default" in spec:
            # Left to CloudFormation, which reads the Default as written: a parsed `true`, `0123` or `1.50` sent back
            # as text would be "True", "83" or "1.5". The diff shows it as CloudFormation's YAML would read it.
            resolved.values[name] = default_text(spec["Default"])
            continue
        elif spec.get("Type") == VPC_PARAMETER_TYPE:
            resolved.values[name] = default_vpc.vpc_id(name)
            resolved.notes.append(
                f"{name} = {resolved.values[name]}: the default VPC of {default_vpc.region} (no value given)"
            )
        elif spec.get("Type") == SUBNETS_PARAMETER_TYPE:
            resolved.values[name] = ",".join(default_vpc.subnet_ids(name))
            resolved.notes.append(f"{name} = {resolved.values[name]}: the default VPC's subnets (no value given)")
        else:
            raise UserError(f"parameter {name} has no value and no default: pass --parameter {name}=VALUE")
        resolved.api.append({"ParameterKey": name, "ParameterValue": resolved.values[name]})
    _check_load_balancer_subnets(template, resolved.values)
    return resolved


def default_text(value: Any) -> str:
    """A parsed Default as text for the diff: booleans as YAML and JSON write them, lists comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(default_text(item) for item in value)
    return str(value)


def zone_lookups(template: dict[str, Any]) -> dict[str, str]:
    """Parameter -> the hosted zone name it is looked up by (the template's lookup Metadata, written by generate.py)."""
    lookups = (template.get("Metadata") or {}).get(LOOKUP_METADATA) or {}
    return {
        name: str(spec["HostedZoneName"])
        for name, spec in lookups.items()
        if isinstance(spec, dict) and isinstance(spec.get("HostedZoneName"), str)
    }


def template_parameter_values(template: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The values a template's parameters take (given ones, else defaults), lists split like CloudFormation."""
    resolved: dict[str, Any] = {}
    for name, spec in (template.get("Parameters") or {}).items():
        raw = values[name] if name in values else default_text(spec["Default"]) if "Default" in spec else None
        if raw is None:
            continue
        resolved[name] = [item.strip() for item in raw.split(",")] if is_list_type(spec) else raw
    return resolved


def _check_load_balancer_subnets(template: dict[str, Any], values: dict[str, str]) -> None:
    """An Application Load Balancer needs subnets in two Availability Zones: say so before CloudFormation fails on
    it."""
    for resource in resources(template).values():
        if resource.get("Type") != LOAD_BALANCER_TYPE:
            continue
        subnets = (resource.get("Properties") or {}).get("Subnets")
        name = subnets.get("Ref") if isinstance(subnets, dict) else None
        if name in values and len([s for s in values[name].split(",") if s.strip()]) < 2:
            raise UserError(
                f"parameter {name} = {values[name]}: a load balancer needs subnets in at least two Availability Zones; "
                f"pass --parameter {name}=subnet-a,subnet-b"
            )


def _check_overrides(specs: dict[str, dict[str, Any]], overrides: dict[str, str]) -> None:
    for name, value in overrides.items():
        if name not in specs:
            known = ", ".join(sorted(specs)) or "none"
            # the value is not echoed: a misspelt name is not known to be NoEcho, and its value may be a secret
            raise UserError(f"--parameter {name}=...: the template has no parameter {name}; it has: {known}")
        allowed = specs[name].get("AllowedValues")
        if allowed and value not in [str(a) for a in allowed]:
            shown = SECRET_MASK if is_secret(specs[name]) else value
            raise UserError(f"--parameter {name}={shown}: not allowed; allowed: {', '.join(map(str, allowed))}")
