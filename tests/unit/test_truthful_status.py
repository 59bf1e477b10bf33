"""--status and the last line say what is true: a blue/green pair's idle target group is empty by design, a task
definition without an image says so, and one resource is one resource."""

from __future__ import annotations

import io
from typing import Any

from container_infra.render.status import render_status
from container_infra.steps.outcome import Result, succeeded
from container_infra.ui.output import Output
from container_infra.watch import health

BLUE = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/1"
GREEN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/2"


def _status(blue: list[str], green: list[str], *, paired: bool = True) -> dict[str, Any]:
    def group(logical_id: str, arn: str, states: list[str]) -> dict[str, Any]:
        targets = [
            {"id": f"10.0.0.{i}", "port": 80, "state": s, "reason": "", "description": ""} for i, s in enumerate(states)
        ]
        return {"logicalId": logical_id, "arn": arn, "targets": targets}

    service = {
        "logicalId": "Service",
        "name": "web",
        "status": "ACTIVE",
        "desired": 2,
        "running": 2,
        "pending": 0,
        "deployments": [
            {
                "status": "PRIMARY",
                "rolloutState": "COMPLETED",
                "rolloutStateReason": "",
                "revision": 3,
                "running": 2,
                "desired": 2,
                "pending": 0,
                "failed": 0,
            }
        ],
        "targetGroupPairs": [[BLUE, GREEN]] if paired else [],
        "events": [],
    }
    return {
        "stack": {
            "name": "s",
            "region": "eu-west-1",
            "status": "UPDATE_COMPLETE",
            "reason": "",
            "lastOperationAt": None,
        },
        "url": None,
        "taskDefinitions": [],
        "services": [service],
        "tasks": {"running": [], "stopped": []},
        "targetGroups": [group("Blue", BLUE, blue), group("Green", GREEN, green)],
    }


def test_blue_green_is_healthy_with_its_idle_group_empty():
    assert health.problems(_status(["healthy", "healthy"], [])) == []
    assert health.problems(_status([], ["healthy", "healthy"])) == []  # after an odd number of deploys


def test_blue_green_with_no_healthy_target_in_either_group_is_not_healthy():
    assert health.problems(_status(["unhealthy"], [])) == [
        "target 10.0.0.0:80 in Blue is unhealthy",
        "no healthy targets in Blue: the load balancer has nowhere to send requests",
    ]
    assert health.problems(_status([], [])) == [
        "no healthy targets in Blue: the load balancer has nowhere to send requests"
    ]


def test_an_unpaired_empty_group_is_still_a_problem():
    assert "no healthy targets in Green: the load balancer has nowhere to send requests" in health.problems(
        _status(["healthy"], [], paired=False)
    )


def test_the_idle_group_is_said_to_be_idle_by_design():
    stream = io.StringIO()
    data = _status(["healthy"], [])
    data["problems"], data["notes"], data["healthy"] = [], [], True
    render_status(Output(stream), data)
    assert "No targets registered: idle by design" in stream.getvalue()


def test_a_container_without_an_image_is_not_none_none():
    stream = io.StringIO()
    data = _status(["healthy"], [], paired=False)
    data["taskDefinitions"] = [{"arn": "arn:aws:ecs:eu-west-1:1:task-definition/web:3", "cpu": None, "memory": None,
                                "containers": [{"name": None, "image": None}]}]  # fmt: skip
    data["problems"], data["notes"], data["healthy"] = [], [], True
    render_status(Output(stream), data)
    assert "None" not in stream.getvalue()
    assert "(unnamed container): (no image)" in stream.getvalue()


def test_one_resource_changed_is_singular():
    stream = io.StringIO()
    succeeded(Result("s", "UPDATE_COMPLETE", 1.0, 1), Output(stream))
    assert "(1 resource changed)" in stream.getvalue()
    stream = io.StringIO()
    succeeded(Result("s", "UPDATE_COMPLETE", 1.0, 3), Output(stream))
    assert "(3 resources changed)" in stream.getvalue()


def test_without_a_load_balancer_an_unhealthy_task_is_a_problem():
    data = _status([], [])
    data["targetGroups"], data["services"][0]["targetGroupPairs"] = [], []
    data["tasks"]["running"] = [{"id": "a1", "health": "HEALTHY"}, {"id": "b2", "health": "UNKNOWN"}]
    assert health.problems(data) == []  # no health check defined: UNKNOWN, which ECS does not act on
    data["tasks"]["running"].append({"id": "c3", "health": "UNHEALTHY"})
    assert health.problems(data) == ["task c3 is UNHEALTHY (its containers' health check)"]


def _rendered(data: dict[str, Any]) -> str:
    data = {**data, "problems": health.problems(data), "notes": health.notes(data)}
    data["healthy"] = not data["problems"]
    text = io.StringIO()
    render_status(Output(text), data)
    return text.getvalue()


def test_a_stack_without_an_ecs_service_has_nothing_to_check_not_healthy():
    """No service means no tasks and no targets were looked at: the verdict says so instead of '✓ healthy'."""
    data = {**_status([], []), "services": [], "targetGroups": []}
    said = _rendered(data)
    assert "nothing to check: no ECS service in the stack (it is UPDATE_COMPLETE)" in said
    assert "healthy" not in said


def test_a_stack_with_a_healthy_service_is_still_healthy():
    assert "✓ healthy" in _rendered(_status(["healthy", "healthy"], []))


def _stack_event(status: str) -> dict[str, Any]:
    return {"ResourceType": "AWS::CloudFormation::Stack", "LogicalResourceId": "s", "ResourceStatus": status}


def test_the_final_line_shows_no_counter_that_never_moved():
    """An endpoint that sends only the stack's own events: the last line is not `[0/3] UPDATE_COMPLETE`."""
    from container_infra.cfn.events import Progress

    progress = Progress({"A", "B", "C"})
    first, _ = progress.line(_stack_event("UPDATE_IN_PROGRESS"))
    last, _ = progress.line(_stack_event("UPDATE_COMPLETE"))
    assert "[0/3] UPDATE_IN_PROGRESS" in first  # at the start, nothing done yet is true
    assert "[0/3]" not in last and "UPDATE_COMPLETE" in last and "[" not in last


def test_the_final_line_keeps_a_counter_that_moved():
    from container_infra.cfn.events import Progress

    progress = Progress({"A", "B", "C"})
    for name in ("A", "B", "C"):
        progress.line(
            {"ResourceType": "AWS::SNS::Topic", "LogicalResourceId": name, "ResourceStatus": "UPDATE_COMPLETE"}
        )
    last, _ = progress.line(_stack_event("UPDATE_COMPLETE"))
    assert "[3/3] UPDATE_COMPLETE" in last
