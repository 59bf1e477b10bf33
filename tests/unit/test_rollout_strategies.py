"""The rollout watcher on blue/green, canary and linear deployments.

moto has no DescribeServiceDeployments (nor traffic shifting, nor bake time): these tests use botocore's Stubber
with responses shaped like the ECS API's (DescribeServices' `deploymentConfiguration.strategy` and
`currentServiceDeployment`, DescribeServiceDeployments' `status`, `lifecycleStage`, `targetServiceRevision`
weights, `alarms.triggeredAlarmNames`, `rollback`); Stubber checks each one against botocore 1.44.8's model.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.ui.output import Output
from container_infra.watch import strategies
from container_infra.watch.rollout import RolloutWatcher
from container_infra.watch.verdicts import failure_of
from container_infra.watch.watched import WatchedService
from tests.fakes import stubs
from tests.fakes.clock import Clock

SERVICE_PATH = "my-container-infra-MyTestCluster-ABC/my-container-infra-WebappService-XYZ"
SERVICE_DEPLOYMENT_ARN = f"arn:aws:ecs:{stubs.REGION}:{stubs.ACCOUNT}:service-deployment/{SERVICE_PATH}/r4nd0mId"
NEW_REVISION = f"arn:aws:ecs:{stubs.REGION}:{stubs.ACCOUNT}:service-revision/{SERVICE_PATH}/2222"
OLD_REVISION = f"arn:aws:ecs:{stubs.REGION}:{stubs.ACCOUNT}:service-revision/{SERVICE_PATH}/1111"
ALARM = "my-container-infra-WebappAlternateTarget5xxAlarm-1A2B3C"


def service(strategy: str, deployments: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    response = stubs.service(deployments)
    response["services"][0]["deploymentConfiguration"] = {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
        "alarms": {"alarmNames": [ALARM], "enable": True, "rollback": True},
        "strategy": strategy,
        "bakeTimeInMinutes": 5,
        **extra,
    }
    response["services"][0]["currentServiceDeployment"] = SERVICE_DEPLOYMENT_ARN
    return response


def service_deployment(
    status: str, stage: str | None, production: float | None = None, test: float | None = None, **extra: Any
) -> dict[str, Any]:
    target: dict[str, Any] = {
        "arn": NEW_REVISION,
        "requestedTaskCount": 2,
        "runningTaskCount": 2,
        "pendingTaskCount": 0,
    }
    if production is not None:
        target["requestedProductionTrafficWeight"] = production
    if test is not None:
        target["requestedTestTrafficWeight"] = test
    deployment: dict[str, Any] = {
        "serviceDeploymentArn": SERVICE_DEPLOYMENT_ARN,
        "serviceArn": stubs.SERVICE_ARN,
        "clusterArn": stubs.CLUSTER_ARN,
        "createdAt": stubs.T0,
        "startedAt": stubs.T0,
        "updatedAt": stubs.T0,
        "status": status,
        "sourceServiceRevisions": [
            {"arn": OLD_REVISION, "requestedTaskCount": 2, "runningTaskCount": 2, "pendingTaskCount": 0}
        ],
        "targetServiceRevision": target,
        **extra,
    }
    if stage:
        deployment["lifecycleStage"] = stage
    return {"serviceDeployments": [deployment], "failures": []}


def _look(stub: Stubber, strategy: str, deployment: dict[str, Any], state: str = "IN_PROGRESS", **config: Any) -> None:
    """One poll: DescribeServices, DescribeServiceDeployments (its current one), ListTasks (STOPPED)."""
    stub.add_response(
        "describe_services",
        service(strategy, [stubs.deployment(2, state)], **config),
        {"cluster": stubs.CLUSTER_ARN, "services": [stubs.SERVICE_ARN]},
    )
    stub.add_response("describe_service_deployments", deployment, {"serviceDeploymentArns": [SERVICE_DEPLOYMENT_ARN]})
    stub.add_response(
        "list_tasks",
        {"taskArns": []},
        {"cluster": stubs.CLUSTER_ARN, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
    )


def _watcher(ecs: Any, clock: Clock, **since: Any) -> RolloutWatcher:
    return RolloutWatcher(
        ecs,
        Output(),
        [WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)],
        sleep=clock.sleep,
        clock=clock,
        **since,
    )


ROLLED_BACK_EARLIER = service_deployment(
    "ROLLBACK_SUCCESSFUL",
    None,
    production=0,
    statusReason="rolled back because alarm(s) went into ALARM state.",
    rollback={"reason": "Alarm(s) in ALARM state", "startedAt": stubs.T0, "serviceRevisionArn": OLD_REVISION},
)


def test_a_service_deployment_from_before_the_deploy_is_not_its_verdict():
    """A deploy that starts no service deployment (desired count alone): DescribeServices still names the last one as
    `currentServiceDeployment` (createdAt T0, rolled back an hour ago); the deploy's verdict is the deployments
    list's."""
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        _look(stub, "BLUE_GREEN", ROLLED_BACK_EARLIER, state="COMPLETED")
        (verdict,) = _watcher(ecs, clock, since=stubs.T0 + timedelta(hours=1)).finish()
        stub.assert_no_pending_responses()
    assert verdict.state == "COMPLETED"


@pytest.mark.parametrize(
    "since", [None, stubs.T0 - timedelta(seconds=30)]
)  # following a stack; a deploy ECS started (clock skew)
def test_a_service_deployment_of_this_deploy_still_decides(since):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        _look(stub, "BLUE_GREEN", ROLLED_BACK_EARLIER, state="COMPLETED")
        (verdict,) = _watcher(ecs, clock, since=since).finish()
    assert verdict.state == "FAILED" and "rolled back (ROLLBACK_SUCCESSFUL)" in verdict.reason


def test_blue_green_shows_each_stage_the_traffic_and_the_bake_time_once(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        _look(stub, "BLUE_GREEN", service_deployment("IN_PROGRESS", "SCALE_UP", production=0))
        _look(stub, "BLUE_GREEN", service_deployment("IN_PROGRESS", "POST_TEST_TRAFFIC_SHIFT", production=0, test=100))
        _look(stub, "BLUE_GREEN", service_deployment("IN_PROGRESS", "BAKE_TIME", production=100, test=100))
        _look(stub, "BLUE_GREEN", service_deployment("IN_PROGRESS", "BAKE_TIME", production=100, test=100))
        _look(
            stub,
            "BLUE_GREEN",
            service_deployment("SUCCESSFUL", "CLEAN_UP", production=100, test=100, finishedAt=stubs.T0),
            state="COMPLETED",
        )
        (verdict,) = _watcher(ecs, clock).finish()
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "blue/green IN_PROGRESS: starting the new revision's tasks; production traffic on the new revision 0%" in out
    assert "test traffic on the new revision; production traffic on the new revision 0%, test traffic 100%" in out
    assert (
        out.count("blue/green IN_PROGRESS: baking: the old revision stays up") == 1
    )  # an unchanged stage is printed once
    assert "blue/green SUCCESSFUL: stopping the old revision; production traffic on the new revision 100%" in out
    assert (verdict.state, verdict.reason) == ("COMPLETED", "the new revision serves all production traffic")


def test_a_canary_rolled_back_by_an_alarm_fails_the_deploy_and_names_the_alarm(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    canary = {"canaryConfiguration": {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10}}
    rolled_back = service_deployment(
        "ROLLBACK_IN_PROGRESS",
        "PRODUCTION_TRAFFIC_SHIFT",
        production=5,
        statusReason="Service deployment rolled back because alarm(s) went into ALARM state.",
        alarms={"status": "TRIGGERED", "alarmNames": [ALARM], "triggeredAlarmNames": [ALARM]},
        rollback={"reason": "Alarm(s) in ALARM state", "startedAt": stubs.T0, "serviceRevisionArn": OLD_REVISION},
    )
    with Stubber(ecs) as stub:
        _look(stub, "CANARY", service_deployment("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", production=5), **canary)
        _look(stub, "CANARY", rolled_back, **canary)
        (verdict,) = _watcher(ecs, clock).finish()
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "canary IN_PROGRESS: shifting production traffic; production traffic on the new revision 5%" in out
    assert "canary ROLLBACK_IN_PROGRESS" in out
    assert verdict.state == "FAILED"
    assert verdict.reason == (
        f"rolled back (ROLLBACK_IN_PROGRESS); alarm {ALARM} fired; "
        "Service deployment rolled back because alarm(s) went into ALARM state."
    )
    assert (
        f"the ECS rollout of WebappService ended FAILED: rolled back (ROLLBACK_IN_PROGRESS); alarm {ALARM} fired"
        in (failure_of([verdict]) or "")
    )


def test_a_circuit_breaker_trip_is_named():
    deployment = service_deployment(
        "ROLLBACK_SUCCESSFUL",
        None,
        production=0,
        deploymentCircuitBreaker={"status": "TRIGGERED", "failureCount": 3, "threshold": 3},
    )["serviceDeployments"][0]
    state, reason = strategies.verdict(deployment)
    assert state == "FAILED" and "the circuit breaker tripped (3 failed tasks, threshold 3)" in reason


def test_linear_steps_show_the_growing_share(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    linear = {"linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 2}}
    with Stubber(ecs) as stub:
        for share in (25, 50, 75):
            _look(
                stub,
                "LINEAR",
                service_deployment("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", production=share),
                **linear,
            )
        watcher = _watcher(ecs, clock)
        for _ in range(3):
            watcher.poll()
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert [f"new revision {share}%" in out for share in (25, 50, 75)] == [True] * 3
    assert watcher.services[0].bake_minutes == 5 + 2 * 4


def test_no_permission_for_service_deployments_falls_back_to_the_deployments_list(capsys):
    ecs, clock = stubs.ecs_client(), Clock()
    with Stubber(ecs) as stub:
        stub.add_response(
            "describe_services",
            service("BLUE_GREEN", [stubs.deployment(2, "COMPLETED", running=2)]),
            {"cluster": stubs.CLUSTER_ARN, "services": [stubs.SERVICE_ARN]},
        )
        stub.add_client_error(
            "describe_service_deployments",
            service_error_code="AccessDeniedException",
            http_status_code=400,
            service_message="User is not authorized to perform: ecs:DescribeServiceDeployments",
        )
        stub.add_response(
            "list_tasks",
            {"taskArns": []},
            {"cluster": stubs.CLUSTER_ARN, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
        )
        (verdict,) = _watcher(ecs, clock).finish()
        stub.assert_no_pending_responses()
    assert (
        "cannot read its blue_green deployment (DescribeServiceDeployments: AccessDeniedException)"
        in capsys.readouterr().out
    )
    assert verdict.state == "COMPLETED"  # from the deployments list, as for a rolling update


class _EcsBaking:
    """A blue/green deployment that stays in BAKE_TIME (a Stubber would need a response for each look)."""

    def __init__(self, bake_minutes: int) -> None:
        self.bake_minutes = bake_minutes

    def describe_services(self, **_: Any) -> dict[str, Any]:
        return service("BLUE_GREEN", [stubs.deployment(2, "IN_PROGRESS")], bakeTimeInMinutes=self.bake_minutes)

    def describe_service_deployments(self, **_: Any) -> dict[str, Any]:
        return service_deployment("IN_PROGRESS", "BAKE_TIME", production=100)

    def list_tasks(self, **_: Any) -> dict[str, Any]:
        return {"taskArns": []}


@pytest.mark.parametrize("bake", [0, 45])
def test_the_settle_wait_grows_by_the_bake_time(bake):
    clock = Clock()
    (verdict,) = _watcher(_EcsBaking(bake), clock).finish(timeout=60)
    assert verdict.state == "IN_PROGRESS" and verdict.reason == strategies.STAGES["BAKE_TIME"]
    assert 60 + 60 * bake <= clock.now < 60 + 60 * bake + 10


@pytest.mark.parametrize(
    ("config", "minutes"),
    [
        ({"strategy": "ROLLING"}, 0),
        ({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 15}, 15),
        (
            {
                "strategy": "CANARY",
                "bakeTimeInMinutes": 15,
                "canaryConfiguration": {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10},
            },
            25,
        ),
        (
            {
                "strategy": "LINEAR",
                "bakeTimeInMinutes": 1,
                "linearConfiguration": {"stepPercent": 10.0, "stepBakeTimeInMinutes": 6},
            },
            61,
        ),
    ],
)
def test_bake_minutes_per_strategy(config, minutes):
    assert strategies.bake_minutes({"deploymentConfiguration": config}) == minutes
