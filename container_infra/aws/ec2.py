"""The region's default VPC and its subnets, looked up once and only when a parameter needs them."""

from __future__ import annotations

from typing import Any

from container_infra.aws.session import Aws
from container_infra.errors import AwsError, UserError


class DefaultVpcLookup:
    """Like the chapter's `Vpc.from_lookup(is_default=True)` (see `container_infra.cfn.parameters.DefaultVpc`)."""

    def __init__(self, aws: Aws) -> None:
        self.aws = aws
        self.region = aws.region
        self._vpc: str | None = None

    def vpc_id(self, parameter: str) -> str:
        if self._vpc is None:
            vpcs = self.aws.client("ec2").describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
            if not vpcs:
                raise UserError(
                    f"parameter {parameter}: no value given and {self.region} has no default VPC; "
                    f"pass --parameter {parameter}=vpc-..."
                )
            self._vpc = str(vpcs[0]["VpcId"])
        return self._vpc

    def subnet_ids(self, parameter: str) -> list[str]:
        vpc = self.vpc_id(parameter)
        subnets = self.aws.client("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        defaults = [s for s in subnets if s.get("DefaultForAz")] or subnets
        if not defaults:
            raise UserError(
                f"parameter {parameter}: the default VPC {vpc} has no subnets; "
                f"pass --parameter {parameter}=subnet-a,subnet-b"
            )
        return [s["SubnetId"] for s in sorted(defaults, key=lambda s: (s.get("AvailabilityZone", ""), s["SubnetId"]))]


def subnet_zones(ec2: Any, subnet_ids: list[str]) -> dict[str, str]:
    """Subnet ID -> Availability Zone, for the subnets that exist (an unknown ID is left out)."""
    return {subnet_id: str(subnet["AvailabilityZone"]) for subnet_id, subnet in known_subnets(ec2, subnet_ids).items()}


def known_subnets(ec2: Any, subnet_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Subnet ID -> its DescribeSubnets entry, for the subnets that exist (an unknown ID is left out)."""
    found: dict[str, dict[str, Any]] = {}
    for subnet_id in subnet_ids:
        try:
            subnets = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"]
        except AwsError as error:
            if error.code in ("InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed"):
                continue
            raise
        found.update({s["SubnetId"]: s for s in subnets})
    return found


def has_ipv6_cidr(subnet: dict[str, Any]) -> bool:
    """Whether an IPv6 CIDR block is associated with the subnet (a dualstack load balancer needs one in each)."""
    return any(
        (block.get("Ipv6CidrBlockState") or {}).get("State") == "associated"
        for block in subnet.get("Ipv6CidrBlockAssociationSet") or []
    )
