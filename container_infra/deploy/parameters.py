"""Stack parameters: --parameter wins, then the previous value, the template default, the default VPC."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from container_infra.deploy.aws import Aws
from container_infra.errors import UserError

VPC_TYPE = "AWS::EC2::VPC::Id"
SUBNETS_TYPE = "List<AWS::EC2::Subnet::Id>"


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
        result[key.strip()] = value
    return result


def resolve(template: dict[str, Any], overrides: dict[str, str], previous: dict[str, str] | None, aws: Aws) -> ResolvedParameters:
    specs: dict[str, dict[str, Any]] = template.get("Parameters") or {}
    _check_overrides(specs, overrides)
    resolved = ResolvedParameters()
    vpc_lookup = _DefaultVpc(aws)
    for name, spec in specs.items():
        if name in overrides:
            resolved.values[name] = overrides[name]
        elif previous is not None and name in previous and "Default" not in spec:
            resolved.values[name] = previous[name]
            if _is_secret(spec):  # its value comes back as ****: only CloudFormation knows it
                resolved.api.append({"ParameterKey": name, "UsePreviousValue": True})
                continue
        elif "Default" in spec:
            resolved.values[name] = str(spec["Default"])
        elif spec.get("Type") == VPC_TYPE:
            resolved.values[name] = vpc_lookup.vpc_id(name)
            resolved.notes.append(f"{name} = {resolved.values[name]}: the default VPC of {aws.region} (no value given)")
        elif spec.get("Type") == SUBNETS_TYPE:
            resolved.values[name] = ",".join(vpc_lookup.subnet_ids(name))
            resolved.notes.append(f"{name} = {resolved.values[name]}: the default VPC's subnets (no value given)")
        else:
            raise UserError(f"parameter {name} has no value and no default: pass --parameter {name}=VALUE")
        resolved.api.append({"ParameterKey": name, "ParameterValue": resolved.values[name]})
    _check_load_balancer_subnets(template, resolved.values)
    return resolved


def _check_load_balancer_subnets(template: dict[str, Any], values: dict[str, str]) -> None:
    """An Application Load Balancer needs subnets in two Availability Zones: say so before CloudFormation fails on it."""
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::ElasticLoadBalancingV2::LoadBalancer":
            continue
        subnets = (resource.get("Properties") or {}).get("Subnets")
        name = subnets.get("Ref") if isinstance(subnets, dict) else None
        if name in values and len([s for s in values[name].split(",") if s.strip()]) < 2:
            raise UserError(f"parameter {name} = {values[name]}: a load balancer needs subnets in at least two Availability Zones; "
                            f"pass --parameter {name}=subnet-a,subnet-b")


def _is_secret(spec: dict[str, Any]) -> bool:
    return str(spec.get("NoEcho", "false")).lower() == "true"


def _check_overrides(specs: dict[str, dict[str, Any]], overrides: dict[str, str]) -> None:
    for name, value in overrides.items():
        if name not in specs:
            known = ", ".join(sorted(specs)) or "none"
            raise UserError(f"--parameter {name}={value}: the template has no parameter {name}; it has: {known}")
        allowed = specs[name].get("AllowedValues")
        if allowed and value not in [str(a) for a in allowed]:
            raise UserError(f"--parameter {name}={value}: not allowed; allowed: {', '.join(map(str, allowed))}")


class _DefaultVpc:
    """Like the chapter's `Vpc.from_lookup(is_default=True)`: looked up once, only when needed."""

    def __init__(self, aws: Aws) -> None:
        self.aws = aws
        self._vpc: str | None = None

    def vpc_id(self, parameter: str) -> str:
        if self._vpc is None:
            vpcs = self.aws.client("ec2").describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
            if not vpcs:
                raise UserError(f"parameter {parameter}: no value given and {self.aws.region} has no default VPC; pass --parameter {parameter}=vpc-...")
            self._vpc = str(vpcs[0]["VpcId"])
        return self._vpc

    def subnet_ids(self, parameter: str) -> list[str]:
        vpc = self.vpc_id(parameter)
        ec2 = self.aws.client("ec2")
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        defaults = [s for s in subnets if s.get("DefaultForAz")] or subnets
        if len(defaults) < 1:
            raise UserError(f"parameter {parameter}: the default VPC {vpc} has no subnets; pass --parameter {parameter}=subnet-a,subnet-b")
        return [s["SubnetId"] for s in sorted(defaults, key=lambda s: (s.get("AvailabilityZone", ""), s["SubnetId"]))]
