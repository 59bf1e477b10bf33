"""Drift and CloudFormation's validation, where a weakening would go unnoticed: --revert-drift on a stack not yet
deployed, a SKIPPED validation in FAIL mode, a drift detection that never ends, a DELETED resource."""

from __future__ import annotations

import json

import pytest
from botocore.stub import Stubber

from container_infra.aws.checks import detect_drift
from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.diff.drift import drifted_resources
from container_infra.diff.validation import Validation, validations
from container_infra.errors import UserError
from tests.fakes import stubs
from tests.fakes.clock import Clock
from tests.fakes.stubs import stub_aws

TEMPLATE = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}}}


@pytest.mark.parametrize("stack", [None, "REVIEW_IN_PROGRESS"], ids=["no-stack", "only-under-review"])
def test_revert_drift_on_a_stack_not_yet_deployed_is_refused_before_any_change_set(tmp_path, stack):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(TEMPLATE))
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        if stack is None:
            stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        else:
            stub.add_response("describe_stacks", stubs.stack(stack), {"StackName": stubs.STACK})
        with pytest.raises(UserError) as refused:
            run(
                parse_deploy(["--template", str(path), "--revert-drift", "--yes"]),
                aws=stub_aws(stubs.REGION, cloudformation=cf),
                tty=False,
            )
        stub.assert_no_pending_responses()  # no CreateChangeSet
    assert refused.value.exit_code == 2
    assert str(refused.value) == (
        f"--revert-drift: stack {stubs.STACK} is not deployed yet, so it has no drift to revert"
    )


def _event(mode: str, status: str, name: str = "V") -> dict:
    return {
        "EventId": f"ev-{name}-{mode}-{status}",
        "EventType": "VALIDATION_ERROR",
        "ValidationFailureMode": mode,
        "ValidationName": name,
        "ValidationStatus": status,
        "ValidationStatusReason": f"{name} said {status}",
    }


@pytest.mark.parametrize(
    ("mode", "status", "shown", "fails"),
    [
        ("FAIL", "FAILED", True, True),
        ("FAIL", "SKIPPED", False, False),  # not run: nothing was found, nothing stops the deploy
        ("FAIL", "SUCCEEDED", False, False),
        ("WARN", "FAILED", True, False),
        ("WARN", "SKIPPED", True, False),
        ("WARN", "WARNING", True, False),
    ],
)
def test_only_a_failed_validation_in_fail_mode_stops(mode, status, shown, fails):
    found = validations([_event(mode, status)])
    assert [(v.mode, v.status, v.fails) for v in found] == ([(mode, status, fails)] if shown else [])
    assert Validation("V", mode, status, "").fails is fails


def test_failures_come_first():
    found = validations([_event("WARN", "FAILED", "A"), _event("FAIL", "SKIPPED", "B"), _event("FAIL", "FAILED", "C")])
    assert [(v.name, v.fails) for v in found] == [("C", True), ("A", False)]


def _in_progress() -> dict:
    return {
        "StackId": stubs.STACK_ID,
        "StackDriftDetectionId": "drift-1",
        "DetectionStatus": "DETECTION_IN_PROGRESS",
        "Timestamp": stubs.T0,
    }


def test_drift_detection_that_never_ends_is_given_up_after_600_seconds():
    cf, clock = stubs.cloudformation_client(), Clock()
    with Stubber(cf) as stub:
        stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "drift-1"}, {"StackName": stubs.STACK_ID})
        for _ in range(301):  # at 0, 2, ..., 600 s: still running; the 301st look is the last
            stub.add_response(
                "describe_stack_drift_detection_status", _in_progress(), {"StackDriftDetectionId": "drift-1"}
            )
        stub.add_response(
            "describe_stack_resource_drifts",
            {"StackResourceDrifts": []},
            {"StackName": stubs.STACK_ID, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]},
        )
        found = detect_drift(cf, stubs.STACK_ID, sleep=clock.sleep)
        stub.assert_no_pending_responses()
    assert clock.sleeps == [2.0] * 300
    assert found.incomplete == "still running after 600 s"


def test_a_deleted_resource_is_drift():
    drifts = [
        {"LogicalResourceId": "Zeta", "ResourceType": "AWS::S3::Bucket", "StackResourceDriftStatus": "DELETED"},
        {"LogicalResourceId": "Alpha", "ResourceType": "AWS::ECS::Service", "StackResourceDriftStatus": "MODIFIED"},
        {"LogicalResourceId": "Same", "ResourceType": "AWS::IAM::Role", "StackResourceDriftStatus": "IN_SYNC"},
        {"LogicalResourceId": "Unknown", "ResourceType": "AWS::IAM::Role", "StackResourceDriftStatus": "NOT_CHECKED"},
    ]
    found = drifted_resources(drifts, changing={"Zeta"}, reverting=False)
    assert [(d.logical_id, d.status, d.in_diff) for d in found] == [
        ("Alpha", "MODIFIED", False),
        ("Zeta", "DELETED", True),
    ]
