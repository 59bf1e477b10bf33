"""The replacement guard end to end, against moto's server: a config change that makes CloudFormation replace a
resource that carries traffic (a new container port: AWS::ElasticLoadBalancingV2::TargetGroup, Port, "Update
requires: Replacement") is refused without --allow-replacement, and declined on a terminal without the stack name
typed; either way the target group stays. moto's change sets say nothing of replacement:
tests/fakes/moto_replacement_shims.py fills in what CloudFormation's would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.examples import ready_example
from tests.fakes.terminal import run_on_terminal
from tests.helpers import ROOT, deploy

STACK = "web-service"
GROUP = "WebappTargetGroup"
TYPED_PROMPT = "Type the stack name (web-service) to deploy:"


@pytest.fixture
def deployed(aws_env, aws, tmp_path, monkeypatch) -> Path:
    """web-service.toml deployed; the returned config listens on a new port (8080 for 8000)."""
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    config = ready_example(ROOT / "examples" / "web-service.toml", aws, tmp_path, monkeypatch)
    created = deploy(aws_env, "--config", str(config), "--yes")
    assert created.returncode == 0, created.stdout + created.stderr
    changed = tmp_path / "new-port.toml"
    changed.write_text(config.read_text().replace("port = 8000", "port = 8080"))
    assert changed.read_text() != config.read_text()
    return changed


def _target_group(aws) -> tuple[str, int]:
    """The stack's target group: its physical ID and the port it has."""
    resources = aws("cloudformation").list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    arn = next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == GROUP)
    (group,) = aws("elbv2").describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
    return arn, group["Port"]


def test_the_diff_says_the_target_group_will_be_replaced(aws_env, deployed):
    result = deploy(aws_env, "--config", str(deployed), "--diff")
    assert result.returncode == 0, result.stderr
    assert f"[!] AWS::ElasticLoadBalancingV2::TargetGroup {GROUP} is REPLACED (carries traffic)" in result.stdout
    assert "Port: 8000 → 8080 (replace)" in result.stdout


def test_without_allow_replacement_the_deploy_is_refused_and_the_target_group_stays(aws_env, aws, deployed):
    before = _target_group(aws)
    assert before[1] == 8000
    result = deploy(aws_env, "--config", str(deployed), "--yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    line, *named = result.stderr.splitlines()  # the refusal, then each resource it stops on
    assert line.startswith(f"error: not deploying to {STACK}: the change set replaces or removes 1 resource"), line
    assert "--allow-replacement" in line
    assert named == [f"  - AWS::ElasticLoadBalancingV2::TargetGroup {GROUP} is REPLACED (carries traffic)"]
    assert _target_group(aws) == before
    summaries = aws("cloudformation").list_change_sets(StackName=STACK)["Summaries"]
    assert [s for s in summaries if s["ExecutionStatus"] == "AVAILABLE"] == []  # none left to execute


@pytest.mark.parametrize("answer", ["y", "WEB-SERVICE", "", "\x04"], ids=["y", "wrong-case", "empty", "ctrl-d"])
def test_allowed_on_a_terminal_it_needs_the_stack_name_typed(aws_env, aws, deployed, answer):
    before = _target_group(aws)
    run = run_on_terminal(
        aws_env, "--config", str(deployed), "--allow-replacement", answer=answer, wait_for=TYPED_PROMPT
    )
    assert TYPED_PROMPT in run.output
    assert run.returncode == 2, run.output
    assert "declined: nothing changed (replacing needs the stack name 'web-service' typed" in run.output
    assert _target_group(aws) == before


def test_allowed_and_typed_the_change_set_is_executed(aws_env, aws, deployed):
    """moto's own update of a target group loses it from the stack's resources, so what is asserted is
    CloudFormation's side: the change set with the new port executed."""
    run = run_on_terminal(
        aws_env, "--config", str(deployed), "--allow-replacement", answer=STACK, wait_for=TYPED_PROMPT
    )
    assert run.returncode == 0, run.output
    cloudformation = aws("cloudformation")
    assert cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    template = cloudformation.get_template(StackName=STACK)["TemplateBody"]
    assert template["Resources"][GROUP]["Properties"]["Port"] == 8080
