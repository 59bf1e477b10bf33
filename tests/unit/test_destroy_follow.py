"""--destroy's messages and the follower's safety net (mutmut survivors in destroy.py and aws/events.py)."""

from __future__ import annotations

from botocore.stub import Stubber

from container_infra.aws.events import STATUS_CHECK_EVERY, EventFollower
from container_infra.commands.destroy import destroy
from container_infra.steps.approve import Asking
from tests.fakes import stubs
from tests.fakes.clock import Clock
from tests.fakes.recorded_output import RecordedLines
from tests.fakes.stubs import stub_aws


def _never(_: str) -> bool:
    raise AssertionError("asked")


def test_destroy_waits_for_a_busy_stack_then_finds_nothing(monkeypatch):
    monkeypatch.setattr("container_infra.aws.stacks.BUSY_POLL_SECONDS", (0,))
    cf, out = stubs.cloudformation_client(), RecordedLines()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("DELETE_IN_PROGRESS"), {"StackName": stubs.STACK})
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        assert destroy(stub_aws(cloudformation=cf), stubs.STACK, out, Asking(False, True, _never), diff_only=False) == 0  # type: ignore[arg-type]
        stub.assert_no_pending_responses()
    assert out.lines == [
        (f"Waiting: stack {stubs.STACK} is DELETE_IN_PROGRESS (another operation is running) ...", "yellow"),
        (f"Stack {stubs.STACK} does not exist in {stubs.REGION}: nothing to destroy.", None),
    ]


def test_the_safety_net_ends_the_follow_when_the_final_event_is_missed():
    """Every 15 polls DescribeStacks is asked; a stack that no longer answers by id is gone (DELETE_COMPLETE)."""
    cf, clock = stubs.cloudformation_client(), Clock()
    idle = stubs.events_page([stubs.stack_event(1, "DELETE_IN_PROGRESS")])
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([]))
        for _ in range(STATUS_CHECK_EVERY):
            stub.add_response("describe_stack_events", idle)
        stub.add_response("describe_stacks", {"Stacks": []}, {"StackName": stubs.STACK_ID})
        stub.add_response("describe_stack_events", idle)  # the last look for events before giving the status
        follower = EventFollower(cf, stubs.STACK_ID, stubs.STACK, lambda event: None, sleep=clock.sleep, clock=clock)
        follower.mark_start()
        result = follower.follow()
        stub.assert_no_pending_responses()
    assert result.status == "DELETE_COMPLETE" and [e["EventId"] for e in result.events] == ["event-001"]


def test_the_safety_net_waits_while_the_stack_is_in_progress():
    cf, clock = stubs.cloudformation_client(), Clock()
    idle = stubs.events_page([stubs.stack_event(1, "UPDATE_IN_PROGRESS")])
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([]))
        for _ in range(STATUS_CHECK_EVERY):
            stub.add_response("describe_stack_events", idle)
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"))
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "UPDATE_IN_PROGRESS"), stubs.stack_event(2, "UPDATE_COMPLETE")]),
        )
        follower = EventFollower(cf, stubs.STACK_ID, stubs.STACK, lambda event: None, sleep=clock.sleep, clock=clock)
        follower.mark_start()
        assert follower.follow().status == "UPDATE_COMPLETE"
        stub.assert_no_pending_responses()


DESTROYED = {
    "Resources": {
        "Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain"},
        "Cluster": {"Type": "AWS::ECS::Cluster"},
    }
}
LISTING = [
    (f"Stack {stubs.STACK} in {stubs.REGION} (UPDATE_COMPLETE)", "bold"),
    ("Will be deleted (1)", "heading"),
    ("[-] AWS::ECS::Cluster Cluster ()", "red"),
    ("Will be retained: DeletionPolicy keeps them, outside any stack (1)", "heading"),
    ("[=] AWS::Logs::LogGroup Logs (Logs-physical) Retain", "yellow"),
]


def _listing_calls(stub: Stubber) -> None:
    resources = stubs.stack_resources(DESTROYED)
    resources["StackResourceSummaries"].append(
        {**resources["StackResourceSummaries"][1], "LogicalResourceId": "Old", "ResourceStatus": "DELETE_COMPLETE"}
    )
    del resources["StackResourceSummaries"][1]["PhysicalResourceId"]  # never created: no physical ID
    stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK})
    stub.add_response("list_stack_resources", resources, {"StackName": stubs.STACK_ID})
    stub.add_response(
        "get_template",
        {"TemplateBody": __import__("json").dumps(DESTROYED)},
        {"StackName": stubs.STACK_ID, "TemplateStage": "Original"},
    )


def test_destroy_diff_lists_what_goes_and_what_stays_and_asks_nothing():
    cf, out = stubs.cloudformation_client(), RecordedLines()
    with Stubber(cf) as stub:
        _listing_calls(stub)
        assert destroy(stub_aws(cloudformation=cf), stubs.STACK, out, Asking(False, True, _never), diff_only=True) == 0  # type: ignore[arg-type]
        stub.assert_no_pending_responses()  # no delete
    assert out.lines == LISTING


def test_destroy_asks_deletes_follows_and_says_what_was_kept(monkeypatch):
    ticks = iter([10.0, 12.5])
    monkeypatch.setattr(
        "container_infra.commands.destroy.time", type("T", (), {"monotonic": staticmethod(lambda: next(ticks))})
    )
    cf, out, asked = stubs.cloudformation_client(), RecordedLines(), []
    with Stubber(cf) as stub:
        _listing_calls(stub)
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE")]),
            {"StackName": stubs.STACK_ID},
        )
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "UPDATE_COMPLETE"),
                    stubs.event(2, "Cluster", "AWS::ECS::Cluster", "DELETE_COMPLETE"),
                    stubs.stack_event(3, "DELETE_COMPLETE"),
                ]
            ),
            {"StackName": stubs.STACK_ID},
        )
        code = destroy(
            stub_aws(cloudformation=cf),
            stubs.STACK,
            out,  # type: ignore[arg-type]
            Asking(yes=False, tty=True, prompt=lambda question: asked.append(question) or True),
            diff_only=False,
        )
        stub.assert_no_pending_responses()
    assert code == 0 and asked == [f"Destroy stack {stubs.STACK} in {stubs.REGION}?"]
    assert out.lines[:5] == LISTING
    assert "[1/1] DELETE_COMPLETE" in out.lines[5][0] and out.lines[5][1] == "green"
    assert out.lines[-1] == (f"✓ {stubs.STACK}: DELETE_COMPLETE in 2.5s (1 retained)", "bold green")


def test_destroy_without_a_terminal_refuses_and_deletes_nothing():
    from container_infra.errors import UserError

    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _listing_calls(stub)
        with __import__("pytest").raises(UserError, match="^not destroying: no terminal"):
            destroy(
                stub_aws(cloudformation=cf), stubs.STACK, RecordedLines(), Asking(False, False, _never), diff_only=False
            )  # type: ignore[arg-type]
        stub.assert_no_pending_responses()


def test_a_failure_without_a_reason_says_so():
    from container_infra.cfn.events import failure_line

    root = {"ResourceType": "AWS::ECS::Cluster", "LogicalResourceId": "C", "ResourceStatus": "CREATE_FAILED"}
    assert (
        failure_line("s", "ROLLBACK_COMPLETE", root)
        == "s ended ROLLBACK_COMPLETE. Root cause: AWS::ECS::Cluster C CREATE_FAILED: no reason given"
    )


def test_ctrl_c_during_the_delete_stack_call_says_the_delete_goes_on():
    """Ctrl-C while DeleteStack is on its way: once AWS has accepted it, the delete goes on, and the run says so."""
    import signal

    import pytest

    from container_infra import signals
    from container_infra.errors import Interrupted

    cf, out = stubs.cloudformation_client(), RecordedLines()
    cf.meta.events.register(
        "provide-client-params.cloudformation.DeleteStack", lambda **_: signals._handle(signal.SIGINT, None)
    )
    with Stubber(cf) as stub:
        _listing_calls(stub)
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE")]),
            {"StackName": stubs.STACK_ID},
        )
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        try:
            with pytest.raises(Interrupted) as interrupted:
                destroy(stub_aws(cloudformation=cf), stubs.STACK, out, Asking(True, False, _never), diff_only=False)  # type: ignore[arg-type]
        finally:
            signals._state.received = None  # the fake signal is not left for the next test
        stub.assert_no_pending_responses()
    assert str(interrupted.value) == (
        f"stopped following, but the delete of {stubs.STACK} goes on in CloudFormation: follow it with "
        f"`uv run deploy.py --follow --stack-name {stubs.STACK} --region {stubs.REGION}`"
    )


def test_destroy_of_a_review_only_stack_deletes_it_without_listing_resources(monkeypatch):
    """A REVIEW_IN_PROGRESS stack was never executed: no ListStackResources or GetTemplate (an endpoint may refuse
    them for it), the stack is deleted with a client token, its change sets with it, and the run ends 0."""
    monkeypatch.setattr(
        "container_infra.commands.destroy.time", type("T", (), {"monotonic": staticmethod(lambda: 5.0)})
    )
    cf, out = stubs.cloudformation_client(), RecordedLines()
    kept = {"ChangeSetName": "kept-1", "StackId": stubs.STACK_ID, "ExecutionStatus": "AVAILABLE"}
    theirs = {"ChangeSetName": "theirs", "StackId": stubs.STACK_ID.replace(stubs.STACK, "other")}
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK})
        stub.add_response("list_change_sets", {"Summaries": [kept, theirs]}, {"StackName": stubs.STACK_ID})
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        stub.add_response("describe_stacks", stubs.stack("DELETE_COMPLETE"), {"StackName": stubs.STACK_ID})
        code = destroy(stub_aws(cloudformation=cf), stubs.STACK, out, Asking(True, False, _never), diff_only=False)  # type: ignore[arg-type]
        stub.assert_no_pending_responses()
    assert code == 0
    assert out.lines == [
        (f"Stack {stubs.STACK} in {stubs.REGION} (REVIEW_IN_PROGRESS): never executed, it holds no resources", "bold"),
        ("Will be deleted with it: its change sets (1)", "heading"),
        ("[-] change set kept-1", "red"),
        (f"✓ {stubs.STACK}: DELETE_COMPLETE in 0.0s (0 retained)", "bold green"),
    ]


def test_destroy_never_prints_a_noecho_default(capsys):
    """Destroy registers the deployed template's NoEcho defaults for masking before it lists anything: a physical
    ID that happens to hold the secret is shown masked, in the listing of --destroy --diff."""
    import json

    from container_infra.cli import parse_deploy
    from container_infra.commands import run

    secret = "dflt-s3cret"
    template = {
        "Parameters": {"Token": {"Type": "String", "NoEcho": "true", "Default": secret}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Token"}}}},
    }
    resources = stubs.stack_resources(template)
    resources["StackResourceSummaries"][0]["PhysicalResourceId"] = f"https://sqs/{secret}"
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK})
        stub.add_response("list_stack_resources", resources, {"StackName": stubs.STACK_ID})
        stub.add_response(
            "get_template",
            {"TemplateBody": json.dumps(template)},
            {"StackName": stubs.STACK_ID, "TemplateStage": "Original"},
        )
        assert run(parse_deploy(["--destroy", "--diff"]), aws=stub_aws(cloudformation=cf), tty=False) == 0
        stub.assert_no_pending_responses()
    captured = capsys.readouterr()
    assert "[-] AWS::SQS::Queue Queue (https://sqs/****)" in captured.out
    assert secret not in captured.out + captured.err
