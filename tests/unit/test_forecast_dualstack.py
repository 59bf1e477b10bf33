"""The forecast's dualstack check against EC2 answers shaped like the real DescribeSubnets.

botocore's Stubber: moto accepts a dualstack load balancer in any subnet, and its DescribeSubnets reports an
associated IPv6 block's state as the string "{'State': 'associated'}", not "associated" as EC2 does.
Dualstack requirements (Elastic Load Balancing, "IP address types for your Application Load Balancer"): the
subnets you specify for the load balancer must have associated IPv6 CIDR blocks.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.steps.forecast import Forecast
from tests.fakes.stubs import client, stub_aws

SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


def _template(ip_address_type: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {"Type": "application", "Scheme": "internet-facing", "Subnets": SUBNETS}
    if ip_address_type:
        properties["IpAddressType"] = ip_address_type
    return {
        "Resources": {
            "WebLoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": properties}
        }
    }


def _subnet(subnet_id: str, zone: str, ipv6_state: str | None) -> dict[str, Any]:
    subnet: dict[str, Any] = {
        "SubnetId": subnet_id,
        "AvailabilityZone": zone,
        "VpcId": "vpc-0a1b2c3d4e5f60000",
        "CidrBlock": "10.0.0.0/24",
        "State": "available",
        "Ipv6CidrBlockAssociationSet": [],
    }
    if ipv6_state:
        subnet["Ipv6CidrBlockAssociationSet"] = [
            {
                "AssociationId": f"subnet-cidr-assoc-{subnet_id[-4:]}",
                "Ipv6CidrBlock": f"2001:db8:1234:{subnet_id[-1]}::/64",
                "Ipv6CidrBlockState": {"State": ipv6_state},
            }
        ]
    return subnet


def _findings(ip_address_type: str | None, states: list[str | None]) -> list[str]:
    ec2 = client("ec2")
    with Stubber(ec2) as stub:
        for subnet_id, zone, state in zip(SUBNETS, ("eu-west-1a", "eu-west-1b"), states, strict=True):
            stub.add_response(
                "describe_subnets", {"Subnets": [_subnet(subnet_id, zone, state)]}, {"SubnetIds": [subnet_id]}
            )
        forecast = Forecast(stub_aws(ec2=ec2), _template(ip_address_type), {}, set)
        return [f.text for f in forecast._load_balancer_zones()]


@pytest.mark.parametrize("ip_address_type", ["dualstack", "dualstack-without-public-ipv4"])
def test_a_dualstack_load_balancer_in_a_subnet_without_ipv6_is_forecast(ip_address_type):
    findings = _findings(ip_address_type, ["associated", None])
    assert findings == [
        f"WebLoadBalancer: subnet(s) {SUBNETS[1]} have no IPv6 CIDR block, which a dualstack load balancer needs "
        f"in each subnet (the default VPC's have none): associate one, pass subnets that have one, or set "
        f'[load_balancer] ip_address_type = "ipv4"'
    ]


def test_a_block_still_associating_or_gone_is_no_ipv6():
    assert SUBNETS[0] in _findings("dualstack", ["disassociated", "associated"])[0]


def test_dualstack_with_ipv6_in_every_subnet_passes():
    assert _findings("dualstack", ["associated", "associated"]) == []


@pytest.mark.parametrize("ip_address_type", [None, "ipv4"])
def test_an_ipv4_load_balancer_needs_no_ipv6(ip_address_type):
    assert _findings(ip_address_type, [None, None]) == []
