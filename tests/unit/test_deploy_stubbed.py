"""What moto cannot show, with botocore's Stubber and responses shaped like the CloudFormation API's:
replacement details in change sets, failed resources, ROLLBACK_COMPLETE recovery, stuck and busy
stacks, throttling while following, and event pagination."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from container_infra.aws import stacks
from container_infra.aws.events import EventFollower
from container_infra.aws.stacks import wait_until_settled
from container_infra.cfn.events import Progress
from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import DeployFailed, UserError
from container_infra.ui.output import Output
from tests.fakes import stubs
from tests.fakes.clock import Clock
from tests.fakes.stubs import stub_aws
from tests.helpers import generate


@pytest.fixture
def cf() -> Any:
    return stubs.cloudformation_client()


def _run(cf: Any, *argv: str, answer: bool | None = None) -> int:
    return run(
        parse_deploy(list(argv)),
        aws=stub_aws(stubs.REGION, cloudformation=cf),
        prompt=lambda question: bool(answer),
        tty=answer is not None,
    )


def _deployed_template() -> dict[str, Any]:
    return generate()


def test_replacement_markers_come_from_the_change_set(cf, capsys, tmp_path):
    """An UPDATE whose details say Memory needs replacement (Always/Static): `replace` on the resource and property."""
    config = tmp_path / "app.toml"
    config.write_text("[task]\ncpu = 512\nmemory_mib = 2048\n")
    changes_page_1 = [
        stubs.resource_change(
            "Modify",
            "TaskdefWebapp",
            "AWS::ECS::TaskDefinition",
            replacement="True",
            details=[stubs.property_detail("Memory", "Always", "Static")],
        ),
    ]
    changes_page_2 = [
        stubs.resource_change(
            "Modify",
            "MyTestCluster",
            "AWS::ECS::Cluster",
            replacement="Conditional",
            details=[stubs.property_detail("ClusterSettings", "Conditionally", "Dynamic", cause="TaskdefWebapp")],
        ),
    ]
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_stacks",
            stubs.stack(
                "UPDATE_COMPLETE",
                parameters={
                    "TaskCpu": "512",
                    "TaskMemory": "1024",
                    "ContainerHelloAppRunnerImage": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                },
            ),
            {"StackName": stubs.STACK},
        )
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK})  # no other run reviewing
        stub.add_response(
            "create_change_set",
            {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID},
            {
                "StackName": stubs.STACK,
                "ChangeSetName": ANY,
                "ChangeSetType": "UPDATE",
                "Parameters": ANY,
                "Capabilities": ["CAPABILITY_IAM"],
                "Description": ANY,
                "ClientToken": stubs.A_TOKEN,
                "TemplateBody": ANY,
            },
        )
        # one read: the look that sees the final status is the first page, with the property values
        stub.add_response(
            "describe_change_set",
            stubs.change_set(changes_page_1, next_token="page-2"),
            {"ChangeSetName": stubs.CHANGE_SET_ID, "IncludePropertyValues": True},
        )
        stub.add_response(
            "describe_change_set",
            stubs.change_set(changes_page_2),
            {"ChangeSetName": stubs.CHANGE_SET_ID, "NextToken": "page-2", "IncludePropertyValues": True},
        )
        stub.add_response(
            "get_template",
            {"TemplateBody": json.dumps(_deployed_template())},
            {"StackName": stubs.STACK_ID, "TemplateStage": "Original"},
        )
        stubs.no_validation_events(stub)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert _run(cf, "--diff", "--config", str(config)) == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "[~] AWS::ECS::TaskDefinition TaskdefWebapp replace" in out
    assert "└─ [~] Memory: 1024 → 2048 (replace)" in out
    assert "[~] AWS::ECS::Cluster MyTestCluster may be replaced" in out  # from the second page of changes
    assert "ClusterSettings: (same in template) → re-evaluated (depends on TaskdefWebapp) (may be replaced)" in out


def test_stateful_resource_replacement_is_flagged_loudly(cf, capsys):
    """A log group whose name changes is replaced: the diff says its data goes with it."""
    from container_infra.diff.compute import compute_diff
    from container_infra.render.text import render_diff

    old = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "a"}}}}
    new = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "b"}}}}
    description = stubs.change_set(
        [
            stubs.resource_change(
                "Modify",
                "Logs",
                "AWS::Logs::LogGroup",
                replacement="True",
                details=[stubs.property_detail("LogGroupName", "Always")],
            )
        ]
    )
    diff = compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=description)
    render_diff(Output(), diff, stack_name=stubs.STACK, region=stubs.REGION, new_stack=False)
    out = capsys.readouterr().out
    assert (
        "WARNING: AWS::Logs::LogGroup Logs will be REPLACED by a new, empty one and the old one DELETED with its data"
        in out
    )
    removed = compute_diff(old, {"Resources": {}}, old_parameters={}, new_parameters={}, change_set=None)
    assert removed.warnings == ["DATA LOSS: AWS::Logs::LogGroup Logs will be DELETED with its data"]


def _create_flow(
    stub: Stubber,
    *,
    final_events: list[dict],
    final_status: str,
    outputs: dict[str, str] | None = None,
    outputs_throttled: bool = False,
) -> None:
    changes = [
        stubs.resource_change("Add", lid, kind)
        for lid, kind in [
            ("TaskdefWebappTaskRole", "AWS::IAM::Role"),
            ("MyTestCluster", "AWS::ECS::Cluster"),
            ("TaskdefWebapp", "AWS::ECS::TaskDefinition"),
        ]
    ]
    stub.add_response(
        "create_change_set",
        {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID},
        {
            "StackName": stubs.STACK,
            "ChangeSetName": ANY,
            "ChangeSetType": "CREATE",
            "Parameters": ANY,
            "Capabilities": ["CAPABILITY_IAM"],
            "Description": ANY,
            "ClientToken": stubs.A_TOKEN,
            "TemplateBody": ANY,
        },
    )
    stub.add_response("describe_change_set", stubs.change_set(changes))
    stubs.no_validation_events(stub)
    stub.add_response(
        "describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS", "User Initiated")])
    )
    stub.add_response(
        "execute_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID, "ClientRequestToken": stubs.A_TOKEN}
    )
    stub.add_response(
        "describe_stack_events",
        stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS", "User Initiated"), *final_events]),
    )
    if outputs_throttled:  # the last throttled read before the deadline
        stub.add_client_error(
            "describe_stacks", "Throttling", "Rate exceeded", 400, expected_params={"StackName": stubs.STACK_ID}
        )
    elif (
        final_status.endswith("_COMPLETE") and "ROLLBACK" not in final_status
    ):  # a failure is told by its event: no outputs to read
        stub.add_response("describe_stacks", stubs.stack(final_status, outputs=outputs), {"StackName": stubs.STACK_ID})


def test_failure_prints_the_root_cause_not_the_cancellations(cf, capsys):
    root = (
        'Resource handler returned message: "Invalid request provided: Create TaskDefinition: '
        'No Fargate configuration exists for given values: 512 CPU, 512 memory." (Service: Ecs, Status Code: 400)'
    )
    events = [
        stubs.stack_event(2, "CREATE_IN_PROGRESS", "User Initiated"),
        stubs.event(3, "TaskdefWebappTaskRole", "AWS::IAM::Role", "CREATE_IN_PROGRESS"),
        stubs.event(4, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "CREATE_IN_PROGRESS"),
        stubs.event(5, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "CREATE_FAILED", root),
        stubs.event(6, "TaskdefWebappTaskRole", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation cancelled"),
        stubs.stack_event(
            7,
            "ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [TaskdefWebappTaskRole, TaskdefWebapp]. "
            "Rollback requested by user.",
        ),
        stubs.event(8, "TaskdefWebappTaskRole", "AWS::IAM::Role", "DELETE_COMPLETE"),
        stubs.stack_event(9, "ROLLBACK_COMPLETE"),
    ]
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        _create_flow(stub, final_events=events, final_status="ROLLBACK_COMPLETE")
        with pytest.raises(DeployFailed) as failure:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    message = str(failure.value)
    assert "ended ROLLBACK_COMPLETE" in message
    assert "Root cause: AWS::ECS::TaskDefinition TaskdefWebapp CREATE_FAILED" in message
    assert "No Fargate configuration exists" in message
    out = capsys.readouterr().out
    assert out.index("CREATE_FAILED") < out.index("ROLLBACK_COMPLETE")
    assert "REVIEW_IN_PROGRESS" not in out  # only this execution's events are shown


def test_rollback_complete_is_deleted_and_created_again(cf, capsys):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("ROLLBACK_COMPLETE"), {"StackName": stubs.STACK})
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())  # the delete waiter: gone
        _create_flow(
            stub,
            final_events=[stubs.stack_event(2, "CREATE_IN_PROGRESS"), stubs.stack_event(3, "CREATE_COMPLETE")],
            final_status="CREATE_COMPLETE",
            outputs={"ClusterName": "my-test-cluster-abc"},
        )
        assert _run(cf, "--yes") == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "ROLLBACK_COMPLETE: its first create failed" in out
    assert "Deleted the failed stack" in out
    assert "ClusterName = my-test-cluster-abc" in out
    assert f"✓ {stubs.STACK}: CREATE_COMPLETE" in out


@pytest.mark.parametrize(
    "outputs, expected",
    [
        (
            {"TaskRoleArn": "arn:aws:iam::123456789012:role/r", "ClusterName": "c-1"},
            ["Outputs", "ClusterName = c-1", "TaskRoleArn = arn:aws:iam::123456789012:role/r"],
        ),
        (None, ["Outputs: none reported by CloudFormation (the template declares 3)"]),
    ],
)
def test_outputs_are_printed_as_cloudformation_reports_them(cf, capsys, outputs, expected):
    """Nothing is worked out on our side: what DescribeStacks reports is what the user sees, or a plain 'none'."""
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        _create_flow(
            stub,
            final_events=[stubs.stack_event(2, "CREATE_IN_PROGRESS"), stubs.stack_event(3, "CREATE_COMPLETE")],
            final_status="CREATE_COMPLETE",
            outputs=outputs,
        )
        assert _run(cf, "--yes") == 0
        stub.assert_no_pending_responses()  # no IAM, ELB or ECR call to work outputs out
    lines = capsys.readouterr().out.splitlines()
    after_deploy = lines[max(i for i, line in enumerate(lines) if "CREATE_COMPLETE" in line and "✓" not in line) + 1 :]
    assert [line for line in after_deploy if line][:-1] == expected


def test_the_terminal_event_ends_the_deploy_when_aws_keeps_throttling_the_outputs_read(cf, capsys, monkeypatch):
    """The stack's CREATE_COMPLETE event tells the end: a DescribeStacks still throttled costs the outputs only."""
    monkeypatch.setattr(stacks, "OUTPUTS_RETRY_SECONDS", (stacks.OUTPUTS_READ_SECONDS + 1,))  # no retry fits in
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        _create_flow(
            stub,
            final_events=[stubs.stack_event(2, "CREATE_IN_PROGRESS"), stubs.stack_event(3, "CREATE_COMPLETE")],
            final_status="CREATE_COMPLETE",
            outputs_throttled=True,
        )
        assert _run(cf, "--yes") == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert (
        "Outputs: not read (DescribeStacks kept failing: throttled or a server error); see them with `aws "
        "cloudformation describe-stacks "
        f"--stack-name {stubs.STACK} --region {stubs.REGION} --query Stacks[0].Outputs`"
    ) in out
    assert f"✓ {stubs.STACK}: CREATE_COMPLETE" in out


def test_rollback_complete_without_approval_is_left_alone(cf):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("ROLLBACK_COMPLETE"), {"StackName": stubs.STACK})
        with pytest.raises(UserError, match="not replacing the failed stack"):
            _run(cf)
        stub.assert_no_pending_responses()  # nothing deleted


def test_rollback_complete_declined_on_the_terminal(cf):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("ROLLBACK_COMPLETE"), {"StackName": stubs.STACK})
        with pytest.raises(UserError, match="declined"):
            _run(cf, answer=False)
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        ("UPDATE_ROLLBACK_FAILED", "continue-update-rollback"),
        ("DELETE_FAILED", "--destroy` again"),
        ("ROLLBACK_FAILED", "Delete it"),
    ],
)
def test_stuck_stacks_get_advice_and_exit_1(cf, status, advice):
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack(status), {"StackName": stubs.STACK})
        with pytest.raises(DeployFailed) as failure:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert status in str(failure.value) and advice in str(failure.value)
    assert failure.value.exit_code == 1


def test_busy_stack_is_waited_for(cf, clock):
    announced: list[str] = []
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_IN_PROGRESS"))
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"))
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"))
        settled = wait_until_settled(cf, stubs.STACK, announced.append, sleep=clock.sleep)
        stub.assert_no_pending_responses()
    assert settled is not None and settled["StackStatus"] == "UPDATE_COMPLETE"
    assert announced == ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"]
    assert len(clock.sleeps) == 2


def test_a_busy_stack_is_announced_before_the_deploy_goes_on(cf, capsys, monkeypatch):
    monkeypatch.setattr("container_infra.aws.stacks.BUSY_POLL_SECONDS", (0,))
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_IN_PROGRESS"))
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"))
        with pytest.raises(DeployFailed):
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert (
        "Waiting: stack my-container-infra is UPDATE_IN_PROGRESS (another operation is running) ..."
        in capsys.readouterr().out
    )


def _follower(cf: Any, clock: Clock) -> EventFollower:
    progress, out = Progress({"TaskdefWebapp", "MyTestCluster"}), Output()
    return EventFollower(
        cf, stubs.STACK_ID, stubs.STACK, lambda event: out.line(*progress.line(event)), sleep=clock.sleep, clock=clock
    )


def test_events_are_paginated_and_only_new_ones_shown(cf, capsys):
    old = [stubs.stack_event(1, "UPDATE_COMPLETE")]
    new = [
        stubs.stack_event(2, "UPDATE_IN_PROGRESS", "User Initiated"),
        stubs.event(3, "MyTestCluster", "AWS::ECS::Cluster", "UPDATE_IN_PROGRESS"),
        stubs.event(4, "MyTestCluster", "AWS::ECS::Cluster", "UPDATE_COMPLETE"),
        stubs.event(5, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "UPDATE_IN_PROGRESS"),
    ]
    clock = Clock()
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_stack_events", stubs.events_page(old, next_token="older"), {"StackName": stubs.STACK_ID}
        )
        # first poll: newest first over two pages, stopping at the boundary (no third page is asked for)
        stub.add_response(
            "describe_stack_events", stubs.events_page(new[2:], next_token="p2"), {"StackName": stubs.STACK_ID}
        )
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([*old, *new[:2]], next_token="p3"),
            {"StackName": stubs.STACK_ID, "NextToken": "p2"},
        )
        # second poll: nothing new
        stub.add_response("describe_stack_events", stubs.events_page([*old, *new]), {"StackName": stubs.STACK_ID})
        # third poll: done
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    *old,
                    *new,
                    stubs.event(6, "TaskdefWebapp", "AWS::ECS::TaskDefinition", "UPDATE_COMPLETE"),
                    stubs.stack_event(7, "UPDATE_COMPLETE"),
                ]
            ),
            {"StackName": stubs.STACK_ID},
        )
        follower = _follower(cf, clock)
        follower.mark_start()
        result = follower.follow()
        stub.assert_no_pending_responses()
    assert result.succeeded and result.status == "UPDATE_COMPLETE"
    assert [e["EventId"] for e in result.events] == [f"event-{n:03d}" for n in range(2, 8)]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and "[2/2]" in lines[-2]
    assert clock.sleeps == [1.0, 1.0]  # at most one DescribeStackEvents round a second


def test_throttling_while_following_backs_off_and_goes_on(cf):
    clock = Clock()
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
        stub.add_client_error(
            "describe_stack_events",
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )
        stub.add_client_error(
            "describe_stack_events",
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "REVIEW_IN_PROGRESS"),
                    stubs.stack_event(2, "CREATE_IN_PROGRESS"),
                    stubs.stack_event(3, "CREATE_COMPLETE"),
                ]
            ),
        )
        follower = _follower(cf, clock)
        follower.mark_start()
        result = follower.follow()
        stub.assert_no_pending_responses()
    assert result.succeeded
    assert clock.sleeps == [2.0, 4.0]  # doubling while throttled


def test_idle_polling_slows_down_but_stays_within_two_seconds(cf):
    clock = Clock()
    idle = stubs.events_page([stubs.stack_event(1, "UPDATE_IN_PROGRESS")])
    with Stubber(cf) as stub:
        stub.add_response("describe_stack_events", stubs.events_page([]))
        for poll in range(40):
            stub.add_response("describe_stack_events", idle)
            if (poll + 1) % 15 == 0:
                stub.add_response("describe_stacks", stubs.stack("UPDATE_IN_PROGRESS"))
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "UPDATE_IN_PROGRESS"), stubs.stack_event(2, "UPDATE_COMPLETE")]),
        )
        follower = _follower(cf, clock)
        follower.mark_start()
        result = follower.follow()
        stub.assert_no_pending_responses()
    assert result.succeeded
    assert min(clock.sleeps) == 1.0 and max(clock.sleeps) == 2.0
    assert clock.sleeps[:5] == [1.0] * 5  # quick at first


def test_clients_retry_throttling_in_standard_mode():
    import boto3

    from container_infra.aws.session import Aws

    client = Aws(boto3.Session(region_name=stubs.REGION), stubs.REGION, {}).client("cloudformation")
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.retries["total_max_attempts"] >= 5


def _changeset_request(change_set_type: str) -> dict[str, Any]:
    return {
        "StackName": stubs.STACK,
        "ChangeSetName": ANY,
        "ChangeSetType": change_set_type,
        "Parameters": ANY,
        "Capabilities": ["CAPABILITY_IAM"],
        "Description": ANY,
        "ClientToken": stubs.A_TOKEN,
        "TemplateBody": ANY,
    }


def test_a_rejected_template_is_one_line_and_leaves_nothing(cf):
    reason = "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        stub.add_response(
            "create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID}, _changeset_request("CREATE")
        )
        stub.add_response("describe_change_set", stubs.change_set([], status="FAILED", reason=reason))
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK_ID})  # no other kept one
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        with pytest.raises(UserError, match="CloudFormation rejected the change set: Template format error"):
            _run(cf, "--yes")
        stub.assert_no_pending_responses()


def test_a_change_set_without_changes_says_no_changes(cf, capsys):
    """Real CloudFormation fails an unchanged UPDATE change set with this reason; nothing is left behind."""
    reason = "The submitted information didn't contain changes. Submit different information to create a change set."
    params = {
        "TaskCpu": "512",
        "TaskMemory": "1024",
        "ContainerHelloAppRunnerImage": "public.ecr.aws/aws-containers/hello-app-runner:latest",
    }
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters=params))
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK})  # no other run reviewing
        stub.add_response(
            "create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID}, _changeset_request("UPDATE")
        )
        stub.add_response("describe_change_set", stubs.change_set([], status="FAILED", reason=reason))
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert _run(cf, "--yes") == 0
        stub.assert_no_pending_responses()
    assert "No changes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "AccessDenied",
            "access denied for CreateChangeSet: User: arn:aws:iam::123456789012:user/dev is not authorized",
        ),
        ("ExpiredToken", "expired or invalid"),
    ],
)
def test_permission_and_credential_errors_are_one_line(cf, code, expected):
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        stub.add_client_error(
            "create_change_set",
            service_error_code=code,
            http_status_code=403,
            service_message="User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
            "cloudformation:CreateChangeSet",
        )
        with pytest.raises(UserError) as failure:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert expected in str(failure.value)


def test_ctrl_c_while_following_says_the_deployment_goes_on(cf):
    """Ctrl-C during the second DescribeStackEvents: nothing is cancelled; deploy.py says how to follow or cancel."""
    from container_infra.errors import Interrupted

    calls = {"n": 0}

    def ctrl_c_on_second_poll(**_: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # mark_start, first poll, then the keyboard
            raise KeyboardInterrupt

    cf.meta.events.register("provide-client-params.cloudformation.DescribeStackEvents", ctrl_c_on_second_poll)
    changes = [stubs.resource_change("Add", "MyTestCluster", "AWS::ECS::Cluster")]
    with Stubber(cf) as stub:
        stubs.reviewed_create(stub, changes)
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
        stub.add_response("execute_change_set", {})
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS"), stubs.stack_event(2, "CREATE_IN_PROGRESS")]),
        )
        with pytest.raises(Interrupted) as interrupted:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()  # no delete, no cancel: the deployment is left to run
    message = str(interrupted.value)
    assert "the deployment goes on in AWS" in message
    assert "uv run deploy.py --follow --stack-name my-container-infra --region eu-west-1" in message
    # a create cannot be cancelled with cancel-update-stack: deleting the stack stops it
    assert "cancel-update-stack" not in message
    assert "aws cloudformation delete-stack --stack-name my-container-infra --region eu-west-1" in message
    assert interrupted.value.exit_code == 130


def test_ctrl_c_while_following_an_update_suggests_cancel_update_stack(cf):
    from container_infra.errors import Interrupted

    calls = {"n": 0}

    def ctrl_c_on_second_poll(**_: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    cf.meta.events.register("provide-client-params.cloudformation.DescribeStackEvents", ctrl_c_on_second_poll)
    params = {"TaskCpu": "512", "TaskMemory": "1024", "ContainerHelloAppRunnerImage": stubs.DEFAULT_IMAGE}
    changes = [
        stubs.resource_change(
            "Modify",
            "TaskdefWebapp",
            "AWS::ECS::TaskDefinition",
            replacement="True",
            details=[stubs.property_detail("ContainerDefinitions", "Always")],
        )
    ]
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters=params))
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK})  # no other run reviewing
        stub.add_response("create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID})
        stub.add_response("describe_change_set", stubs.change_set(changes))
        stub.add_response("get_template", {"TemplateBody": json.dumps(_deployed_template())})
        stubs.no_validation_events(stub)
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE")]))
        stub.add_response("execute_change_set", {})
        stub.add_response(
            "describe_stack_events",
            stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE"), stubs.stack_event(2, "UPDATE_IN_PROGRESS")]),
        )
        with pytest.raises(Interrupted) as interrupted:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    message = str(interrupted.value)
    assert "the update of my-container-infra continues in CloudFormation" in message
    assert "aws cloudformation cancel-update-stack --stack-name my-container-infra --region eu-west-1" in message
    assert "delete-stack" not in message


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ({"R": {"Type": "AWS::ECS::Cluster"}}, []),
        ({"R": {"Type": "AWS::IAM::Role", "Properties": {}}}, ["CAPABILITY_IAM"]),
        ({"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "fixed"}}}, ["CAPABILITY_NAMED_IAM"]),
    ],
)
def test_capabilities(resources, expected):
    from container_infra.cfn.template import required_capabilities

    assert required_capabilities({"Resources": resources}) == expected


def test_a_template_bucket_owned_by_another_account_is_refused(tmp_path):
    """The tool's bucket name is predictable: every call on it names the expected owner, and a bucket of that
    name in another account (HeadBucket answers 403 with ExpectedBucketOwner) is never written to."""
    from container_infra.aws.s3 import template_argument

    s3, sts = stubs.client("s3"), stubs.client("sts")
    bucket = f"container-infra-templates-{stubs.ACCOUNT}-{stubs.REGION}"
    with Stubber(s3) as s3_stub, Stubber(sts) as sts_stub:
        sts_stub.add_response(
            "get_caller_identity",
            {"Account": stubs.ACCOUNT, "Arn": "arn:aws:iam::123456789012:user/dev", "UserId": "AIDA"},
        )
        s3_stub.add_client_error(
            "head_bucket",
            service_error_code="403",
            http_status_code=403,
            expected_params={"Bucket": bucket, "ExpectedBucketOwner": stubs.ACCOUNT},
        )
        with pytest.raises(UserError, match="exists but is not this account's"):
            template_argument(stub_aws(s3=s3, sts=sts), "x" * 60_000, stack_name=stubs.STACK, bucket=None, say=print)
        s3_stub.assert_no_pending_responses()  # no put_object: nothing was uploaded


def test_uploads_to_the_tools_bucket_name_the_expected_owner():
    from container_infra.aws.s3 import template_argument

    s3, sts = stubs.client("s3"), stubs.client("sts")
    bucket = f"container-infra-templates-{stubs.ACCOUNT}-{stubs.REGION}"
    owner = {"ExpectedBucketOwner": stubs.ACCOUNT}
    with Stubber(s3) as s3_stub, Stubber(sts) as sts_stub:
        sts_stub.add_response(
            "get_caller_identity",
            {"Account": stubs.ACCOUNT, "Arn": "arn:aws:iam::123456789012:user/dev", "UserId": "AIDA"},
        )
        s3_stub.add_response("head_bucket", {}, {"Bucket": bucket, **owner})
        s3_stub.add_client_error(
            "head_object",
            service_error_code="404",
            http_status_code=404,
            expected_params={"Bucket": bucket, "Key": ANY, **owner},
        )
        s3_stub.add_response(
            "put_object", {}, {"Bucket": bucket, "Key": ANY, "Body": ANY, "ContentType": "application/json", **owner}
        )
        argument = template_argument(
            stub_aws(s3=s3, sts=sts), "x" * 60_000, stack_name=stubs.STACK, bucket=None, say=print
        )
        s3_stub.assert_no_pending_responses()
    assert argument is not None and argument["TemplateURL"].startswith(
        f"https://{bucket}.s3.{stubs.REGION}.amazonaws.com/container-infra/"
    )


def test_another_runs_change_set_under_review_is_refused_with_how_to_clear_it(cf):
    other = {
        "StackId": stubs.STACK_ID,
        "StackName": stubs.STACK,
        "ChangeSetId": stubs.CHANGE_SET_ID,
        "ChangeSetName": "container-infra-20261126-120000-1a2b3c4d",
        "ExecutionStatus": "AVAILABLE",
        "Status": "CREATE_COMPLETE",
        "CreationTime": stubs.T0,
        "Description": "Created by container-infra deploy.py",
    }
    someone_elses = {**other, "ChangeSetName": "console-review", "Description": "made in the console"}
    params = {"TaskCpu": "512", "TaskMemory": "1024", "ContainerHelloAppRunnerImage": stubs.DEFAULT_IMAGE}
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters=params))
        stub.add_response("list_change_sets", {"Summaries": [someone_elses, other]}, {"StackName": stubs.STACK})
        with pytest.raises(UserError) as refused:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()  # no change set of its own was created
    message = str(refused.value)
    assert (
        "another deploy.py run has change set container-infra-20261126-120000-1a2b3c4d "
        "on my-container-infra under review" in message
    )
    assert "deploy.py --discard container-infra-20261126-120000-1a2b3c4d --stack-name my-container-infra" in message


def test_change_set_names_never_collide():
    from container_infra.aws.changesets import change_set_name

    names = {change_set_name() for _ in range(1000)}  # all within the same second or two
    assert len(names) == 1000
    assert all(len(name) <= 128 and name[0].isalpha() for name in names)


def test_an_interrupt_whose_cleanup_fails_says_what_is_left_and_how_to_delete_it(cf):
    from container_infra.errors import Interrupted

    def ctrl_c(**_: Any) -> None:
        raise KeyboardInterrupt

    cf.meta.events.register("provide-client-params.cloudformation.DescribeChangeSet", ctrl_c)
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        stub.add_response("create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID})
        stub.add_client_error("delete_change_set", service_error_code="InternalFailure", http_status_code=500)
        with pytest.raises(Interrupted) as interrupted:
            _run(cf, "--yes")
    message = str(interrupted.value)
    # a new stack: deleting the never-executed stack deletes its change set with it
    assert "nothing was deployed, but the cleanup failed (AwsError): delete the never-executed stack " in message
    assert f"{stubs.STACK} and its change set with `deploy.py --destroy --stack-name {stubs.STACK}`" in message


def test_a_refused_execute_change_set_deletes_the_change_set_and_the_review_stack(cf, capsys):
    """Least-privilege CI may create change sets but not execute them: nothing is left for the next run to wait on."""
    with Stubber(cf) as stub:
        _refused_execute_on_a_new_stack(stub, "AccessDenied", "not allowed")
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK_ID})
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        with pytest.raises(UserError, match="^access denied for ExecuteChangeSet: not allowed"):
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert (
        "Not executed: nothing was deployed; the change set was deleted (and the review-only stack "
        f"{stubs.STACK})." in capsys.readouterr().out
    )


def _refused_execute_on_a_new_stack(
    stub: Stubber, code: str = "InvalidParameterException", message: str = "bad name"
) -> None:
    changes = [stubs.resource_change("Add", "MyTestCluster", "AWS::ECS::Cluster")]
    stub.add_client_error("describe_stacks", **stubs.no_stack_error())
    stub.add_response(
        "create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID}, _changeset_request("CREATE")
    )
    stub.add_response("describe_change_set", stubs.change_set(changes))
    stubs.no_validation_events(stub)
    stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
    stub.add_client_error(
        "execute_change_set",
        service_error_code=code,
        service_message=message,
        http_status_code=403 if code == "AccessDenied" else 400,
    )
    stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})


def test_a_failed_execute_on_a_new_stack_another_change_set_holds_says_the_stack_is_left(cf, capsys):
    """The review-only stack stays while another run's change set waits on it: the run says so, and how to delete
    it, instead of leaving a REVIEW_IN_PROGRESS stack nobody mentions."""
    kept = {"ChangeSetId": stubs.CHANGE_SET_ID + "-kept", "StackId": stubs.STACK_ID, "Status": "CREATE_COMPLETE"}
    with Stubber(cf) as stub:
        _refused_execute_on_a_new_stack(stub)
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": [kept]}, {"StackName": stubs.STACK_ID})
        with pytest.raises(DeployFailed, match="^ExecuteChangeSet failed: InvalidParameterException: bad name"):
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert (
        f"Not executed: nothing was deployed; the change set was deleted, but stack {stubs.STACK} is left "
        f"REVIEW_IN_PROGRESS, holding another change set: see `deploy.py --status --stack-name {stubs.STACK}`, or "
        f"delete it with `deploy.py --destroy --stack-name {stubs.STACK}`." in capsys.readouterr().out
    )


def test_a_failed_execute_whose_cleanup_fails_gives_the_command_that_deletes_what_is_left(cf, capsys):
    with Stubber(cf) as stub:
        _refused_execute_on_a_new_stack(stub)
        stub.add_client_error("describe_stacks", service_error_code="InternalFailure", http_status_code=500)
        with pytest.raises(DeployFailed, match="^ExecuteChangeSet failed: InvalidParameterException: bad name"):
            _run(cf, "--yes")
    out = capsys.readouterr().out
    assert "Not executed: nothing was deployed, but the cleanup failed (AwsError)" in out
    assert f"`deploy.py --destroy --stack-name {stubs.STACK}`" in out


def test_discarding_a_review_stack_keeps_it_while_another_run_kept_a_change_set_on_it(cf):
    from container_infra.aws.changesets import discard
    from container_infra.cfn.changeset import ChangeSet

    kept = {
        "ChangeSetId": stubs.CHANGE_SET_ID.replace("container-infra", "kept"),
        "StackId": stubs.STACK_ID,
        "Status": "CREATE_COMPLETE",
    }
    with Stubber(cf) as stub:
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": [kept]}, {"StackName": stubs.STACK_ID})
        discard(cf, ChangeSet(stubs.CHANGE_SET_ID, stubs.STACK_ID, "CREATE", {}), stack_was_new=True)
        stub.assert_no_pending_responses()  # no DeleteStack: it would take the kept change set with it
