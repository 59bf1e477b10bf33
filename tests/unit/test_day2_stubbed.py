"""--status, --logs --tail and --rollback where moto cannot show it, with botocore's Stubber: unhealthy
targets with their reasons, a stopped task's last words, throttling while tailing, UPDATE_ROLLBACK_FAILED."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.commands.logs import LogReader, Query
from container_infra.errors import UserError
from container_infra.ui.output import Output
from tests.fakes import stubs
from tests.fakes.clock import Clock
from tests.tables import has_row

TARGET_GROUP_ARN = f"arn:aws:elasticloadbalancing:{stubs.REGION}:{stubs.ACCOUNT}:targetgroup/webapp/0123456789abcdef"
LAST_WORDS = ["booting", "listening on :8000", "panic: connection refused (DATABASE_URL)"]


def _client(service: str) -> Any:
    return stubs.client(service)


def _resources(*items: tuple[str, str, str], status: str = "UPDATE_COMPLETE") -> dict[str, Any]:
    return {
        "StackResourceSummaries": [
            {
                "LogicalResourceId": lid,
                "PhysicalResourceId": pid,
                "ResourceType": kind,
                "LastUpdatedTimestamp": stubs.T0,
                "ResourceStatus": status,
            }
            for lid, kind, pid in items
        ]
    }


WEB_RESOURCES = _resources(
    ("MyTestCluster", "AWS::ECS::Cluster", "my-container-infra-MyTestCluster-ABC"),
    ("TaskdefWebapp", "AWS::ECS::TaskDefinition", stubs.task_definition_arn(2)),
    ("WebappService", "AWS::ECS::Service", stubs.SERVICE_ARN),
    ("WebappTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", TARGET_GROUP_ARN),
)


def _running_task(task_id: str) -> dict[str, Any]:
    arn = f"arn:aws:ecs:{stubs.REGION}:{stubs.ACCOUNT}:task/my-container-infra-MyTestCluster-ABC/{task_id}"
    return {
        "taskArn": arn,
        "lastStatus": "RUNNING",
        "healthStatus": "UNKNOWN",
        "startedAt": stubs.T0,
        "taskDefinitionArn": stubs.task_definition_arn(2),
        "containers": [
            {
                "name": "web",
                "image": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                "imageDigest": "sha256:" + "ab" * 32,
                "lastStatus": "RUNNING",
            }
        ],
    }


def _target(ip: str, state: str, reason: str = "", description: str = "") -> dict[str, Any]:
    health: dict[str, Any] = {"State": state}
    if reason:
        health.update(Reason=reason, Description=description)
    return {"Target": {"Id": ip, "Port": 8000}, "TargetHealth": health}


def _stub_status(cf: Stubber, ecs: Stubber, logs: Stubber, elbv2: Stubber, targets: list[dict[str, Any]]) -> None:
    cluster = "my-container-infra-MyTestCluster-ABC"
    cf.add_response(
        "describe_stacks",
        stubs.stack("UPDATE_COMPLETE", outputs={"ServiceUrl": "http://webapp-123.eu-west-1.elb.amazonaws.com"}),
    )
    cf.add_response("list_stack_resources", WEB_RESOURCES, {"StackName": stubs.STACK_ID})
    ecs.add_response(
        "describe_task_definition", stubs.task_definition(2), {"taskDefinition": stubs.task_definition_arn(2)}
    )
    described = stubs.service([stubs.deployment(2, "COMPLETED", running=1)])
    described["services"][0].update(
        runningCount=1,
        pendingCount=1,
        events=[{"id": f"e{i}", "createdAt": stubs.T0, "message": f"event {i}"} for i in range(12)],
    )
    ecs.add_response("describe_services", described, {"cluster": cluster, "services": [stubs.SERVICE_ARN]})
    running = _running_task("task-1")
    ecs.add_response(
        "list_tasks",
        {"taskArns": [running["taskArn"]]},
        {"cluster": cluster, "desiredStatus": "RUNNING", "serviceName": stubs.SERVICE_ARN},
    )
    ecs.add_response(
        "describe_tasks", {"tasks": [running], "failures": []}, {"cluster": cluster, "tasks": [running["taskArn"]]}
    )
    crashed = stubs.stopped_task("task-2", "Essential container in task exited", exit_code=1)
    old = {**stubs.stopped_task("task-0", "Scaling activity", exit_code=0), "stoppedAt": stubs.T0 - timedelta(hours=3)}
    ecs.add_response(
        "list_tasks",
        {"taskArns": [crashed["taskArn"], old["taskArn"]]},
        {"cluster": cluster, "desiredStatus": "STOPPED", "serviceName": stubs.SERVICE_ARN},
    )
    ecs.add_response("describe_tasks", {"tasks": [crashed, old], "failures": []}, {"cluster": cluster, "tasks": ANY})
    ecs.add_response(
        "describe_task_definition", stubs.task_definition(2), {"taskDefinition": stubs.task_definition_arn(2)}
    )
    logs.add_response(
        "get_log_events",
        stubs.log_events(LAST_WORDS),
        {"logGroupName": stubs.LOG_GROUP, "logStreamName": "webapp/web/task-2", "limit": 20, "startFromHead": False},
    )
    elbv2.add_response(
        "describe_target_health", {"TargetHealthDescriptions": targets}, {"TargetGroupArn": TARGET_GROUP_ARN}
    )


def _status(capsys, targets: list[dict[str, Any]], *argv: str) -> tuple[int, str]:
    clients = {name: _client(name) for name in ("cloudformation", "ecs", "logs", "elbv2")}
    stubbers = {name: Stubber(client) for name, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    _stub_status(stubbers["cloudformation"], stubbers["ecs"], stubbers["logs"], stubbers["elbv2"], targets)
    from container_infra.commands import status as status_module

    code = status_module.status(
        stubs.stub_aws(stubs.REGION, **clients),
        stubs.STACK,
        Output(),
        as_json="--json" in argv,
        now=stubs.T0 + timedelta(minutes=5),
    )
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
    return code, capsys.readouterr().out


def test_status_shows_unhealthy_targets_with_reasons_and_exits_1(capsys):
    targets = [
        _target("10.0.1.5", "healthy"),
        _target("10.0.2.7", "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]"),
    ]
    code, out = _status(capsys, targets)
    assert code == 1
    assert has_row(
        out,
        [
            "10.0.2.7",
            "8000",
            "unhealthy",
            "Target.ResponseCodeMismatch",
            "Health checks failed with these codes: [502]",
        ],
    )
    assert "target 10.0.2.7:8000 in WebappTargetGroup is unhealthy (Target.ResponseCodeMismatch" in out
    assert "service WebappService runs 1 of 2 tasks" in out and "✗ not healthy" in out
    assert "URL: http://webapp-123.eu-west-1.elb.amazonaws.com" in out
    assert has_row(
        out, ["web", "public.ecr.aws/aws-containers/hello-app-runner:latest", "sha256:" + "ab" * 32, "1"]
    )  # tag and digest
    # the stopped task of the last hour, with its own last words; the one from three hours ago is left out
    assert "task task-2 (revision 2) stopped" in out and "web: exit code 1" in out
    assert all(f"| 2026-11-26 12:00:0{i} {line}" in out for i, line in enumerate(LAST_WORDS))
    assert "task-0" not in out
    assert "Last 10 events of WebappService" in out and "event 9" in out and "event 10" not in out


def test_status_json_carries_the_same_data(capsys):
    code, out = _status(capsys, [_target("10.0.1.5", "healthy"), _target("10.0.2.7", "healthy")], "--json")
    data = json.loads(out)
    assert code == 1 and data["healthy"] is False  # still 1 of 2 tasks running
    assert data["problems"] == ["service WebappService runs 1 of 2 tasks", "service WebappService has 1 pending tasks"]
    (stopped,) = data["tasks"]["stopped"]
    assert stopped["containers"][0]["exitCode"] == 1
    assert stopped["lastLogLines"]["web"][-1].endswith(LAST_WORDS[-1])
    assert data["services"][0]["deployments"][0]["revision"] == 2
    assert data["tasks"]["running"][0]["containers"][0]["digest"] == "sha256:" + "ab" * 32


def _events(*messages: tuple[int, str, str]) -> dict[str, Any]:
    return {
        "events": [
            {"eventId": f"id-{ts}", "timestamp": ts, "logStreamName": stream, "message": text, "ingestionTime": ts}
            for ts, stream, text in messages
        ]
    }


def test_tail_backs_off_on_throttling_and_ends_cleanly_on_ctrl_c(capsys):
    logs, clock, notes = _client("logs"), Clock(), []
    polls = iter(range(10))

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if next(polls) == 4:
            raise KeyboardInterrupt

    query = {"logGroupName": "group", "logStreamNamePrefix": "webapp/", "startTime": ANY}
    with Stubber(logs) as stub:
        stub.add_response("filter_log_events", _events((1000, "webapp/web/t1", "first")), query)
        stub.add_client_error(
            "filter_log_events", service_error_code="ThrottlingException", http_status_code=400, expected_params=query
        )
        stub.add_client_error(
            "filter_log_events", service_error_code="ThrottlingException", http_status_code=400, expected_params=query
        )
        stub.add_response(
            "filter_log_events", _events((1000, "webapp/web/t1", "first"), (3000, "webapp/worker/t2", "second")), query
        )
        stub.add_response("filter_log_events", _events(), query)
        reader = LogReader(
            logs, [Query("group", "webapp/")], None, Output(), notes.append, sleep=sleep, now_ms=lambda: 10_000
        )
        assert reader.print_since(0) == 1
        reader.follow()
        stub.assert_no_pending_responses()
    assert clock.sleeps == [2.0, 4.0, 8.0, 2.0, 2.0]  # doubled while throttled, back to normal after
    assert capsys.readouterr().out.splitlines() == [
        "1970-01-01 00:00:01 web/t1 first",
        "1970-01-01 00:00:03 worker/t2 second",
    ]
    assert notes[-1] == "(stopped following the logs)" and "polling every 8s" in notes[1]


def test_rollback_of_a_stack_in_update_rollback_failed_names_what_it_skips_and_asks(capsys):
    cf = stubs.cloudformation_client()
    failed = _resources(("WebappService", "AWS::ECS::Service", stubs.SERVICE_ARN), status="UPDATE_FAILED")
    failed["StackResourceSummaries"][0]["ResourceStatusReason"] = "Service was not ACTIVE"
    fine = _resources(("TaskdefWebapp", "AWS::ECS::TaskDefinition", stubs.task_definition_arn(2)))
    resources = {"StackResourceSummaries": failed["StackResourceSummaries"] + fine["StackResourceSummaries"]}
    questions: list[str] = []
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response("list_stack_resources", resources, {"StackName": stubs.STACK_ID})
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "UPDATE_ROLLBACK_FAILED")]))
        stub.add_response(
            "continue_update_rollback",
            {},
            {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN, "ResourcesToSkip": ["WebappService"]},
        )
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "UPDATE_ROLLBACK_FAILED"),
                    stubs.stack_event(2, "UPDATE_ROLLBACK_IN_PROGRESS"),
                    stubs.event(
                        3,
                        "WebappService",
                        "AWS::ECS::Service",
                        "UPDATE_COMPLETE",
                        "Resource skipped during UpdateRollback",
                    ),
                    stubs.stack_event(4, "UPDATE_ROLLBACK_COMPLETE"),
                ]
            ),
        )
        code = run(
            parse_deploy(["--rollback"]),
            aws=stubs.stub_aws(stubs.REGION, cloudformation=cf),
            prompt=lambda question: questions.append(question) or True,
            tty=True,
        )
        stub.assert_no_pending_responses()
    assert code == 0
    assert questions == [f"Continue the rollback of {stubs.STACK}, skipping WebappService?"]
    out = capsys.readouterr().out
    assert "[!] AWS::ECS::Service WebappService: Service was not ACTIVE" in out
    assert "TaskdefWebapp" not in out.split("Resources it would skip")[1].split("UPDATE_ROLLBACK")[0]
    assert f"✓ {stubs.STACK}: UPDATE_ROLLBACK_COMPLETE" in out


def test_declining_continue_update_rollback_changes_nothing():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response(
            "list_stack_resources",
            _resources(("WebappService", "AWS::ECS::Service", stubs.SERVICE_ARN), status="UPDATE_FAILED"),
            {"StackName": stubs.STACK_ID},
        )
        with pytest.raises(UserError, match="declined"):
            run(
                parse_deploy(["--rollback"]),
                aws=stubs.stub_aws(stubs.REGION, cloudformation=cf),
                prompt=lambda question: False,
                tty=True,
            )
        stub.assert_no_pending_responses()  # no ContinueUpdateRollback


def test_logs_show_terminal_escape_sequences_escaped(capsys):
    """An app's log line can hold anything: clearing the screen, moving the cursor or retitling the window is shown,
    never done, and a log line's newline never starts a line that looks like another event."""
    logs = _client("logs")
    hostile = "clear \x1b[2J\x1b[H title \x1b]0;owned\x07 forged\n1970-01-01 00:00:09 web/t9 fake"
    query = {"logGroupName": "group", "logStreamNamePrefix": "webapp/", "startTime": ANY}
    with Stubber(logs) as stub:
        stub.add_response("filter_log_events", _events((1000, "webapp/web/t1", hostile)), query)
        reader = LogReader(logs, [Query("group", "webapp/")], None, Output(), print, now_ms=lambda: 10_000)
        assert reader.print_since(0) == 1
    assert capsys.readouterr().out.splitlines() == [
        "1970-01-01 00:00:01 web/t1 clear \\x1b[2J\\x1b[H title \\x1b]0;owned\\x07 forged\\n"
        "1970-01-01 00:00:09 web/t9 fake"
    ]


def test_ctrl_c_during_continue_update_rollback_says_the_rollback_goes_on():
    import signal

    from container_infra import signals
    from container_infra.errors import Interrupted

    cf = stubs.cloudformation_client()
    cf.meta.events.register(
        "provide-client-params.cloudformation.ContinueUpdateRollback",
        lambda **_: signals._handle(signal.SIGINT, None),
    )
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response("describe_stacks", stubs.stack("UPDATE_ROLLBACK_FAILED"), {"StackName": stubs.STACK})
        stub.add_response("list_stack_resources", _resources(), {"StackName": stubs.STACK_ID})
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "UPDATE_ROLLBACK_FAILED")]))
        stub.add_response("continue_update_rollback", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": ANY})
        try:
            with pytest.raises(Interrupted) as interrupted:
                run(parse_deploy(["--rollback", "--yes"]), aws=stubs.stub_aws(stubs.REGION, cloudformation=cf))
        finally:
            signals._state.received = None  # the fake signal is not left for the next test
        stub.assert_no_pending_responses()
    assert str(interrupted.value).startswith("stopped following, but the rollback goes on in AWS")
