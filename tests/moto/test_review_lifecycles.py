"""Update paths from the AWS documentation review, deployed to moto's server as a user deploys them.

moto checks none of ECS's rules about capacity providers or ECS Exec: these prove what the tool sends on each step
(the stack's template and resources after it) and that a refused step changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import deploy, stack_or_none

STACK = "review-lifecycle"
WEB = f'stack_name = "{STACK}"\n[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 80\n'


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "app.toml"
    path.write_text(WEB + text)
    return str(path)


def _deployed(aws, resource_type: str) -> dict:
    """The properties the stack now holds for its one resource of this type (moto keeps the template, not every
    property on the resource it made: its cluster has no capacity providers from CloudFormation)."""
    body = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    template = body if isinstance(body, dict) else json.loads(body)
    (properties,) = [r.get("Properties", {}) for r in template["Resources"].values() if r["Type"] == resource_type]
    return properties


def _deployed_service(aws) -> dict:
    return _deployed(aws, "AWS::ECS::Service")


def _cluster_providers(aws) -> list[str]:
    return _deployed(aws, "AWS::ECS::Cluster").get("CapacityProviders", [])


def test_spot_on_then_off_keeps_the_providers_and_forces_the_tasks_off_spot(aws_env, aws, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    on = deploy(
        aws_env, "--config", _write(tmp_path, "[service]\ncapacity = { fargate = 1, fargate_spot = 3 }\n"), "--yes"
    )
    assert on.returncode == 0, on.stdout + on.stderr
    spot_nonce = _deployed_service(aws)["ForceNewDeployment"]["ForceNewDeploymentNonce"]
    assert _cluster_providers(aws) == ["FARGATE", "FARGATE_SPOT"]

    off = deploy(
        aws_env, "--config", _write(tmp_path, "[service]\ncapacity = { fargate = 1, fargate_spot = 0 }\n"), "--yes"
    )
    assert off.returncode == 0, off.stdout + off.stderr
    assert stack_or_none(aws("cloudformation"), STACK)["StackStatus"] == "UPDATE_COMPLETE"
    service = _deployed_service(aws)
    assert service["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Weight": 1, "Base": 0}]
    assert service["ForceNewDeployment"]["ForceNewDeploymentNonce"] != spot_nonce  # ECS redeploys the tasks
    assert _cluster_providers(aws) == ["FARGATE", "FARGATE_SPOT"]  # never taken off while the service may use them


def test_exec_on_a_read_only_root_is_refused_before_any_change(aws_env, aws, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    read_only = "read_only_root_filesystem = true\n[service]\n"
    created = deploy(aws_env, "--config", _write(tmp_path, read_only), "--yes")
    assert created.returncode == 0, created.stdout + created.stderr
    before = _deployed_service(aws)
    change_sets = aws("cloudformation").list_change_sets(StackName=STACK)["Summaries"]

    turned_on = deploy(aws_env, "--config", _write(tmp_path, read_only + "enable_execute_command = true\n"), "--yes")
    assert turned_on.returncode == 2
    (line,) = turned_on.stderr.strip().splitlines()
    assert "enable_execute_command = true" in line and "read_only_root_filesystem" in line
    assert stack_or_none(aws("cloudformation"), STACK)["StackStatus"] == "CREATE_COMPLETE"
    assert _deployed_service(aws) == before
    assert aws("cloudformation").list_change_sets(StackName=STACK)["Summaries"] == change_sets  # none made


def test_switch_to_canary_drops_the_circuit_breaker_and_back_to_blue_green_restores_it(
    aws_env, aws, tmp_path, monkeypatch
):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    alarms = "[service.rollback]\nalarms = true\n"
    for strategy, breaker in (("blue_green", True), ("canary", False), ("blue_green", True)):
        config = _write(tmp_path, f'[service]\n{alarms}[service.deployment]\nstrategy = "{strategy}"\n')
        result = deploy(aws_env, "--config", config, "--yes")
        assert result.returncode == 0, result.stdout + result.stderr
        deployment = _deployed_service(aws)["DeploymentConfiguration"]
        assert deployment["Strategy"] == strategy.upper()
        assert ("DeploymentCircuitBreaker" in deployment) is breaker
        assert deployment["Alarms"]["Rollback"] is True  # the canary's one automatic rollback
