"""Responses shaped like the CloudFormation API's, for botocore's Stubber (what moto cannot show)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from container_infra.aws.errors import translate_errors
from container_infra.aws.session import Aws

REGION = "eu-west-1"
ACCOUNT = "123456789012"
STACK = "my-container-infra"
STACK_ID = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/4f1c2a50-8b7e-11ef-9a3b-0a1b2c3d4e5f"
CHANGE_SET_ID = (
    f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:changeSet/container-infra-20261126-120000/"
    "0d3e7c1a-2b4f-4c8e-9f6a-1b2c3d4e5f60"
)
T0 = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


class _ClientToken:
    """Equal to a client token as CloudFormation takes one: 1-128 characters of `[a-zA-Z0-9][-a-zA-Z0-9]*`."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch(r"[a-zA-Z0-9][-a-zA-Z0-9]{0,127}", other) is not None

    def __repr__(self) -> str:
        return "<a client token>"


A_TOKEN = _ClientToken()  # in a Stubber's expected parameters


class StubbedAws(Aws):
    """Only the clients a test gives: any other service is a test error, never a call to real AWS."""

    def client(self, service: str) -> Any:
        if service not in self._clients:
            raise AssertionError(f"the code under test asked for a {service} client the test did not stub")
        return self._clients[service]


def stub_aws(region: str = REGION, **clients: Any) -> Aws:
    """An Aws holding given (botocore-Stubber) clients, for tests of what moto cannot show (made by `client`)."""
    return StubbedAws(boto3.Session(region_name=region), region, dict(clients))


def client(service: str) -> Any:
    """A client that raises the project's errors, as the tools' own clients do; put a Stubber on it."""
    made = boto3.client(service, region_name=REGION, aws_access_key_id="stub", aws_secret_access_key="stub")
    return translate_errors(made)


def cloudformation_client() -> Any:
    return client("cloudformation")


def stack(
    status: str, *, parameters: dict[str, str] | None = None, outputs: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "Stacks": [
            {
                "StackId": STACK_ID,
                "StackName": STACK,
                "CreationTime": T0,
                "StackStatus": status,
                "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
                "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in (outputs or {}).items()],
            }
        ]
    }


def stack_resources(template: dict[str, Any]) -> dict[str, Any]:
    """ListStackResources of a stack holding every resource of `template` (what the forecast asks before an update)."""
    return {
        "StackResourceSummaries": [
            {
                "LogicalResourceId": lid,
                "PhysicalResourceId": f"{lid}-physical",
                "ResourceType": resource["Type"],
                "LastUpdatedTimestamp": T0,
                "ResourceStatus": "UPDATE_COMPLETE",
            }
            for lid, resource in template["Resources"].items()
        ]
    }


def no_stack_error() -> dict[str, Any]:
    return {
        "service_error_code": "ValidationError",
        "service_message": f"Stack with id {STACK} does not exist",
        "http_status_code": 400,
    }


def change_set(
    changes: list[dict[str, Any]],
    *,
    status: str = "CREATE_COMPLETE",
    reason: str | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    description: dict[str, Any] = {
        "ChangeSetName": "container-infra-20261126-120000",
        "ChangeSetId": CHANGE_SET_ID,
        "StackId": STACK_ID,
        "StackName": STACK,
        "CreationTime": T0,
        "ExecutionStatus": "AVAILABLE" if status == "CREATE_COMPLETE" else "UNAVAILABLE",
        "Status": status,
        "Changes": changes,
    }
    if reason:
        description["StatusReason"] = reason
    if next_token:
        description["NextToken"] = next_token
    return description


def resource_change(
    action: str,
    logical_id: str,
    resource_type: str,
    *,
    replacement: str | None = None,
    details: list[dict] | None = None,
) -> dict[str, Any]:
    change: dict[str, Any] = {
        "Action": action,
        "LogicalResourceId": logical_id,
        "ResourceType": resource_type,
        "Scope": [],
    }
    if action == "Modify":
        change["Replacement"] = replacement or "False"
        change["Scope"] = ["Properties"]
        change["Details"] = details or []
        change["PhysicalResourceId"] = f"{logical_id}-physical"
    return {"Type": "Resource", "ResourceChange": change}


def property_detail(name: str, recreation: str, evaluation: str = "Static", cause: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "Target": {"Attribute": "Properties", "Name": name, "RequiresRecreation": recreation},
        "Evaluation": evaluation,
        "ChangeSource": "DirectModification" if cause is None else "ResourceAttribute",
    }
    if cause:
        detail["CausingEntity"] = cause
    return detail


def event(number: int, logical_id: str, resource_type: str, status: str, reason: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "StackId": STACK_ID,
        "EventId": f"event-{number:03d}",
        "StackName": STACK,
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": STACK_ID if resource_type == "AWS::CloudFormation::Stack" else f"{logical_id}-physical",
        "ResourceType": resource_type,
        "Timestamp": T0 + timedelta(seconds=number),
        "ResourceStatus": status,
    }
    if reason:
        item["ResourceStatusReason"] = reason
    return item


def stack_event(number: int, status: str, reason: str | None = None) -> dict[str, Any]:
    return event(number, STACK, "AWS::CloudFormation::Stack", status, reason)


def events_page(events_oldest_first: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {"StackEvents": list(reversed(events_oldest_first))}
    if next_token:
        page["NextToken"] = next_token
    return page


CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/my-container-infra-MyTestCluster-ABC"
SERVICE_ARN = (
    f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/my-container-infra-MyTestCluster-ABC/my-container-infra-WebappService-XYZ"
)


def ecs_client() -> Any:
    return client("ecs")


def deployment(
    number: int,
    state: str,
    *,
    status: str = "PRIMARY",
    running: int = 0,
    desired: int = 2,
    failed: int = 0,
    reason: str | None = None,
    revision: int = 2,
) -> dict[str, Any]:
    return {
        "id": f"ecs-svc/{number:019d}",
        "status": status,
        "taskDefinition": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/webapp:{revision}",
        "desiredCount": desired,
        "pendingCount": max(desired - running, 0),
        "runningCount": running,
        "failedTasks": failed,
        "createdAt": T0,
        "updatedAt": T0,
        "launchType": "FARGATE",
        "rolloutState": state,
        "rolloutStateReason": reason or f"ECS deployment ecs-svc/{number:019d} {state.lower().replace('_', ' ')}.",
    }


def service(deployments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "services": [
            {
                "serviceArn": SERVICE_ARN,
                "serviceName": "my-container-infra-WebappService-XYZ",
                "clusterArn": CLUSTER_ARN,
                "status": "ACTIVE",
                "desiredCount": 2,
                "runningCount": 0,
                "pendingCount": 2,
                "launchType": "FARGATE",
                "deployments": deployments,
            }
        ],
        "failures": [],
    }


def stopped_task(
    task_id: str, reason: str, *, exit_code: int | None, container_reason: str | None = None, revision: int = 2
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "containerArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:container/{task_id}/web",
        "name": "web",
        "lastStatus": "STOPPED",
        "taskArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/my-container-infra-MyTestCluster-ABC/{task_id}",
    }
    if exit_code is not None:
        container["exitCode"] = exit_code
    if container_reason:
        container["reason"] = container_reason
    return {
        "taskArn": container["taskArn"],
        "clusterArn": CLUSTER_ARN,
        "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED",
        "taskDefinitionArn": task_definition_arn(revision),
        "stoppedReason": reason,
        "stopCode": "EssentialContainerExited",
        "stoppedAt": T0,
        "containers": [container],
    }


LOG_GROUP = "my-container-infra-WebappLogGroup-ABC"


DEFAULT_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"  # generate.py's image without a config


def task_definition_arn(revision: int) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/webapp:{revision}"


def task_definition(
    revision: int,
    *,
    image: str = DEFAULT_IMAGE,
    logs: bool = True,
    cpu: str = "512",
    memory: str = "1024",
) -> dict[str, Any]:
    """DescribeTaskDefinition's answer: the family webapp, one container `web` logging with the prefix `webapp`."""
    container: dict[str, Any] = {"name": "web", "image": image, "essential": True}
    if logs:
        container["logConfiguration"] = {
            "logDriver": "awslogs",
            "options": {"awslogs-group": LOG_GROUP, "awslogs-region": REGION, "awslogs-stream-prefix": "webapp"},
        }
    return {
        "taskDefinition": {
            "taskDefinitionArn": task_definition_arn(revision),
            "family": "webapp",
            "revision": revision,
            "status": "ACTIVE",
            "cpu": cpu,
            "memory": memory,
            "containerDefinitions": [container],
        }
    }


def logs_client() -> Any:
    return client("logs")


def log_events(messages: list[str]) -> dict[str, Any]:
    """GetLogEvents' answer, one event a second from T0."""
    start = int(T0.timestamp() * 1000)
    return {
        "events": [
            {"timestamp": start + 1000 * i, "message": m, "ingestionTime": start + 1000 * i}
            for i, m in enumerate(messages)
        ],
        "nextForwardToken": "f/1",
        "nextBackwardToken": "b/1",
    }


def resources_of(template: dict[str, Any]) -> dict[str, Any]:
    """ListStackResources for a stack that has every resource of `template` (the forecast looks before a deploy)."""
    return {
        "StackResourceSummaries": [
            {
                "LogicalResourceId": lid,
                "PhysicalResourceId": f"{lid}-physical",
                "ResourceType": r["Type"],
                "ResourceStatus": "UPDATE_COMPLETE",
                "LastUpdatedTimestamp": T0,
            }
            for lid, r in (template.get("Resources") or {}).items()
        ]
    }


def no_validation_events(stub: Any) -> None:
    """CloudFormation's pre-deployment validation of the change set (DescribeEvents) found nothing."""
    stub.add_response("describe_events", {"OperationEvents": []}, {"ChangeSetName": CHANGE_SET_ID})


def reviewed_create(stub: Any, changes: list[dict[str, Any]]) -> None:
    """A new stack up to a reviewed CREATE change set: no stack yet, the change set made, read and validated."""
    stub.add_client_error("describe_stacks", **no_stack_error())
    stub.add_response("create_change_set", {"Id": CHANGE_SET_ID, "StackId": STACK_ID})
    stub.add_response("describe_change_set", change_set(changes))  # the one read: the look that sees it complete
    no_validation_events(stub)


def executed_update(stub: Any) -> None:
    """ExecuteChangeSet of an update (with its client token), followed to UPDATE_COMPLETE."""
    stub.add_response("describe_stack_events", events_page([stack_event(1, "UPDATE_COMPLETE")]))
    stub.add_response("execute_change_set", {}, {"ChangeSetName": CHANGE_SET_ID, "ClientRequestToken": A_TOKEN})
    stub.add_response(
        "describe_stack_events",
        events_page(
            [stack_event(1, "UPDATE_COMPLETE"), stack_event(2, "UPDATE_IN_PROGRESS"), stack_event(3, "UPDATE_COMPLETE")]
        ),
    )
    stub.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": STACK_ID})
