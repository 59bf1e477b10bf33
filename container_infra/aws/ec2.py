"""The region's default VPC and its subnets, looked up once and only when a parameter needs them."""

from __future__ import annotations

from container_infra.aws.session import Aws
from container_infra.errors import UserError


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
                raise UserError(f"parameter {parameter}: no value given and {self.region} has no default VPC; pass --parameter {parameter}=vpc-...")
            self._vpc = str(vpcs[0]["VpcId"])
        return self._vpc

    def subnet_ids(self, parameter: str) -> list[str]:
        vpc = self.vpc_id(parameter)
        subnets = self.aws.client("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        defaults = [s for s in subnets if s.get("DefaultForAz")] or subnets
        if not defaults:
            raise UserError(f"parameter {parameter}: the default VPC {vpc} has no subnets; pass --parameter {parameter}=subnet-a,subnet-b")
        return [s["SubnetId"] for s in sorted(defaults, key=lambda s: (s.get("AvailabilityZone", ""), s["SubnetId"]))]
