"""Security-group rules EC2 accepts, and where the load balancer and the tasks each live."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.render import of_type, one, template_for, web_config

# EC2 API reference, IpRange.Description / IpPermission rule descriptions: "Up to 255 characters in length. Allowed
# characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" (cfn-lint's schema has no pattern for it).
EC2_RULE_DESCRIPTION = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{0,255}")
HTTPS = {
    "port": 80,
    "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123",
    "domain": "app.example.com",
}


def rule_descriptions(template: dict[str, Any]) -> list[str]:
    found = []
    for resource in of_type(template, "AWS::EC2::SecurityGroup").values():
        props = resource["Properties"]
        found += [
            rule["Description"] for rule in props.get("SecurityGroupIngress", []) + props.get("SecurityGroupEgress", [])
        ]
    for kind in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        found += [r["Properties"]["Description"] for r in of_type(template, kind).values()]
    return found


@pytest.mark.parametrize("balancer", [{}, HTTPS], ids=["http", "https"])
def test_every_rule_description_is_one_ec2_accepts(balancer):
    descriptions = rule_descriptions(template_for(web_config(load_balancer=balancer)))
    assert len(descriptions) >= 4
    bad = [text for text in descriptions if not EC2_RULE_DESCRIPTION.fullmatch(text)]
    assert bad == []


def test_the_description_check_sees_an_apostrophe():
    assert not EC2_RULE_DESCRIPTION.fullmatch("To the tasks' container port only")
    assert not EC2_RULE_DESCRIPTION.fullmatch("x" * 256)


def test_the_load_balancer_and_the_tasks_have_their_own_subnets():
    template = template_for(web_config(service={"assign_public_ip": False}))
    _, balancer = one(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    _, service = one(template, "AWS::ECS::Service")
    awsvpc = service["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert balancer["Scheme"] == "internet-facing" and balancer["Subnets"] == {"Ref": "LoadBalancerSubnets"}
    assert awsvpc["Subnets"] == {"Ref": "TaskSubnets"} and awsvpc["AssignPublicIp"] == "DISABLED"
    parameters = template["Parameters"]
    assert "Subnets" not in parameters
    # deploy.py fills any List<AWS::EC2::Subnet::Id> parameter without a value from the default VPC
    # (container_infra/deploy/parameters.py), and checks the two-AZ minimum on whatever the ALB's Subnets Ref names.
    assert (
        parameters["LoadBalancerSubnets"]["Type"] == parameters["TaskSubnets"]["Type"] == "List<AWS::EC2::Subnet::Id>"
    )
    assert "two or more Availability Zones" in parameters["LoadBalancerSubnets"]["Description"]


def test_the_console_groups_and_labels_both_subnet_lists():
    interface = template_for(web_config())["Metadata"]["AWS::CloudFormation::Interface"]
    (network,) = [g for g in interface["ParameterGroups"] if g["Label"]["default"] == "Network"]
    assert network["Parameters"] == ["VpcId", "LoadBalancerSubnets", "TaskSubnets"]
    labels = {name: label["default"] for name, label in interface["ParameterLabels"].items()}
    assert "Load balancer" in labels["LoadBalancerSubnets"] and "Task" in labels["TaskSubnets"]
