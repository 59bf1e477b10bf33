"""Paths no test guarded: each test here fails on the mutant its docstring names."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.aws.events import EventFollower
from container_infra.cfn.events import FollowResult, ends_operation, failure_line
from container_infra.cli import parse_deploy, run_main
from container_infra.commands import run
from container_infra.errors import AwsError, DeployFailed, UserError
from container_infra.ui.approval import approve, confirm
from container_infra.ui.output import Output
from tests.fakes import stubs
from tests.fakes.clock import Clock
from tests.fakes.recorded_output import RecordedLines, RecordedStream
from tests.fakes.stubs import stub_aws
from tests.helpers import generate
from tests.tables import has_row

STACK_TYPE = "AWS::CloudFormation::Stack"


# 1. End of input at the approval prompt refuses.


def _eof() -> bool:
    raise EOFError


def test_end_of_input_at_the_prompt_declines():
    with pytest.raises(UserError) as refused:
        approve(Output(), "Deploy?", yes=False, tty=True, prompt=lambda _: _eof())
    assert str(refused.value) == "declined: no answer (end of input); nothing changed (deploying needs a 'y')"
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("answer", [True, False])
def test_approve_asks_the_question_after_the_warning(answer):
    out, asked = RecordedLines(), []

    def prompt(question: str) -> bool:
        asked.append((question, list(out.lines)))
        return answer

    if answer:
        approve(out, "Deploy?", yes=False, tty=True, prompt=prompt, warning="BROADENS ACCESS")  # type: ignore[arg-type]
    else:
        with pytest.raises(UserError, match=r"^declined: nothing changed \(destroying needs a 'y'\)$"):
            approve(out, "Destroy?", yes=False, tty=True, prompt=prompt, warning="BROADENS ACCESS", what="destroying")  # type: ignore[arg-type]
    assert asked == [("Deploy?" if answer else "Destroy?", [("BROADENS ACCESS", "bold red")])]


def test_approve_with_yes_or_without_a_terminal_never_asks():
    def prompt(_: str) -> bool:
        raise AssertionError("asked")

    out = RecordedLines()
    approve(out, "Deploy?", yes=True, tty=False, prompt=prompt, warning="W")  # type: ignore[arg-type]
    with pytest.raises(UserError) as refused:
        approve(out, "Deploy?", yes=False, tty=False, prompt=prompt, warning="W", what="destroying")  # type: ignore[arg-type]
    assert str(refused.value) == (
        "not destroying: no terminal to ask for approval and no --yes; nothing changed "
        "(pass --yes to go ahead without asking)"
    )
    assert out.lines == []


def test_the_prompt_is_flushed_before_reading(monkeypatch):
    """stderr is line-buffered: a prompt without a newline shows only when flushed."""
    stderr = RecordedStream()
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert confirm("Deploy?") is True
    assert "".join(stderr.calls) == "Deploy? [y/N] <flush>"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stdin", "tty"), [(None, False), (io.StringIO(""), False), (_Terminal(), True)])
def test_stdin_is_tty(monkeypatch, stdin, tty):
    from container_infra.ui.approval import stdin_is_tty

    monkeypatch.setattr("sys.stdin", stdin)
    assert stdin_is_tty() is tty


@pytest.mark.parametrize(
    ("typed", "agreed"), [("y\n", True), ("YES \n", True), ("n\n", False), ("\n", False), ("yes please\n", False)]
)
def test_confirm_agrees_only_to_y_or_yes(monkeypatch, typed, agreed):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert confirm("Deploy?") is agreed


def test_confirm_raises_at_end_of_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # Ctrl-D, or a closed stdin
    with pytest.raises(EOFError):
        confirm("Deploy?")
    assert capsys.readouterr().err == "Deploy? [y/N] "


def test_end_of_input_deploys_nothing_and_deletes_the_change_set(monkeypatch):
    """The real prompt on a terminal whose input has ended: exit 2, no execute, change set and review stack deleted."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    cf = stubs.cloudformation_client()
    changes = [stubs.resource_change("Add", "MyTestCluster", "AWS::ECS::Cluster")]
    with Stubber(cf) as stub:
        stubs.reviewed_create(stub, changes)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK_ID})  # no other kept one
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        with pytest.raises(UserError, match="no answer") as refused:
            run(parse_deploy([]), aws=stub_aws(stubs.REGION, cloudformation=cf), prompt=confirm, tty=True)
        stub.assert_no_pending_responses()  # no execute_change_set
    assert refused.value.exit_code == 2


# 3. A failed delete is exit 1 with the resource and the reason.


def test_a_failed_delete_is_exit_1_with_the_resource_and_reason(capsys):
    template = {**generate(), "Parameters": {"Token": {"Type": "String", "NoEcho": "true", "Default": "dflt-s3cret"}}}
    reason = "The bucket you tried to delete is not empty (tag dflt-s3cret)"
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK})
        stub.add_response("list_stack_resources", stubs.stack_resources(template), {"StackName": stubs.STACK_ID})
        stub.add_response(
            "get_template",
            {"TemplateBody": __import__("json").dumps(template)},
            {"StackName": stubs.STACK_ID, "TemplateStage": "Original"},
        )
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE")]))
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "UPDATE_COMPLETE"),
                    stubs.stack_event(2, "DELETE_IN_PROGRESS", "User Initiated"),
                    stubs.event(3, "MyTestCluster", "AWS::ECS::Cluster", "DELETE_FAILED", reason),
                    stubs.stack_event(
                        4, "DELETE_FAILED", "The following resource(s) failed to delete: [MyTestCluster]."
                    ),
                ]
            ),
        )
        with pytest.raises(DeployFailed) as failure:
            run(parse_deploy(["--destroy", "--yes"]), aws=stub_aws(stubs.REGION, cloudformation=cf), tty=False)
        stub.assert_no_pending_responses()
    assert failure.value.exit_code == 1
    masked = reason.replace("dflt-s3cret", "****")  # a NoEcho default is masked in --destroy's lines too
    assert (
        str(failure.value)
        == f"{stubs.STACK} ended DELETE_FAILED. Root cause: AWS::ECS::Cluster MyTestCluster DELETE_FAILED: {masked}"
    )
    out = capsys.readouterr().out
    assert "✓" not in out and "dflt-s3cret" not in out and masked in out


# 4. Only throttling is retried while following; 6. another stack's events never end a follow.


def _follower(cf: Any, clock: Clock) -> EventFollower:
    return EventFollower(cf, stubs.STACK_ID, stubs.STACK, lambda event: None, sleep=clock.sleep, clock=clock)


def test_an_aws_error_other_than_throttling_ends_the_follow():
    cf, clock = stubs.cloudformation_client(), Clock()
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
        stub.add_client_error(
            "describe_stack_events",
            service_error_code="AccessDenied",
            http_status_code=403,
            service_message="not authorized to perform: cloudformation:DescribeStackEvents",
        )
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS"), stubs.stack_event(2, "CREATE_COMPLETE")]),
        )
        follower = _follower(cf, clock)
        follower.mark_start()
        with pytest.raises(AwsError, match="not authorized") as raised:
            follower.follow()
    assert raised.value.code == "AccessDenied"
    assert clock.sleeps == []  # not retried


def _other_stack(number: int, status: str) -> dict[str, Any]:
    event = stubs.stack_event(number, status)
    event["PhysicalResourceId"] = event["StackId"] = stubs.STACK_ID.replace("4f1c2a50", "99999999")
    return event


def test_events_of_another_stack_never_end_the_follow():
    """A stack of the same name (an earlier one, deleted) ending DELETE_COMPLETE is not this operation's end."""
    cf, clock = stubs.cloudformation_client(), Clock()
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS"), _other_stack(2, "DELETE_COMPLETE")]),
        )
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "REVIEW_IN_PROGRESS"),
                    _other_stack(2, "DELETE_COMPLETE"),
                    stubs.stack_event(3, "CREATE_COMPLETE"),
                ]
            ),
        )
        follower = _follower(cf, clock)
        follower.mark_start()
        result = follower.follow()
        stub.assert_no_pending_responses()
    assert result.status == "CREATE_COMPLETE" and [e["EventId"] for e in result.events] == ["event-002", "event-003"]


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({}, True),
        ({"PhysicalResourceId": None}, True),  # no physical id: the name decides
        ({"PhysicalResourceId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/my-container-infra/other"}, False),
        ({"LogicalResourceId": "Nested"}, False),
        ({"ResourceType": "AWS::ECS::Cluster"}, False),
        ({"ResourceStatus": "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"}, False),
    ],
)
def test_ends_operation(change, ends):
    event = {**stubs.stack_event(1, "UPDATE_COMPLETE"), **change}
    event = {k: v for k, v in event.items() if v is not None}
    assert ends_operation(event, stubs.STACK_ID, stubs.STACK) is ends


# 8. The root cause skips cancellations wherever they are.

ROOT = stubs.event(5, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "CREATE_FAILED", "No Fargate configuration exists")
CANCELLED = stubs.event(4, "TaskdefWebappTaskRole", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation Cancelled")
STACK_FAILED = stubs.stack_event(3, "UPDATE_FAILED", "Stack failed")


@pytest.mark.parametrize(
    "events",
    [[CANCELLED, ROOT], [ROOT, CANCELLED], [STACK_FAILED, CANCELLED, ROOT], [CANCELLED, STACK_FAILED, ROOT, CANCELLED]],
    ids=["cancel-first", "cancel-last", "stack-first", "mixed"],
)
def test_root_cause_skips_cancellations_wherever_they_are(events):
    result = FollowResult(
        "ROLLBACK_COMPLETE", [stubs.event(1, "X", "AWS::ECS::Cluster", "CREATE_IN_PROGRESS"), *events]
    )
    assert result.root_cause() is ROOT


def test_root_cause_falls_back_to_the_first_failure_and_none():
    assert FollowResult("ROLLBACK_COMPLETE", [CANCELLED, STACK_FAILED]).root_cause() is CANCELLED
    assert (
        FollowResult("ROLLBACK_COMPLETE", [stubs.event(1, "X", "AWS::ECS::Cluster", "CREATE_COMPLETE")]).root_cause()
        is None
    )
    assert failure_line("s", "ROLLBACK_COMPLETE", None) == "s ended ROLLBACK_COMPLETE; see its events for why"


# 9. The internal-error path: one line, exit 1, a traceback only with CONTAINER_INFRA_DEBUG.


def _bug() -> int:
    raise KeyError("TaskCpu")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch, capsys):
    monkeypatch.delenv("CONTAINER_INFRA_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        run_main(_bug)
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.err == "internal error: KeyError: 'TaskCpu' (set CONTAINER_INFRA_DEBUG=1 for the traceback)\n"
    assert captured.out == ""


def test_the_traceback_only_with_the_debug_variable(monkeypatch, capsys):
    monkeypatch.setenv("CONTAINER_INFRA_DEBUG", "1")
    with pytest.raises(KeyError):  # the interpreter prints its traceback
        run_main(_bug)
    assert capsys.readouterr().err == ""


# 7. Standalone AWS::EC2::SecurityGroupIngress / Egress resources are in the security-group table.


def test_the_web_services_own_ingress_resource_is_in_the_table(capsys):
    from container_infra.diff.compute import compute_diff
    from container_infra.render.text import render_diff
    from tests.helpers import ROOT

    template = generate("--config", str(ROOT / "examples" / "web-service.toml"))
    diff = compute_diff({}, template, old_parameters={}, new_parameters={}, change_set=None)
    render_diff(Output(), diff, stack_name=stubs.STACK, region=stubs.REGION, new_stack=True)
    row = [
        "+",
        "${WebappServiceSecurityGroup.GroupId}",
        "ingress",
        "tcp/8000",
        "${WebappLoadBalancerSecurityGroup.GroupId}",
        "The container port, from the load balancer only",
    ]
    assert has_row(capsys.readouterr().out, row)


def test_standalone_ingress_and_egress_rules_are_rows():
    from container_infra.diff.security import SecurityGroupRule, security_group_rules

    group = {"Fn::GetAtt": ["Tasks", "GroupId"]}
    template = {
        "Resources": {
            "In": {
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {
                    "GroupId": group,
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 81,
                    "CidrIp": "0.0.0.0/0",
                },
            },
            "InByName": {
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {"GroupName": "default", "IpProtocol": "-1", "SourcePrefixListId": "pl-1"},
            },
            "Out": {
                "Type": "AWS::EC2::SecurityGroupEgress",
                "Properties": {
                    "GroupId": group,
                    "IpProtocol": "udp",
                    "FromPort": 53,
                    "ToPort": 53,
                    "DestinationSecurityGroupId": "sg-dns",
                    "Description": "DNS",
                },
            },
        }
    }
    assert security_group_rules(template) == [
        SecurityGroupRule("${Tasks.GroupId}", "egress", "udp/53", "sg-dns", "DNS"),
        SecurityGroupRule("${Tasks.GroupId}", "ingress", "tcp/80-81", "0.0.0.0/0", ""),
        SecurityGroupRule("default", "ingress", "all traffic", "pl-1", ""),
    ]
