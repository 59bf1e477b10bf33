"""ECS services: a DesiredCount that fights the scaler (W9003), and ECS Exec without the task-role actions it needs
(W9004)."""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

SERVICE = "AWS::ECS::Service"
SUB_NAME = re.compile(r"\$\{([^!}][^}]*)\}")


def referenced_ids(value: Any) -> set[str]:
    """Logical IDs a value refers to through Ref, Fn::GetAtt or Fn::Sub, at any depth."""
    if isinstance(value, list):
        return set().union(*(referenced_ids(item) for item in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for key, argument in value.items():
        if key == "Ref" and isinstance(argument, str):
            found.add(argument)
        elif key == "Fn::GetAtt":
            target = (
                argument.split(".", 1)[0]
                if isinstance(argument, str)
                else argument[0]
                if isinstance(argument, list) and argument
                else None
            )
            found |= {target} if isinstance(target, str) else set()
        elif key == "Fn::Sub":
            text, variables = (
                (argument, {})
                if isinstance(argument, str)
                else (argument[0], argument[1])
                if isinstance(argument, list) and len(argument) == 2
                else ("", {})
            )
            found |= {name.split(".", 1)[0] for name in SUB_NAME.findall(text if isinstance(text, str) else "")} - set(
                variables if isinstance(variables, dict) else {}
            )
            found |= referenced_ids(variables)
        else:
            found |= referenced_ids(argument)
    return found


def _properties(resource: Any) -> dict[str, Any]:
    properties = resource.get("Properties") if isinstance(resource, dict) else None
    return properties if isinstance(properties, dict) else {}


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


class DesiredCountWithAutoscaling(CloudFormationLintRule):
    id = "W9003"
    shortdesc = "DesiredCount on an autoscaled ECS service"
    description = (
        "An AWS::ECS::Service that an Application Auto Scaling target (ecs:service:DesiredCount) scales should "
        "not set DesiredCount: every stack update sets the count back to it and undoes the scaler "
        "(aws/containers-roadmap#493). Without it a new service starts at 1 and an update keeps the count."
    )
    source_url = "https://github.com/aws/containers-roadmap/issues/493"
    tags = ["resources", "ecs", "applicationautoscaling"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        services = cfn.get_resources(SERVICE)
        scaled: set[str] = set()
        for target in cfn.get_resources("AWS::ApplicationAutoScaling::ScalableTarget").values():
            properties = _properties(target)
            if properties.get("ScalableDimension") == "ecs:service:DesiredCount":
                scaled |= _scaled_services(properties.get("ResourceId"), services)
        matches = []
        for name in sorted(scaled):
            count = _properties(services[name]).get("DesiredCount")
            if count is not None and count != {"Ref": "AWS::NoValue"}:
                matches.append(
                    RuleMatch(
                        ["Resources", name, "Properties", "DesiredCount"],
                        f"{name} is scaled by an Application Auto Scaling target but sets DesiredCount: each "
                        "stack update resets the task count the scaler chose; leave DesiredCount out",
                    )
                )
        return matches


def _scaled_services(resource_id: Any, services: dict[str, Any]) -> set[str]:
    """Services a ScalableTarget's ResourceId names: by reference, or literally as service/<cluster>/<ServiceName>."""
    found = referenced_ids(resource_id) & set(services)
    if isinstance(resource_id, str) and resource_id.count("/") == 2:
        service_name = resource_id.rsplit("/", 1)[1]
        found |= {name for name, service in services.items() if _properties(service).get("ServiceName") == service_name}
    return found


# ECS developer guide, "Using Amazon ECS Exec": the task role's actions for the SSM agent's channels, and for
# logging sessions to CloudWatch Logs.
CHANNEL_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
LOG_ACTIONS = ("logs:DescribeLogGroups", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents")


class ExecuteCommandPermissions(CloudFormationLintRule):
    id = "W9004"
    shortdesc = "ECS Exec needs the task role's SSM channel (and session log) actions"
    description = (
        "EnableExecuteCommand: true on a service whose task role lacks the ssmmessages channel actions, or, when "
        "the cluster's ExecuteCommandConfiguration logs to CloudWatch Logs (OVERRIDE with a log group, or "
        "DEFAULT with an awslogs container), the logs actions: the SSM agent runs as the task role, so "
        "sessions fail or go unlogged. Roles whose policies are not all in the template are not judged."
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"
    tags = ["resources", "ecs", "iam"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        resources = cfn.get_resources()
        matches = []
        for name, service in cfn.get_resources(SERVICE).items():
            properties = _properties(service)
            if not _is_true(properties.get("EnableExecuteCommand")):
                continue
            missing = _missing_actions(resources, properties)
            if missing:
                matches.append(
                    RuleMatch(
                        ["Resources", name, "Properties", "EnableExecuteCommand"],
                        f"{name} enables ECS Exec but its task role is not allowed {', '.join(missing)}",
                    )
                )
        return matches


def _missing_actions(resources: dict[str, Any], service: dict[str, Any]) -> list[str]:
    tasks = [
        i
        for i in referenced_ids(service.get("TaskDefinition"))
        if resources.get(i, {}).get("Type") == "AWS::ECS::TaskDefinition"
    ]
    if len(tasks) != 1:
        return []  # a task definition from outside the template: not judged
    task = _properties(resources[tasks[0]])
    if "TaskRoleArn" not in task:
        return list(CHANNEL_ACTIONS)
    roles = [i for i in referenced_ids(task["TaskRoleArn"]) if resources.get(i, {}).get("Type") == "AWS::IAM::Role"]
    allowed = _allowed_actions(resources, roles[0]) if len(roles) == 1 else None
    if allowed is None:
        return []
    needed = CHANNEL_ACTIONS + (LOG_ACTIONS if _logs_sessions_to_cloudwatch(resources, service, task) else ())
    return [
        action
        for action in needed
        if not any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in allowed)
    ]


def _logs_sessions_to_cloudwatch(resources: dict[str, Any], service: dict[str, Any], task: dict[str, Any]) -> bool:
    clusters = [
        i for i in referenced_ids(service.get("Cluster")) if resources.get(i, {}).get("Type") == "AWS::ECS::Cluster"
    ]
    configuration = _properties(resources[clusters[0]]).get("Configuration", {}) if len(clusters) == 1 else {}
    exec_configuration = configuration.get("ExecuteCommandConfiguration", {}) if isinstance(configuration, dict) else {}
    logging = exec_configuration.get("Logging", "DEFAULT") if isinstance(exec_configuration, dict) else "DEFAULT"
    if logging == "OVERRIDE":
        log_configuration = exec_configuration.get("LogConfiguration") or {}
        return isinstance(log_configuration, dict) and "CloudWatchLogGroupName" in log_configuration
    if logging == "DEFAULT":  # the task definition's awslogs configuration, where a container has one
        containers = task.get("ContainerDefinitions")
        return any(
            isinstance(c, dict) and (c.get("LogConfiguration") or {}).get("LogDriver") == "awslogs"
            for c in containers
            if isinstance(containers, list)
        )
    return False


def _allowed_actions(resources: dict[str, Any], role: str) -> list[str] | None:
    """Action patterns the role's Allow statements grant, from every policy in the template; None when not all are
    there."""
    documents = [
        p.get("PolicyDocument") for p in _properties(resources[role]).get("Policies") or [] if isinstance(p, dict)
    ]
    for arn in _properties(resources[role]).get("ManagedPolicyArns") or []:
        managed = [i for i in referenced_ids(arn) if resources.get(i, {}).get("Type") == "AWS::IAM::ManagedPolicy"]
        if len(managed) != 1:
            return None  # an AWS-managed or outside policy: its actions are unknown here
        documents.append(_properties(resources[managed[0]]).get("PolicyDocument"))
    for resource in resources.values():
        if isinstance(resource, dict) and resource.get("Type") in (
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::RolePolicy",
        ):
            properties = _properties(resource)
            if role in referenced_ids(properties.get("Roles")) | referenced_ids(properties.get("RoleName")):
                documents.append(properties.get("PolicyDocument"))
    patterns: list[str] = []
    for document in documents:
        actions = _document_actions(document)
        if actions is None:
            return None
        patterns += actions
    return patterns


def _document_actions(document: Any) -> list[str] | None:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    statements = document.get("Statement") if isinstance(document, dict) else None
    actions: list[str] = []
    for statement in _branches(statements if isinstance(statements, list) else [statements]):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            return None
        action = statement.get("Action")
        actions += [a for a in (action if isinstance(action, list) else [action]) if isinstance(a, str)]
    return actions


def _branches(items: list[Any]) -> list[Any]:
    """Statements, with both branches of an Fn::If (either may be the one deployed)."""
    flat = []
    for item in items:
        if (
            isinstance(item, dict)
            and list(item) == ["Fn::If"]
            and isinstance(item["Fn::If"], list)
            and len(item["Fn::If"]) == 3
        ):
            flat += _branches(item["Fn::If"][1:])
        else:
            flat.append(item)
    return flat
