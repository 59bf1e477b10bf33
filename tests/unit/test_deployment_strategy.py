"""[service.deployment]: ECS's native rolling, blue/green, canary and linear deployments in the template."""

from __future__ import annotations

import json
from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import of_type, one, template_for, template_text, web_config

TEST_ACCESS = {"test_listener_port": 8080, "test_listener_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]}
CERTIFICATE = {
    "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f",
    "domain": "app.example.com",
}


def deployed(deployment: dict[str, Any], **sections: Any) -> dict[str, Any]:
    service = {"deployment": deployment, **sections.pop("service", {})}
    return template_for(web_config(service=service, **sections))


def service_of(template: dict[str, Any]) -> dict[str, Any]:
    return one(template, "AWS::ECS::Service")[1]


def test_no_table_and_a_plain_rolling_strategy_leave_the_template_as_it_was():
    before = template_text(web_config())
    assert template_text(web_config(service={"deployment": {"strategy": "rolling"}})) == before
    assert "Strategy" not in before and "AlternateTargetGroup" not in before


def test_rolling_with_a_bake_time():
    configuration = service_of(deployed({"strategy": "rolling", "bake_minutes": 3}))["DeploymentConfiguration"]
    assert (configuration["Strategy"], configuration["BakeTimeInMinutes"]) == ("ROLLING", 3)
    assert "CanaryConfiguration" not in configuration and "LinearConfiguration" not in configuration


@pytest.mark.parametrize(
    ("strategy", "extra", "expected"),
    [
        ("blue_green", {}, {}),
        (
            "canary",
            {"canary_percent": 10, "canary_bake_minutes": 20},
            {"CanaryConfiguration": {"CanaryPercent": 10, "CanaryBakeTimeInMinutes": 20}},
        ),
        ("canary", {}, {"CanaryConfiguration": {"CanaryPercent": 5, "CanaryBakeTimeInMinutes": 10}}),
        (
            "linear",
            {"step_percent": 12.5, "step_bake_minutes": 3},
            {"LinearConfiguration": {"StepPercent": 12.5, "StepBakeTimeInMinutes": 3}},
        ),
    ],
)
def test_each_strategy_on_the_service(strategy, extra, expected):
    service = service_of(deployed({"strategy": strategy, "bake_minutes": 7, **extra}))
    configuration = service["DeploymentConfiguration"]
    assert configuration["Strategy"] == strategy.upper()
    assert configuration["BakeTimeInMinutes"] == 7
    assert {
        k: configuration[k] for k in ("CanaryConfiguration", "LinearConfiguration") if k in configuration
    } == expected
    # "Amazon ECS deployment failure detection": the circuit breaker supports rolling and blue/green only.
    breaker = {"Enable": True, "Rollback": True} if strategy == "blue_green" else None
    assert configuration.get("DeploymentCircuitBreaker") == breaker
    assert service["DeploymentController"] == {"Type": "ECS"}
    (balancer,) = service["LoadBalancers"]
    assert balancer["TargetGroupArn"] == {"Ref": "WebappTargetGroup"}
    assert balancer["AdvancedConfiguration"] == {
        "AlternateTargetGroupArn": {"Ref": "WebappAlternateTargetGroup"},
        "ProductionListenerRule": {"Ref": "WebappProductionListenerRule"},
        "RoleArn": {"Fn::GetAtt": ["WebappEcsInfrastructureRole", "Arn"]},
    }


def test_the_bake_time_defaults_to_ecs_fifteen_minutes():
    assert service_of(deployed({"strategy": "blue_green"}))["DeploymentConfiguration"]["BakeTimeInMinutes"] == 15


def test_the_alternate_target_group_is_the_primarys_twin():
    groups = {
        lid: r["Properties"]
        for lid, r in of_type(deployed({"strategy": "blue_green"}), "AWS::ElasticLoadBalancingV2::TargetGroup").items()
    }
    assert sorted(groups) == ["WebappAlternateTargetGroup", "WebappTargetGroup"]
    assert groups["WebappAlternateTargetGroup"] == groups["WebappTargetGroup"]


def _rule_forwarding(listener: str) -> dict[str, Any]:
    return {
        "ListenerArn": {"Ref": listener},
        "Priority": 1,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}],
        "Actions": [
            {
                "Type": "forward",
                "ForwardConfig": {
                    "TargetGroups": [
                        {"TargetGroupArn": {"Ref": "WebappTargetGroup"}, "Weight": 100},
                        {"TargetGroupArn": {"Ref": "WebappAlternateTargetGroup"}, "Weight": 0},
                    ]
                },
            }
        ],
    }


@pytest.mark.parametrize(
    ("load_balancer", "production"), [({}, "WebappHttpListener"), (CERTIFICATE, "WebappHttpsListener")]
)
def test_the_production_rule_sits_on_the_listener_that_forwards(load_balancer, production):
    rules = of_type(
        deployed({"strategy": "canary"}, load_balancer=load_balancer), "AWS::ElasticLoadBalancingV2::ListenerRule"
    )
    assert {lid: r["Properties"] for lid, r in rules.items()} == {
        "WebappProductionListenerRule": _rule_forwarding(production)
    }


def test_the_test_listener_its_rule_and_who_may_reach_it():
    template = deployed({"strategy": "blue_green", **TEST_ACCESS})
    listener = template["Resources"]["WebappTestListener"]["Properties"]
    assert (listener["Port"], listener["Protocol"]) == (8080, "HTTP")
    assert template["Resources"]["WebappTestListenerRule"]["Properties"] == _rule_forwarding("WebappTestListener")
    assert service_of(template)["LoadBalancers"][0]["AdvancedConfiguration"]["TestListenerRule"] == {
        "Ref": "WebappTestListenerRule"
    }
    ingress = [
        r["Properties"]
        for r in of_type(template, "AWS::EC2::SecurityGroupIngress").values()
        if r["Properties"].get("CidrIp")
    ]
    assert [(i["CidrIp"], i["FromPort"], i["ToPort"], i["GroupId"]) for i in ingress] == [
        (cidr, 8080, 8080, {"Fn::GetAtt": ["WebappLoadBalancerSecurityGroup", "GroupId"]})
        for cidr in TEST_ACCESS["test_listener_cidrs"]
    ]
    open_ports = [
        rule["FromPort"]
        for rule in template["Resources"]["WebappLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    ]
    assert open_ports == [80]  # the test port is not open to the internet


def test_an_https_test_listener_uses_the_production_certificate_and_policy():
    template = deployed({"strategy": "linear", **TEST_ACCESS}, load_balancer=CERTIFICATE)
    test, https = (template["Resources"][lid]["Properties"] for lid in ("WebappTestListener", "WebappHttpsListener"))
    assert test["Protocol"] == "HTTPS" and test["Port"] == 8080
    assert (test["Certificates"], test["SslPolicy"]) == (https["Certificates"], https["SslPolicy"])


def _statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (policy,) = template["Resources"]["WebappEcsInfrastructureRole"]["Properties"]["Policies"]
    return {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}


def test_the_infrastructure_role_is_trusted_by_ecs_and_limited_to_this_stacks_load_balancing():
    template = deployed({"strategy": "blue_green", **TEST_ACCESS})
    role = template["Resources"]["WebappEcsInfrastructureRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": "ecs.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role
    statements = _statements(template)
    assert statements["ReadTheLoadBalancer"]["Resource"] == ["*"]  # Describe* have no resource-level permissions
    assert all(a.startswith("elasticloadbalancing:Describe") for a in statements["ReadTheLoadBalancer"]["Action"])
    assert statements["RegisterTasksInTheTwoTargetGroups"]["Resource"] == [
        {"Ref": "WebappTargetGroup"},
        {"Ref": "WebappAlternateTargetGroup"},
    ]
    assert statements["ShiftTrafficOnTheListeners"]["Resource"] == [
        {"Ref": "WebappHttpListener"},
        {"Ref": "WebappTestListener"},
    ]
    assert statements["ShiftTrafficOnTheRules"]["Resource"] == [
        {"Ref": "WebappProductionListenerRule"},
        {"Ref": "WebappTestListenerRule"},
    ]
    actions = {a for s in statements.values() for a in s["Action"]}
    assert actions == {
        "elasticloadbalancing:" + a
        for a in (
            "DescribeListeners",
            "DescribeRules",
            "DescribeTargetGroups",
            "DescribeTargetHealth",
            "RegisterTargets",
            "DeregisterTargets",
            "ModifyListener",
            "ModifyRule",
        )
    }


def test_without_a_test_listener_the_role_reaches_only_the_production_listener_and_rule():
    statements = _statements(deployed({"strategy": "canary"}))
    assert statements["ShiftTrafficOnTheListeners"]["Resource"] == [{"Ref": "WebappHttpListener"}]
    assert statements["ShiftTrafficOnTheRules"]["Resource"] == [{"Ref": "WebappProductionListenerRule"}]


def test_rollback_alarms_watch_both_target_groups():
    template = deployed({"strategy": "blue_green"}, service={"rollback": {"alarms": True}})
    alarms = service_of(template)["DeploymentConfiguration"]["Alarms"]["AlarmNames"]
    assert alarms == [
        {"Ref": lid}
        for lid in (
            "WebappTarget5xxAlarm",
            "WebappUnhealthyHostsAlarm",
            "WebappAlternateTarget5xxAlarm",
            "WebappAlternateUnhealthyHostsAlarm",
            "WebappLoadBalancer5xxAlarm",  # the load balancer's own 5xx: one alarm, no target group dimension
        )
    ]
    dimension = template["Resources"]["WebappAlternateTarget5xxAlarm"]["Properties"]["Dimensions"][0]
    assert dimension["Value"] == {"Fn::GetAtt": ["WebappAlternateTargetGroup", "TargetGroupFullName"]}


def test_only_percentages_cfn_lint_misjudges_skip_its_schema_check_on_the_service():
    assert (
        "Metadata"
        not in template_for(web_config(service={"deployment": {"strategy": "canary", "canary_percent": 2.5}}))[
            "Resources"
        ]["WebappService"]
    )
    metadata = template_for(web_config(service={"deployment": {"strategy": "canary", "canary_percent": 2.3}}))[
        "Resources"
    ]["WebappService"]["Metadata"]
    assert metadata == {"cfn-lint": {"config": {"ignore_checks": ["E3002"]}}}


@pytest.mark.parametrize(
    ("deployment", "fragment"),
    [
        (
            {"strategy": "blue-green"},
            'service.deployment.strategy = "blue-green": must be one of rolling, blue_green, canary, linear',
        ),
        ({"strategy": ""}, 'service.deployment.strategy = "": empty'),
        (
            {"strategy": "canary", "bake_minutes": 1441},
            "service.deployment.bake_minutes = 1441: must be an integer from 0 to 1440",
        ),
        (
            {"strategy": "canary", "canary_percent": 0},
            "service.deployment.canary_percent = 0: must be a number from 0.1 to 100 in steps of 0.1",
        ),
        ({"strategy": "canary", "canary_percent": 100.5}, "canary_percent = 100.5: must be a number from 0.1 to 100"),
        (
            {"strategy": "canary", "canary_percent": 2.25},
            "canary_percent = 2.25: must be a number from 0.1 to 100 in steps of 0.1",
        ),
        ({"strategy": "canary", "canary_percent": "5"}, 'canary_percent = "5": must be a number'),
        ({"strategy": "linear", "step_percent": 2.9}, "step_percent = 2.9: must be a number from 3 to 100"),
        # TOML floats that are numbers to isinstance but not to round(): one line, not an internal error
        (
            {"strategy": "canary", "canary_percent": float("nan")},
            "canary_percent = NaN: must be a number from 0.1 to 100",
        ),
        (
            {"strategy": "canary", "canary_percent": float("inf")},
            "canary_percent = Infinity: must be a number from 0.1 to 100",
        ),
        ({"strategy": "linear", "step_percent": 1e308}, "step_percent = 1e+308: must be a number from 3 to 100"),
        ({"strategy": "linear", "step_bake_minutes": -1}, "step_bake_minutes = -1: must be an integer from 0 to 1440"),
        (
            {"strategy": "canary", "step_percent": 10},
            'step_percent = 10: only with strategy = "linear" (strategy is "canary")',
        ),
        (
            {"strategy": "blue_green", "canary_percent": 10},
            'canary_percent = 10: only with strategy = "canary" (strategy is "blue_green")',
        ),
        (
            {"test_listener_port": 8080, "test_listener_cidrs": ["10.0.0.0/8"]},
            'test_listener_port = 8080: only with strategy = "blue_green"',
        ),
        ({"strategy": "blue_green", "test_listener_port": 8080}, "service.deployment.test_listener_cidrs is missing"),
        (
            {"strategy": "blue_green", "test_listener_cidrs": ["10.0.0.0/8"]},
            'test_listener_cidrs = ["10.0.0.0/8"]: needs test_listener_port',
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 8080, "test_listener_cidrs": []},
            "test_listener_cidrs = []: must be a non-empty array",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 8080, "test_listener_cidrs": ["10.0.0.0"]},
            "must be a non-empty array of IPv4 CIDR blocks",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 8080, "test_listener_cidrs": ["10.0.0.0/8", "10.0.0.0/8"]},
            "lists a CIDR block twice",
        ),
        # host bits set: cfn-lint's E3002 ('ipv4-network') and EC2 refuse it in the security group rule
        (
            {"strategy": "blue_green", "test_listener_port": 8080, "test_listener_cidrs": ["10.0.0.1/8"]},
            "10.0.0.1/8 has host bits set: a CIDR block names a network, here 10.0.0.0/8",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 8080, "test_listener_cidrs": ["198.51.100.7/24"]},
            "here 198.51.100.0/24",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 80, "test_listener_cidrs": ["10.0.0.0/8"]},
            "test_listener_port = 80: the load balancer keeps it",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 443, "test_listener_cidrs": ["10.0.0.0/8"]},
            "test_listener_port = 443: the load balancer keeps it",
        ),
        (
            {"strategy": "blue_green", "test_listener_port": 0, "test_listener_cidrs": ["10.0.0.0/8"]},
            "test_listener_port = 0: must be an integer from 1 to 65535",
        ),
        (
            {"strategy": "linear", "step_percent": 3, "step_bake_minutes": 60},
            "bakes 1995 minutes in all: CloudFormation refuses a linear deployment past 1980",
        ),
        ({"strategy": "canary", "bake_minutes": 1440, "canary_bake_minutes": 541}, "bakes 1981 minutes in all"),
        ({"strategy": "canary", "bake_time": 5}, "service.deployment.bake_time = 5: unknown key"),
    ],
)
def test_bad_deployment_values(deployment, fragment):
    with pytest.raises(ConfigError) as error:
        parse_config(web_config(service={"deployment": deployment}), "app.toml")
    assert fragment in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("deployment", "expected"),
    [
        (
            {"strategy": "linear", "step_percent": 3, "step_bake_minutes": 59, "bake_minutes": 33},
            {"LinearConfiguration": {"StepPercent": 3, "StepBakeTimeInMinutes": 59}},
        ),
        (
            {"strategy": "canary", "bake_minutes": 1440, "canary_bake_minutes": 540},
            {"CanaryConfiguration": {"CanaryPercent": 5, "CanaryBakeTimeInMinutes": 540}},
        ),
    ],
)
def test_linear_and_canary_just_within_cloudformations_33_hours(deployment, expected):
    """1980 minutes in all (33 linear steps of 59 plus 33; 1440 plus 540) is CloudFormation's limit, not past it: the
    config is taken as given and the service carries it unchanged."""
    config = parse_config(web_config(service={"deployment": deployment}), "app.toml")
    assert config.service is not None and config.service.deployment is not None
    assert config.service.deployment.total_bake_minutes() == 1980
    configuration = service_of(deployed(deployment))["DeploymentConfiguration"]
    assert configuration["Strategy"] == deployment["strategy"].upper()
    assert configuration["BakeTimeInMinutes"] == deployment["bake_minutes"]
    assert {k: configuration[k] for k in expected} == expected


@pytest.mark.parametrize("strategy", ["canary", "linear"])
def test_canary_and_linear_keep_the_rollback_alarms_without_the_circuit_breaker(strategy):
    service = service_of(deployed({"strategy": strategy}, service={"rollback": {"alarms": True}}))
    configuration = service["DeploymentConfiguration"]
    assert "DeploymentCircuitBreaker" not in configuration
    assert configuration["Alarms"]["Enable"] is True and configuration["Alarms"]["Rollback"] is True


def test_blue_green_behind_a_dualstack_load_balancer():
    """The ECS guide's "Application Load Balancer resources for blue/green, linear, and canary deployments" lists an
    IPv4 load balancer but does not say a dualstack one fails: the combination builds (lint rule W9009 warns about it,
    tests/programs/test_lint_rules.py), with two target groups of the same (IPv4) type and a forward-only rule."""
    load_balancer = {
        "domain": "app.example.com",
        "hosted_zone_id": "Z0123456789ABCDEFGHIJ",
        "ip_address_type": "dualstack",
    }
    config = web_config(service={"deployment": {"strategy": "blue_green"}}, load_balancer=load_balancer)
    template = template_for(config)
    groups = of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert len(groups) == 2 and len({json.dumps(g["Properties"], sort_keys=True) for g in groups.values()}) == 1
    (rule,) = of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert rule["Properties"]["ListenerArn"] == {"Ref": "WebappHttpsListener"}  # forward-only; HTTP only redirects
    assert [a["Type"] for a in rule["Properties"]["Actions"]] == ["forward"]
