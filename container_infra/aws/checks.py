"""CloudFormation's own checks: pre-deployment validation events of a change set, drift detection of a stack.

Each call is optional (see optional.py): an operation the installed botocore does not know, or an endpoint that
does not offer it, raises NotOffered, which says what could not be checked; never an internal error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from container_infra.aws.optional import NotOffered, not_offered, what_failed
from container_infra.errors import AwsError

DRIFT_POLL_SECONDS = 2.0
DRIFT_TIMEOUT_SECONDS = 600.0


def supports_operation(client: Any, operation: str) -> bool:
    return operation in client.meta.service_model.operation_names


VALIDATION = "CloudFormation's pre-deployment validation of the change set"
DRIFT = "drift detection"


def validation_events(cloudformation: Any, change_set_id: str) -> list[dict[str, Any]]:
    """DescribeEvents for the change set, every page; NotOffered where the SDK or the endpoint does not offer it."""
    if not supports_operation(cloudformation, "DescribeEvents"):
        raise NotOffered(f"{VALIDATION}: the installed botocore does not know DescribeEvents")
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ChangeSetName": change_set_id}
    try:
        while True:
            page = cloudformation.describe_events(**kwargs)
            events += page.get("OperationEvents") or []
            if not page.get("NextToken"):
                return events
            kwargs["NextToken"] = page["NextToken"]
    except AwsError as error:
        if not_offered(error):
            raise NotOffered(f"{VALIDATION}: {what_failed(error)}") from None
        raise


@dataclass(frozen=True)
class DriftFound:
    drifts: list[dict[str, Any]]  # the resources found MODIFIED or DELETED
    incomplete: str = ""  # why some resources were not checked (DETECTION_FAILED, or still running): "" when all were


def detect_drift(cloudformation: Any, stack_id: str, sleep: Callable[[float], None] = time.sleep) -> DriftFound:
    """DetectStackDrift, wait for it, then DescribeStackResourceDrifts (every page) for the drifted resources;
    NotOffered where the endpoint does not offer drift detection."""
    try:
        return _detect_drift(cloudformation, stack_id, sleep)
    except AwsError as error:
        if not_offered(error):
            raise NotOffered(f"{DRIFT}: {what_failed(error)}") from None
        raise


def _detect_drift(cloudformation: Any, stack_id: str, sleep: Callable[[float], None]) -> DriftFound:
    detection = cloudformation.detect_stack_drift(StackName=stack_id)["StackDriftDetectionId"]
    waited = 0.0
    while True:
        status = cloudformation.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        if status["DetectionStatus"] != "DETECTION_IN_PROGRESS" or waited >= DRIFT_TIMEOUT_SECONDS:
            break
        sleep(DRIFT_POLL_SECONDS)
        waited += DRIFT_POLL_SECONDS
    return DriftFound(_resource_drifts(cloudformation, stack_id), _incomplete(status))


def _incomplete(status: dict[str, Any]) -> str:
    """DETECTION_FAILED: at least one resource could not be checked (the others' results stand); still running: the
    wait ran out."""
    state = status.get("DetectionStatus")
    if state == "DETECTION_FAILED":
        return f"DETECTION_FAILED: {status.get('DetectionStatusReason') or 'no reason given'}"
    if state == "DETECTION_IN_PROGRESS":
        return f"still running after {DRIFT_TIMEOUT_SECONDS:.0f} s"
    return ""


def _resource_drifts(cloudformation: Any, stack_id: str) -> list[dict[str, Any]]:
    drifts: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"StackName": stack_id, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]}
    while True:
        page = cloudformation.describe_stack_resource_drifts(**kwargs)
        drifts += page.get("StackResourceDrifts") or []
        if not page.get("NextToken"):
            return drifts
        kwargs["NextToken"] = page["NextToken"]
