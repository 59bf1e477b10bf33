"""[service.rollback] alarms: CloudWatch alarms on the target group, wired to the service's deployment alarms."""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import of_type, one, template_for, web_config


def alarms_of(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in of_type(template, "AWS::CloudWatch::Alarm").items()}


def test_default_alarms_watch_5xx_and_unhealthy_hosts_and_roll_back():
    template = template_for(web_config(service={"rollback": {"alarms": True}}))
    alarms = alarms_of(template)
    assert sorted(alarms) == ["WebappLoadBalancer5xxAlarm", "WebappTarget5xxAlarm", "WebappUnhealthyHostsAlarm"]
    five = alarms["WebappTarget5xxAlarm"]
    assert (five["MetricName"], five["Statistic"], five["Threshold"]) == ("HTTPCode_Target_5XX_Count", "Sum", 10)
    assert (five["Period"], five["EvaluationPeriods"], five["DatapointsToAlarm"]) == (60, 2, 2)
    assert five["Dimensions"] == [
        {"Name": "TargetGroup", "Value": {"Fn::GetAtt": ["WebappTargetGroup", "TargetGroupFullName"]}},
        {"Name": "LoadBalancer", "Value": {"Fn::GetAtt": ["WebappLoadBalancer", "LoadBalancerFullName"]}},
    ]
    assert alarms["WebappUnhealthyHostsAlarm"]["Threshold"] == 1
    assert not any("AlarmActions" in a or "AlarmName" in a for a in alarms.values())
    deployment = one(template, "AWS::ECS::Service")[1]["DeploymentConfiguration"]
    assert deployment["Alarms"] == {
        "AlarmNames": [
            {"Ref": "WebappTarget5xxAlarm"},
            {"Ref": "WebappUnhealthyHostsAlarm"},
            {"Ref": "WebappLoadBalancer5xxAlarm"},
        ],
        "Enable": True,
        "Rollback": True,
    }
    assert deployment["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}


def test_thresholds_and_the_p95_latency_alarm_are_configurable():
    rollback = {"alarms": True, "target_5xx_count": 3, "unhealthy_hosts": 2, "latency_p95_ms": 750, "minutes": 3}
    alarms = alarms_of(template_for(web_config(service={"rollback": rollback})))
    latency = alarms["WebappLatencyP95Alarm"]
    assert (latency["MetricName"], latency["ExtendedStatistic"], latency["Threshold"]) == (
        "TargetResponseTime",
        "p95",
        0.75,
    )
    assert "Statistic" not in latency
    assert alarms["WebappTarget5xxAlarm"]["Threshold"] == 3 and alarms["WebappUnhealthyHostsAlarm"]["Threshold"] == 2
    assert {a["EvaluationPeriods"] for a in alarms.values()} == {3}


@pytest.mark.parametrize("rollback", [None, {"alarms": False, "latency_p95_ms": 500}])
def test_off_by_default_and_with_alarms_false(rollback):
    service = {"rollback": rollback} if rollback else {}
    template = template_for(web_config(service=service))
    assert alarms_of(template) == {}
    assert "Alarms" not in one(template, "AWS::ECS::Service")[1]["DeploymentConfiguration"]


@pytest.mark.parametrize(
    "rollback, fragment",
    [
        ({"alarms": "yes"}, 'service.rollback.alarms = "yes": must be true or false'),
        ({"alarms": True, "target_5xx_count": 0}, "service.rollback.target_5xx_count = 0: must be an integer from 1"),
        ({"alarms": True, "latency_p95_ms": 0}, "service.rollback.latency_p95_ms = 0: must be an integer from 1"),
        ({"alarms": True, "minutes": 61}, "service.rollback.minutes = 61: must be an integer from 1 to 60"),
        ({"alarms": True, "alarm": 1}, "service.rollback.alarm = 1: unknown key"),
    ],
)
def test_bad_rollback_values(rollback, fragment):
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        parse_config(web_config(service={"rollback": rollback}), "app.toml")


def test_the_load_balancers_own_5xx_roll_back_once_for_both_target_groups():
    """A crashing target makes the load balancer answer 502/503 itself: HTTPCode_ELB_5XX_Count, whose only dimension
    is the load balancer, so blue/green has one such alarm, not one per target group."""
    for deployment in ({}, {"deployment": {"strategy": "blue_green"}}):
        template = template_for(web_config(service={"rollback": {"alarms": True, "elb_5xx_count": 4}, **deployment}))
        alarms = alarms_of(template)
        (elb,) = [a for a in alarms.values() if a["MetricName"] == "HTTPCode_ELB_5XX_Count"]
        assert (elb["Statistic"], elb["Threshold"]) == ("Sum", 4)
        assert elb["Dimensions"] == [
            {"Name": "LoadBalancer", "Value": {"Fn::GetAtt": ["WebappLoadBalancer", "LoadBalancerFullName"]}}
        ]
        names = one(template, "AWS::ECS::Service")[1]["DeploymentConfiguration"]["Alarms"]["AlarmNames"]
        assert {"Ref": "WebappLoadBalancer5xxAlarm"} in names and len(names) == len(alarms)
