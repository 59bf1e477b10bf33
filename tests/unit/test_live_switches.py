"""Switches a live stack cannot make in one update: Spot's capacity providers taken away, and blue/green (canary,
linear) back to rolling while production traffic is on the alternate target group (Stubber: DescribeRules)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from botocore.stub import Stubber

from container_infra.cfn.live_switches import (
    capacity_change_under_traffic_shifting,
    dropped_capacity_providers,
    left_shifting_strategies,
)
from container_infra.steps.forecast import live_switches
from tests.fakes import stubs
from tests.render import template_for

ROOT = Path(__file__).resolve().parents[2]
RULE_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/1/2/3"
PRIMARY = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/primary/1"
ALTERNATE = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/alternate/2"
PHYSICAL = {"WebappBgProductionListenerRule": RULE_ARN, "WebappBgTargetGroup": PRIMARY}
PHYSICAL["WebappBgAlternateTargetGroup"] = ALTERNATE


def _example(name: str, **service: object) -> dict:
    config = tomllib.loads((ROOT / "examples" / name).read_text())
    config["service"] = {**config["service"], **service}
    return template_for(config)


def test_removing_the_capacity_table_after_spot_is_refused_and_fargate_spot_0_is_the_way():
    spot = _example("web-service.toml", capacity={"fargate": 1, "fargate_spot": 3, "base": 1})
    spot_off = _example("web-service.toml", capacity={"fargate": 1, "fargate_spot": 0, "base": 1})
    removed = _example("web-service.toml")
    [refusal] = dropped_capacity_providers(spot, removed)
    assert "keep [service.capacity] with fargate_spot = 0" in refusal
    assert dropped_capacity_providers(spot, spot_off) == []  # the safe way passes
    assert dropped_capacity_providers(removed, removed) == []  # never had Spot: nothing to take away


def _blue_green_and_rolling() -> tuple[dict, dict]:
    blue_green = _example("web-service-blue-green.toml")
    config = tomllib.loads((ROOT / "examples" / "web-service-blue-green.toml").read_text())
    del config["service"]["deployment"]  # rolling, ECS's default
    rolling = template_for(config)
    assert "BLUE_GREEN" in json.dumps(blue_green) and "BLUE_GREEN" not in json.dumps(rolling)
    return blue_green, rolling


def _forward(weights: dict[str, int]) -> dict:
    groups = [{"TargetGroupArn": arn, "Weight": weight} for arn, weight in weights.items()]
    return {
        "Rules": [{"RuleArn": RULE_ARN, "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}]}]
    }


def _switch_findings(weights: dict[str, int]) -> list:
    blue_green, rolling = _blue_green_and_rolling()
    elbv2 = stubs.client("elbv2")
    with Stubber(elbv2) as stub:
        stub.add_response("describe_rules", _forward(weights), {"RuleArns": [RULE_ARN]})
        findings = live_switches(stubs.stub_aws(elbv2=elbv2), blue_green, rolling, PHYSICAL.__getitem__)
        stub.assert_no_pending_responses()
    return findings


def test_back_to_rolling_with_traffic_on_the_alternate_group_is_refused_with_the_way():
    [finding] = _switch_findings({PRIMARY: 0, ALTERNATE: 100})
    assert finding.level == "error"
    assert "100%" in finding.text and "deploy once more with blue_green first" in finding.text


def test_back_to_rolling_with_traffic_on_the_primary_group_goes_on():
    assert _switch_findings({PRIMARY: 100, ALTERNATE: 0}) == []


def test_staying_on_blue_green_reads_no_rule():
    blue_green, _ = _blue_green_and_rolling()
    assert left_shifting_strategies(blue_green, blue_green) == []


def _shifting(strategy: str, **service: object) -> dict:
    config = tomllib.loads((ROOT / "examples" / "web-service-blue-green.toml").read_text())
    deployment = {"strategy": strategy}
    deployment.update(
        {"canary": {"canary_percent": 10, "canary_bake_minutes": 5}, "linear": {"step_percent": 25}}.get(strategy, {})
    )
    config["service"] = {**config["service"], "deployment": deployment, **service}
    return template_for(config)


def test_a_capacity_change_under_canary_or_linear_is_a_note_naming_the_documented_way():
    """UpdateService documents capacity provider changes for rolling and blue/green deployments only: said, not
    refused, since nothing says ECS fails it."""
    spot = {"capacity": {"fargate": 1, "fargate_spot": 3}}
    for strategy in ("canary", "linear"):
        findings = live_switches(
            stubs.stub_aws(), _shifting(strategy), _shifting(strategy, **spot), PHYSICAL.__getitem__
        )
        [finding] = findings
        assert finding.level == "note"
        assert finding.text.startswith(
            f"service WebappBgService: this update changes its capacity provider strategy under {strategy}"
        )
        assert 'deploy the change with strategy = "blue_green" first' in finding.text


def test_a_capacity_change_under_blue_green_or_an_unchanged_one_under_canary_says_nothing():
    spot = {"capacity": {"fargate": 1, "fargate_spot": 3}}
    assert capacity_change_under_traffic_shifting(_shifting("blue_green"), _shifting("blue_green", **spot)) == []
    assert capacity_change_under_traffic_shifting(_shifting("canary", **spot), _shifting("canary", **spot)) == []
