"""The ECS rollout, with botocore's Stubber and responses shaped like the ECS API's (moto's services never fail)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from container_infra.ui.output import Output
from container_infra.watch.rollout import RolloutWatcher
from container_infra.watch.verdicts import hint_for, verdict_of
from container_infra.watch.watched import WatchedService
from tests.fakes import stubs
from tests.fakes.clock import Clock


def _watcher(ecs: Any, clock: Clock) -> RolloutWatcher:
    watched = WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)
    return RolloutWatcher(ecs, Output(), [watched], sleep=clock.sleep, clock=clock)


def _look(
    stub: Stubber,
    deployments: list[dict],
    stopped: list[dict] | None = None,
    known: list[str] | None = None,
    cluster: str = stubs.CLUSTER_ARN,
) -> None:
    """One poll: DescribeServices, ListTasks (STOPPED), and DescribeTasks for the new ones."""
    stub.add_response(
        "describe_services", stubs.service(deployments), {"cluster": cluster, "services": [stubs.SERVICE_ARN]}
    )
    arns = (known or []) + [t["taskArn"] for t in stopped or []]
    stub.add_response(
        "list_tasks",
        {"taskArns": arns},
        {"cluster": cluster, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
    )
    if stopped:
        stub.add_response("describe_tasks", {"tasks": stopped, "failures": []}, {"cluster": cluster, "tasks": ANY})


def test_a_failed_rollout_reports_stopped_tasks_and_the_circuit_breakers_reason(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    old = stubs.deployment(1, "COMPLETED", status="ACTIVE", running=2, revision=1)
    oom = stubs.stopped_task(
        "task-1",
        "Essential container in task exited",
        exit_code=137,
        container_reason="OutOfMemoryError: Container killed due to memory usage",
    )
    pull = stubs.stopped_task(
        "task-2",
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): image not found",
        exit_code=None,
    )
    breaker = "ECS deployment circuit breaker: tasks failed to start."
    with Stubber(ecs) as stub:
        _look(
            stub, [stubs.deployment(2, "IN_PROGRESS"), old], known=["arn:old-stopped-task"]
        )  # seeds the known stopped tasks
        _look(stub, [stubs.deployment(2, "IN_PROGRESS", failed=1), old], [oom], known=["arn:old-stopped-task"])
        _look(
            stub,
            [stubs.deployment(2, "FAILED", failed=2, reason=breaker), old],
            [pull],
            known=["arn:old-stopped-task", oom["taskArn"]],
        )
        watcher = _watcher(ecs, clock)
        watcher.poll()
        watcher.poll()
        (verdict,) = watcher.finish()
        stub.assert_no_pending_responses()
    assert (verdict.state, verdict.reason) == ("FAILED", breaker)
    out = capsys.readouterr().out
    assert out.count("task task-1 stopped") == 1 and out.count("task task-2 stopped") == 1  # once each
    assert "old-stopped-task" not in out  # stopped before this deploy
    assert "web: exit code 137, OutOfMemoryError" in out and "hint: the container ran out of memory" in out
    assert "hint: the image could not be pulled" in out
    assert "ECS WebappService: PRIMARY FAILED running 0/2 pending 2 (webapp:2)" in out
    assert out.count("ACTIVE COMPLETED running 2/2") == 1  # an unchanged deployment is printed once


def test_a_completed_rollout(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        _look(stub, [stubs.deployment(3, "IN_PROGRESS", running=1)])
        _look(stub, [stubs.deployment(3, "IN_PROGRESS", running=1)])
        _look(stub, [stubs.deployment(3, "COMPLETED", running=2)])
        (verdict,) = _watcher(ecs, clock).finish()
        stub.assert_no_pending_responses()
    assert verdict.state == "COMPLETED"
    assert clock.sleeps == [5.0, 5.0]
    out = capsys.readouterr().out
    assert out.count("IN_PROGRESS running 1/2") == 1 and "COMPLETED running 2/2 pending 0" in out


def test_a_rollout_that_never_settles_times_out():
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        for _ in range(3):
            _look(stub, [stubs.deployment(4, "IN_PROGRESS")])
        (verdict,) = _watcher(ecs, clock).finish(timeout=10)
    assert verdict.state == "IN_PROGRESS"


def test_polls_ecs_every_five_seconds_not_every_cloudformation_poll():
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        _look(stub, [stubs.deployment(5, "IN_PROGRESS")])
        _look(stub, [stubs.deployment(5, "IN_PROGRESS")])
        watcher = _watcher(ecs, clock)
        for _ in range(6):  # CloudFormation polls once a second
            watcher.poll_if_due()
            clock.sleep(1.0)
        stub.assert_no_pending_responses()  # two ECS looks in six seconds


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Task failed ELB health checks in (target-group arn:...)", "health_check_path"),
        ("ResourceInitializationError: unable to pull secrets or registry auth", "execution role"),
        ("Essential container in task exited; web: exit code 1", "read its logs"),
    ],
)
def test_hints_for_common_causes(text, fragment):
    hint = hint_for(text)
    assert hint is not None and fragment in hint
    assert hint_for("Scaling activity initiated by (deployment ecs-svc/1)") is None


APP_LAST_WORDS = ["Starting web on :8000", "Traceback (most recent call last):", "KeyError: 'DATABASE_URL'"]


def test_deploy_exits_1_when_ecs_fails_although_cloudformation_completes(capsys):
    """CloudFormation says UPDATE_COMPLETE; the service's deployment FAILED: deploy.py believes ECS."""
    from container_infra.cli import parse_deploy
    from container_infra.commands import run
    from container_infra.errors import DeployFailed
    from tests.fakes.stubs import stub_aws
    from tests.helpers import ROOT, generate

    config = str(ROOT / "examples" / "web-service.toml")
    deployed = generate("--config", config)
    deployed["Parameters"]["WebImage"]["Default"] = "public.ecr.aws/aws-containers/hello-app-runner:v1"
    cf, ecs = stubs.cloudformation_client(), stubs.ecs_client()
    params = {
        "TaskCpu": "512",
        "TaskMemory": "1024",
        "WebImage": "public.ecr.aws/aws-containers/hello-app-runner:v1",
        "DesiredCount": "2",
        "VpcId": "vpc-0abc",
        "LoadBalancerSubnets": "subnet-0a,subnet-0b",
        "TaskSubnets": "subnet-0a,subnet-0b",
    }
    changes = [
        stubs.resource_change(
            "Modify",
            "TaskdefWebapp",
            "AWS::ECS::TaskDefinition",
            replacement="True",
            details=[stubs.property_detail("ContainerDefinitions", "Always")],
        ),
        stubs.resource_change(
            "Modify",
            "WebappService",
            "AWS::ECS::Service",
            details=[stubs.property_detail("TaskDefinition", "Never", "Dynamic", cause="TaskdefWebapp")],
        ),
    ]
    breaker = "ECS deployment circuit breaker: tasks failed to start."
    crash = stubs.stopped_task("task-9", "Essential container in task exited", exit_code=1)
    ec2, logs = stubs.client("ec2"), stubs.logs_client()
    with Stubber(cf) as cf_stub, Stubber(ecs) as ecs_stub, Stubber(ec2) as ec2_stub, Stubber(logs) as logs_stub:
        for subnet, zone in (("subnet-0a", "eu-west-1a"), ("subnet-0b", "eu-west-1b")):  # the forecast's subnet check
            ec2_stub.add_response(
                "describe_subnets",
                {"Subnets": [{"SubnetId": subnet, "AvailabilityZone": zone}]},
                {"SubnetIds": [subnet]},
            )
        cf_stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters=params))
        cf_stub.add_response(
            "list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK}
        )  # no other run reviewing
        cf_stub.add_response("create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID})
        cf_stub.add_response("describe_change_set", stubs.change_set(changes))
        import json

        cf_stub.add_response("get_template", {"TemplateBody": json.dumps(deployed)})
        stubs.no_validation_events(cf_stub)
        cf_stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "UPDATE_COMPLETE")]))
        cf_stub.add_response("execute_change_set", {})
        cf_stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [stubs.stack_event(1, "UPDATE_COMPLETE"), stubs.stack_event(2, "UPDATE_IN_PROGRESS", "User Initiated")]
            ),
        )
        cf_stub.add_response(
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    {
                        "LogicalResourceId": "WebappService",
                        "PhysicalResourceId": stubs.SERVICE_ARN,
                        "ResourceType": "AWS::ECS::Service",
                        "LastUpdatedTimestamp": stubs.T0,
                        "ResourceStatus": "UPDATE_IN_PROGRESS",
                    }
                ]
            },
        )
        cluster = "my-container-infra-MyTestCluster-ABC"  # read from the service's long-format ARN
        _look(
            ecs_stub,
            [
                stubs.deployment(7, "IN_PROGRESS"),
                stubs.deployment(6, "COMPLETED", status="ACTIVE", running=2, revision=1),
            ],
            cluster=cluster,
        )
        cf_stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "UPDATE_COMPLETE"),
                    stubs.stack_event(2, "UPDATE_IN_PROGRESS", "User Initiated"),
                    stubs.stack_event(3, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
                    stubs.stack_event(4, "UPDATE_COMPLETE"),
                ]
            ),
        )
        cf_stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters=params))
        cf_stub.add_response(  # the revision the stack now names, whose deployment decides
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    {
                        "LogicalResourceId": "TaskdefWebapp",
                        "PhysicalResourceId": stubs.task_definition_arn(2),
                        "ResourceType": "AWS::ECS::TaskDefinition",
                        "LastUpdatedTimestamp": stubs.T0,
                        "ResourceStatus": "UPDATE_COMPLETE",
                    }
                ]
            },
        )
        _look(
            ecs_stub,
            [
                stubs.deployment(7, "FAILED", failed=3, reason=breaker),
                stubs.deployment(6, "COMPLETED", status="ACTIVE", running=2, revision=1),
            ],
            [crash],
            cluster=cluster,
        )
        ecs_stub.add_response(
            "describe_task_definition", stubs.task_definition(2), {"taskDefinition": stubs.task_definition_arn(2)}
        )
        logs_stub.add_response(
            "get_log_events",
            stubs.log_events(APP_LAST_WORDS),
            {
                "logGroupName": stubs.LOG_GROUP,
                "logStreamName": "webapp/web/task-9",
                "limit": 20,
                "startFromHead": False,
            },
        )
        args = parse_deploy(
            [
                *("--config", config, "--stack-name", stubs.STACK, "--yes"),  # the stack the stubs answer for
                *("--parameter", "WebImage=public.ecr.aws/aws-containers/hello-app-runner:v2"),
            ]
        )
        with pytest.raises(DeployFailed) as failure:
            run(args, aws=stub_aws(stubs.REGION, cloudformation=cf, ecs=ecs, ec2=ec2, logs=logs), tty=False)
        cf_stub.assert_no_pending_responses()
        ecs_stub.assert_no_pending_responses()
        logs_stub.assert_no_pending_responses()
    assert f"the ECS rollout of WebappService ended FAILED: {breaker}" in str(failure.value)
    out = capsys.readouterr().out
    assert (
        "UPDATE_COMPLETE " in out and "task task-9 stopped: Essential container in task exited; web: exit code 1" in out
    )
    assert "hint: the app exited" in out
    assert "ECS rollout of WebappService: FAILED" in out
    # the app's own last words, under its stop reason, in order
    words = out.split("task task-9 stopped", 1)[1]
    assert "web: its last 3 log lines:" in words
    positions = [words.index(line) for line in APP_LAST_WORDS]
    assert positions == sorted(positions)
    assert words.index(APP_LAST_WORDS[-1]) < words.index("ECS rollout of WebappService: FAILED")


def test_no_permission_to_watch_ecs_is_a_warning_not_a_failure(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        stub.add_client_error(
            "describe_services",
            service_error_code="AccessDeniedException",
            http_status_code=400,
            service_message="User is not authorized to perform: ecs:DescribeServices",
        )
        watcher = _watcher(ecs, clock)
        watcher.poll_if_due()
        assert watcher.finish() == []  # no verdict to trust: CloudFormation's stands
        stub.assert_no_pending_responses()
    assert (
        "Not watching the ECS rollout any more (AccessDeniedException on DescribeServices)" in capsys.readouterr().out
    )


def _watcher_with_logs(ecs: Any, logs: Any, clock: Clock) -> RolloutWatcher:
    from container_infra.watch.last_words import LastWords

    watched = WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)
    return RolloutWatcher(
        ecs, Output(), [watched], sleep=clock.sleep, clock=clock, last_words=LastWords(ecs, logs).lines
    )


def test_a_container_that_never_started_has_no_stream_and_the_report_says_why(capsys):
    ecs, logs, clock = stubs.ecs_client(), stubs.logs_client(), Clock()
    pull = stubs.stopped_task("task-3", "CannotPullContainerError: image not found", exit_code=None)
    with Stubber(ecs) as stub, Stubber(logs) as logs_stub:
        _look(stub, [stubs.deployment(2, "IN_PROGRESS")])
        _look(stub, [stubs.deployment(2, "IN_PROGRESS")], [pull])
        stub.add_response(
            "describe_task_definition", stubs.task_definition(2), {"taskDefinition": stubs.task_definition_arn(2)}
        )
        logs_stub.add_client_error(
            "get_log_events",
            service_error_code="ResourceNotFoundException",
            http_status_code=400,
            service_message="The specified log stream does not exist.",
        )
        watcher = _watcher_with_logs(ecs, logs, clock)
        watcher.poll()
        watcher.poll()
        stub.assert_no_pending_responses()
        logs_stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "web: no logs (log stream webapp/web/task-3): the container never started" in out
    assert "image could not be pulled" in out and "execution role" in out


def test_a_task_definition_without_awslogs_says_so_and_reads_no_logs(capsys):
    ecs, logs, clock = stubs.ecs_client(), stubs.logs_client(), Clock()
    crash = stubs.stopped_task("task-4", "Essential container in task exited", exit_code=1)
    with Stubber(ecs) as stub, Stubber(logs) as logs_stub:
        _look(stub, [stubs.deployment(2, "IN_PROGRESS")])
        _look(stub, [stubs.deployment(2, "IN_PROGRESS")], [crash])
        stub.add_response(
            "describe_task_definition",
            stubs.task_definition(2, logs=False),
            {"taskDefinition": stubs.task_definition_arn(2)},
        )
        watcher = _watcher_with_logs(ecs, logs, clock)
        watcher.poll()
        watcher.poll()
        stub.assert_no_pending_responses()
        logs_stub.assert_no_pending_responses()  # no GetLogEvents: nothing to read
    assert "web: no logs: does not log to CloudWatch Logs" in capsys.readouterr().out


class _EcsStuckInProgress:
    """An ECS API whose rollout never settles (a Stubber would need a response for each of the 361 looks)."""

    def __init__(self) -> None:
        self.looks = 0

    def describe_services(self, **_: Any) -> dict[str, Any]:
        self.looks += 1
        return stubs.service([stubs.deployment(8, "IN_PROGRESS", running=1)])

    def list_tasks(self, **_: Any) -> dict[str, Any]:
        return {"taskArns": []}


def test_a_rollout_still_in_progress_after_30_minutes_fails_the_deploy(capsys):
    """Kills the mutant 'an ECS rollout still in progress when the 30-minute wait ends counts as success'."""
    from container_infra.errors import DeployFailed
    from container_infra.steps.outcome import watch_rollout

    ecs, clock = _EcsStuckInProgress(), Clock()
    watcher = RolloutWatcher(
        ecs,
        Output(),
        [WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)],
        sleep=clock.sleep,
        clock=clock,
    )
    with pytest.raises(DeployFailed) as failure:
        watch_rollout(watcher, Output(), stubs.STACK, stubs.REGION)
    assert failure.value.exit_code == 1
    assert str(failure.value).startswith(
        "the ECS rollout of WebappService was still in progress when the 30-minute wait ended"
    )
    assert clock.now == 30 * 60 and ecs.looks == 361  # it did wait the 30 minutes, looking every 5 seconds
    assert "ECS rollout of WebappService: IN_PROGRESS" in capsys.readouterr().out


def test_failure_of_verdicts():
    from container_infra.watch.verdicts import failure_of
    from container_infra.watch.watched import Verdict

    assert failure_of([Verdict("A", "COMPLETED", "done"), Verdict("B", "COMPLETED")]) is None
    assert failure_of([Verdict("A", "COMPLETED"), Verdict("B", "FAILED", "Essential container in task exited")]) == (
        "the ECS rollout of B ended FAILED: Essential container in task exited (hint: the app exited: read its logs "
        "(its last lines below, more with deploy.py --logs))"
    )
    assert failure_of([Verdict("A", "FAILED")]) == "the ECS rollout of A ended FAILED: no reason given"
    assert failure_of([Verdict("A", "IN_PROGRESS")]) == (
        "the ECS rollout of A was still in progress when the 30-minute wait ended "
        "(no reason given); it goes on in ECS: follow the service in the ECS console"
    )


def test_exit_137_has_its_own_hint():
    """Kills the mutant that removes the exit-137 hint: without an out-of-memory message, 137 still says memory."""
    assert hint_for("Essential container in task exited; web: exit code 137") == HINTS_137
    assert "ran out of memory" in (hint_for("web: exit code 137, OutOfMemoryError: Container killed") or "")


HINTS_137 = "killed (exit 137), most often for lack of memory: raise task.memory_mib"


@pytest.mark.parametrize(
    ("failed", "primary", "expected"),
    [
        ({"d1": "circuit breaker", "d2": "later"}, {"rolloutState": "COMPLETED"}, ("FAILED", "circuit breaker")),
        ({}, None, ("COMPLETED", "no deployment")),
        ({}, {"status": "PRIMARY"}, ("COMPLETED", "")),  # no rollout state (a service ECS does not roll out itself)
        (
            {},
            {"rolloutState": "IN_PROGRESS", "rolloutStateReason": "ECS deployment in progress."},
            ("IN_PROGRESS", "ECS deployment in progress."),
        ),
        (
            {},
            {"rolloutState": "FAILED", "rolloutStateReason": "tasks failed to start"},
            ("FAILED", "tasks failed to start"),
        ),
    ],
)
def test_the_verdict_of_one_service(failed, primary, expected):
    watched = WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN, failed=failed, primary=primary)
    verdict = verdict_of(watched)
    assert (verdict.logical_id, verdict.state, verdict.reason) == ("WebappService", *expected)


ALARM = "my-container-infra-WebappTarget5xxAlarm-1A2B3C"
ALARMS = [ALARM, "my-container-infra-WebappUnhealthyHostsAlarm-4D5E6F"]


def test_a_rollout_failed_by_a_deployment_alarm_names_the_alarm():
    ecs, clock = stubs.ecs_client(), Clock()
    reason = f"ECS deployment ecs-svc/2 rolled back: alarm detected. Alarm(s) in ALARM state: {ALARM}"
    response = stubs.service([stubs.deployment(2, "FAILED", failed=0, reason=reason)])
    response["services"][0]["deploymentConfiguration"] = {
        "alarms": {"alarmNames": ALARMS, "enable": True, "rollback": True}
    }
    with Stubber(ecs) as stub:
        stub.add_response(
            "describe_services", response, {"cluster": stubs.CLUSTER_ARN, "services": [stubs.SERVICE_ARN]}
        )
        stub.add_response(
            "list_tasks",
            {"taskArns": []},
            {"cluster": stubs.CLUSTER_ARN, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
        )
        (verdict,) = _watcher(ecs, clock).finish()
    assert verdict.state == "FAILED"
    assert verdict.reason == f"alarm {ALARM} fired: {reason}"


@pytest.mark.parametrize(
    "reason, expected",
    [
        (
            "deployment failed: alarm detected",
            f"a deployment alarm fired (one of {', '.join(ALARMS)}): deployment failed: alarm detected",
        ),
        (
            "ECS deployment circuit breaker: tasks failed to start.",
            "ECS deployment circuit breaker: tasks failed to start.",
        ),
    ],
)
def test_name_the_alarm_only_when_an_alarm_failed_the_rollout(reason, expected):
    from container_infra.watch.verdicts import name_the_alarm

    assert name_the_alarm(reason, ALARMS) == expected
    assert name_the_alarm(reason, []) == reason


def _watcher_expecting(ecs: Any, clock: Clock, revision: int) -> RolloutWatcher:
    watched = WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)
    expected = stubs.task_definition_arn(revision)
    return RolloutWatcher(ecs, Output(), [watched], sleep=clock.sleep, clock=clock, expected=lambda _: expected)


def _look_naming(stub: Stubber, deployments: list[dict], service_revision: int) -> None:
    answer = stubs.service(deployments)
    answer["services"][0]["taskDefinition"] = stubs.task_definition_arn(service_revision)
    stub.add_response("describe_services", answer, {"cluster": stubs.CLUSTER_ARN, "services": [stubs.SERVICE_ARN]})
    stub.add_response(
        "list_tasks",
        {"taskArns": []},
        {"cluster": stubs.CLUSTER_ARN, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
    )


def test_a_completed_deployment_of_the_previous_revision_is_not_this_deploys_success():
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        # an early look: ECS still shows revision 1's settled deployment, the stack names revision 2
        _look_naming(stub, [stubs.deployment(6, "COMPLETED", running=2, revision=1)], service_revision=1)
        _look_naming(stub, [stubs.deployment(6, "COMPLETED", running=2, revision=1)], service_revision=1)
        _look_naming(
            stub,
            [
                stubs.deployment(7, "COMPLETED", running=2, revision=2),
                stubs.deployment(6, "COMPLETED", status="ACTIVE", running=0, revision=1),
            ],
            service_revision=2,
        )
        (verdict,) = _watcher_expecting(ecs, clock, revision=2).finish()
        stub.assert_no_pending_responses()
    assert verdict.state == "COMPLETED" and clock.sleeps == [5.0, 5.0]  # it waited for revision 2's deployment


def test_a_previous_revisions_deployment_is_waited_for_and_then_said_to_be_unverified(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:  # an endpoint that starts no deployment (moto): revision 1's stays the primary
        for _ in range(5):
            _look_naming(stub, [stubs.deployment(6, "COMPLETED", running=2, revision=1)], service_revision=1)
        (verdict,) = _watcher_expecting(ecs, clock, revision=2).finish()
        stub.assert_no_pending_responses()
    assert clock.sleeps == [5.0] * 4  # the grace for the new deployment to appear, not an instant success
    assert verdict.state == "COMPLETED"
    out = capsys.readouterr().out
    assert out.count("no deployment of webapp:2") == 1 and "runs webapp:1: not verified" in out


def test_a_long_settle_says_its_elapsed_time_stage_and_task_counts_every_15_seconds(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        for running in (0, 0, 1, 1, 1, 1, 1):
            _look(stub, [stubs.deployment(3, "IN_PROGRESS", running=running)])
        _look(stub, [stubs.deployment(3, "COMPLETED", running=2)])
        (verdict,) = _watcher(ecs, clock).finish()
    assert verdict.state == "COMPLETED"
    progress = [line for line in capsys.readouterr().out.splitlines() if "still rolling out" in line]
    assert progress == [
        "  ECS WebappService: still rolling out after 0:15, IN_PROGRESS: running 1/2, pending 1",
        "  ECS WebappService: still rolling out after 0:30, IN_PROGRESS: running 1/2, pending 1",
    ]
