"""CloudFormation's own checks: pre-deployment validation events of a change set, drift detection of a stack.

Each call degrades gracefully: an operation or a parameter the installed botocore does not know, or an
endpoint that does not answer it, means "not available", never a failed deploy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from container_infra.errors import AwsError

UNSUPPORTED_CODES = (
    "InvalidAction",
    "UnknownOperationException",
    "UnsupportedOperation",
    "NotImplemented",
    "404",
    "InvalidParameterValue",
)
DRIFT_POLL_SECONDS = 2.0
DRIFT_TIMEOUT_SECONDS = 600.0


def supports_operation(client: Any, operation: str) -> bool:
    return operation in client.meta.service_model.operation_names


def validation_events(cloudformation: Any, change_set_id: str) -> list[dict[str, Any]] | None:
    """DescribeEvents for the change set, every page; None where the SDK or the endpoint does not support it."""
    if not supports_operation(cloudformation, "DescribeEvents"):
        return None
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
        if error.code in UNSUPPORTED_CODES or error.status in (404, 501):
            return None
        raise


def detect_drift(
    cloudformation: Any, stack_id: str, sleep: Callable[[float], None] = time.sleep
) -> list[dict[str, Any]]:
    """DetectStackDrift, wait for it, then DescribeStackResourceDrifts (every page) for the drifted resources."""
    detection = cloudformation.detect_stack_drift(StackName=stack_id)["StackDriftDetectionId"]
    waited = 0.0
    while True:
        status = cloudformation.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        if status["DetectionStatus"] != "DETECTION_IN_PROGRESS" or waited >= DRIFT_TIMEOUT_SECONDS:
            break
        sleep(DRIFT_POLL_SECONDS)
        waited += DRIFT_POLL_SECONDS
    drifts: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"StackName": stack_id, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]}
    while True:
        page = cloudformation.describe_stack_resource_drifts(**kwargs)
        drifts += page.get("StackResourceDrifts") or []
        if not page.get("NextToken"):
            return drifts
        kwargs["NextToken"] = page["NextToken"]
