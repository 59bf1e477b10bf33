"""deploy.py --follow attaches to the stack's operation in progress, from its start, and ends like a deploy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import DeployFailed, UserError
from tests.fakes import stubs
from tests.fakes.stubs import stub_aws
from tests.helpers import generate

TEMPLATE = json.dumps(generate())
OUTPUTS = {"ClusterName": "my-container-infra-MyTestCluster-ABC"}


@pytest.fixture
def cf() -> Any:
    return stubs.cloudformation_client()


def _follow(cf: Any, *argv: str) -> int:
    return run(
        parse_deploy(["--follow", *argv]),
        aws=stub_aws(stubs.REGION, cloudformation=cf),
        prompt=lambda q: False,
        tty=False,
    )


def _update_events(last: int) -> list[dict[str, Any]]:
    every = [
        stubs.stack_event(1, "CREATE_COMPLETE"),
        stubs.stack_event(2, "UPDATE_IN_PROGRESS", "User Initiated"),
        stubs.event(3, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "UPDATE_IN_PROGRESS"),
        stubs.event(4, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "UPDATE_COMPLETE"),
        stubs.stack_event(5, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
        stubs.stack_event(6, "UPDATE_COMPLETE"),
    ]
    return every[:last]


def test_follow_shows_the_update_from_its_start_and_ends_like_a_deploy(cf, capsys):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_IN_PROGRESS"), {"StackName": stubs.STACK})
        stub.add_response("get_template", {"TemplateBody": TEMPLATE})
        stub.add_response("describe_stack_events", stubs.events_page(_update_events(3)))  # attach: where did it start?
        stub.add_response("describe_stack_events", stubs.events_page(_update_events(6)))  # follow
        stub.add_response(
            "describe_stacks", stubs.stack("UPDATE_COMPLETE", outputs=OUTPUTS), {"StackName": stubs.STACK_ID}
        )
        assert _follow(cf) == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "Following my-container-infra in eu-west-1: UPDATE_IN_PROGRESS, from the start of this update" in out
    assert "CREATE_COMPLETE" not in out  # the earlier operation is not replayed
    lines = [line for line in out.splitlines() if "  " in line and ":" in line[:8]]
    assert [line.split()[2] if line.split()[1].startswith("[") else line.split()[1] for line in lines] == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_COMPLETE",
    ]
    assert "ClusterName = my-container-infra-MyTestCluster-ABC" in out
    assert "✓ my-container-infra: UPDATE_COMPLETE" in out


def test_follow_of_an_update_that_rolls_back_is_exit_1_with_the_root_cause(cf):
    events = _update_events(3) + [
        stubs.event(4, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "UPDATE_FAILED", "Invalid memory size"),
        stubs.stack_event(
            5, "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [TaskdefWebapp]."
        ),
        stubs.stack_event(6, "UPDATE_ROLLBACK_COMPLETE"),
    ]
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_IN_PROGRESS"))
        stub.add_response("get_template", {"TemplateBody": TEMPLATE})
        stub.add_response("describe_stack_events", stubs.events_page(events[:5]))
        stub.add_response(
            "describe_stack_events", stubs.events_page(events)
        )  # its terminal event tells the end: no DescribeStacks
        with pytest.raises(
            DeployFailed,
            match="ended UPDATE_ROLLBACK_COMPLETE. Root cause: AWS::ECS::TaskDefinition TaskdefWebapp UPDATE_FAILED: "
            "Invalid memory size",
        ):
            _follow(cf)
        stub.assert_no_pending_responses()


def test_follow_of_a_settled_stack_reports_its_status(cf, capsys):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", outputs=OUTPUTS))
        stub.add_response("get_template", {"TemplateBody": TEMPLATE})
        assert _follow(cf) == 0  # the stack was read once: its status and outputs
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "is UPDATE_COMPLETE: no operation in progress" in out and "✓ my-container-infra: UPDATE_COMPLETE" in out


def test_follow_of_a_failed_settled_stack_is_exit_1(cf):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_COMPLETE"))
        stub.add_response("get_template", {"TemplateBody": TEMPLATE})
        with pytest.raises(DeployFailed, match="UPDATE_ROLLBACK_COMPLETE"):
            _follow(cf)
        stub.assert_no_pending_responses()


def test_follow_of_a_missing_stack_is_one_line(cf):
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        with pytest.raises(UserError, match="stack my-container-infra does not exist in eu-west-1: nothing to follow"):
            _follow(cf)


@pytest.mark.parametrize(
    "other", [["--diff"], ["--destroy"], ["--json"], ["--parameter", "TaskCpu=256"], ["--tag", "a=b"]]
)
def test_follow_goes_with_no_deploy_flags(other):
    with pytest.raises(UserError, match="--follow only follows"):
        parse_deploy(["--follow", *other])
