"""A service without a load balancer (`[service] load_balancer = false`): the template, and the config it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import WEB_CONTAINER, of_type, one, template_for, web_config

WORKER = {"name": "worker", "image": "public.ecr.aws/docker/library/busybox:latest"}
PEER = "sg-0123456789abcdef0"


def backend(**service: Any) -> dict[str, Any]:
    return web_config(service={"load_balancer": False, **service})


def refusal(config: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as error:
        parse_config(config, "app.toml")
    return str(error.value)


def test_the_service_runs_without_load_balancer_resources_and_takes_none_off_a_former_one():
    template = template_for(backend())
    assert not [r for r in template["Resources"].values() if r["Type"].startswith("AWS::ElasticLoadBalancingV2::")]
    _, service = one(template, "AWS::ECS::Service")
    # An empty list, not a missing key: the form that takes a load balancer off a service that had one.
    assert service["LoadBalancers"] == []
    service_id, _ = one(template, "AWS::ECS::Service")
    assert "DependsOn" not in template["Resources"][service_id]
    assert set(template["Parameters"]) >= {"VpcId", "TaskSubnets"}
    assert "LoadBalancerSubnets" not in template["Parameters"]
    assert service["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"] == {"Ref": "TaskSubnets"}
    assert set(template["Outputs"]) >= {"ServiceName"}
    assert not {"ServiceUrl", "LoadBalancerDnsName"} & set(template["Outputs"])
    assert "without a load balancer" in template["Description"]


def test_its_security_group_lets_nothing_in_unless_the_config_names_who():
    _, closed = one(template_for(backend()), "AWS::EC2::SecurityGroup")
    assert "SecurityGroupIngress" not in closed
    assert of_type(template_for(backend()), "AWS::EC2::SecurityGroupIngress") == {}
    _, opened = one(template_for(backend(ingress_from=[PEER])), "AWS::EC2::SecurityGroup")
    (rule,) = opened["SecurityGroupIngress"]
    assert (rule["SourceSecurityGroupId"], rule["FromPort"], rule["ToPort"]) == (PEER, 8000, 8000)
    assert "CidrIp" not in rule and "CidrIpv6" not in rule


@pytest.mark.parametrize("public", [True, False])
def test_the_tasks_sit_in_the_subnets_the_network_settings_say(public):
    _, service = one(template_for(backend(assign_public_ip=public)), "AWS::ECS::Service")
    assert service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == (
        "ENABLED" if public else "DISABLED"
    )


def test_deployment_autoscaling_exec_and_logs_are_those_of_the_web_service():
    config = backend(enable_execute_command=True, autoscaling={"min": 1, "max": 3}, deployment={"bake_minutes": 5})
    template = template_for(config)
    _, service = one(template, "AWS::ECS::Service")
    _, web_service = one(template_for(web_config(service={"enable_execute_command": True})), "AWS::ECS::Service")
    assert service["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert service["DeploymentConfiguration"]["BakeTimeInMinutes"] == 5
    assert service["EnableExecuteCommand"] is True
    assert "DesiredCount" not in service
    _, target = one(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 3)
    assert of_type(template, "AWS::Logs::LogGroup")
    (definition,) = one(template, "AWS::ECS::TaskDefinition")[1]["ContainerDefinitions"]
    assert definition["LogConfiguration"]["LogDriver"] == "awslogs"
    for key in ("LaunchType", "PropagateTags", "EnableECSManagedTags"):
        assert service[key] == web_service[key]


def test_a_worker_needs_no_port():
    template = template_for({"task": {"containers": [WORKER]}, "service": {"load_balancer": False}})
    _, service = one(template, "AWS::ECS::Service")
    assert service["LoadBalancers"] == []
    assert (
        parse_config({"task": {"containers": [WORKER]}, "service": {"load_balancer": False}}, "x").service.container
        == ""
    )


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {**backend(), "load_balancer": {"port": 8080}},
            "app.toml: [load_balancer] is set but [service] says load_balancer = false; remove one of the two",
        ),
        (backend(health_check_path="/health"), 'service.health_check_path = "/health": only for a service behind'),
        (backend(rollback={"alarms": True}), "service.rollback = "),
        (backend(deployment={"strategy": "blue_green"}), "strategy blue_green moves traffic between two target groups"),
        (web_config(service={"ingress_from": [PEER]}), "only with load_balancer = false"),
        (backend(ingress_from=[]), "service.ingress_from = []: empty; leave the key out for no ingress at all"),
        (backend(ingress_from=["0.0.0.0/0"]), 'service.ingress_from = "0.0.0.0/0": must be a security group ID'),
        (backend(ingress_from=[PEER, PEER]), "lists a security group twice"),
        (
            {"task": {"containers": [WORKER]}, "service": {"load_balancer": False, "ingress_from": [PEER]}},
            "needs a container with a port",
        ),
        (backend(load_balancer="no"), 'service.load_balancer = "no": must be true or false'),
    ],
)
def test_what_only_a_load_balancer_gives_meaning_to_is_one_clear_refusal(config, expected):
    message = refusal(config)
    assert expected in message and "\n" not in message


def test_the_web_service_is_unchanged_by_the_switch():
    explicit = template_for(web_config(service={"load_balancer": True}))
    assert explicit == template_for(web_config())
    _, service = one(explicit, "AWS::ECS::Service")
    assert service["LoadBalancers"][0]["ContainerName"] == WEB_CONTAINER["name"]


def test_the_group_description_stays_the_same_whoever_may_call_and_the_group_id_is_an_output():
    """GroupDescription is create-only: a description that followed ingress_from would replace the group (and change
    its ID under the callers' rules) each time a caller is added or removed."""
    descriptions = {
        one(template_for(backend(**extra)), "AWS::EC2::SecurityGroup")[1]["GroupDescription"]
        for extra in ({}, {"ingress_from": [PEER]}, {"ingress_from": [PEER, "sg-0fedcba9876543210"]})
    }
    assert len(descriptions) == 1
    template = template_for(backend())
    group_id, _ = one(template, "AWS::EC2::SecurityGroup")
    assert template["Outputs"]["TaskSecurityGroupId"]["Value"] == {"Fn::GetAtt": [group_id, "GroupId"]}
    assert "TaskSecurityGroupId" not in template_for(web_config())["Outputs"]


HEALTH = {"command": ["CMD-SHELL", "true"]}


@pytest.mark.parametrize(("checked", "carried"), [(False, False), (True, True)])
def test_the_grace_period_is_there_only_when_a_health_check_can_use_it(checked, carried):
    container = {**WORKER, **({"health_check": HEALTH} if checked else {})}
    config = {"task": {"containers": [container]}, "service": {"load_balancer": False}}
    _, service = one(template_for(config), "AWS::ECS::Service")
    assert ("HealthCheckGracePeriodSeconds" in service) is carried
