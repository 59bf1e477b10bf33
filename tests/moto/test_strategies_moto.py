"""The blue/green examples deployed to moto's server as a user deploys them.

moto validates none of ECS's blue/green rules (it keeps no AdvancedConfiguration, shifts no traffic): this proves the
template is accepted whole, that every resource it declares is created, and that deploy.py ends the deploy cleanly.
"""

from __future__ import annotations

import pytest

from tests.fakes.examples import ready_example
from tests.helpers import ROOT, deploy


@pytest.mark.parametrize("example", ["web-service-blue-green.toml", "production.toml"])
def test_blue_green_examples_deploy(aws_env, aws, monkeypatch, tmp_path, example):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    config = ready_example(
        ROOT / "examples" / example, aws, tmp_path, monkeypatch
    )  # production.toml's domain needs its zone
    result = deploy(aws_env, "--config", str(config), "--yes")
    assert result.returncode == 0, result.stderr
    elbv2, iam = aws("elbv2"), aws("iam")
    groups = {g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]}
    assert len(groups) == 2  # the primary and the alternate
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    rules = [
        rule
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
        for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
        if not rule["IsDefault"]
    ]
    assert rules, "the production listener rule ECS shifts traffic with"
    for rule in rules:  # every path to the primary group, none yet to the alternate: ECS moves the weights
        (forward,) = rule["Actions"]
        weights = {t["TargetGroupArn"]: t["Weight"] for t in forward["ForwardConfig"]["TargetGroups"]}
        assert set(weights) == groups and sorted(weights.values()) == [0, 100]
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if "EcsInfrastructureRole" in r["RoleName"]]
    assert len(roles) == 1
