"""ECS Exec: the cluster says where sessions are logged, and the task role may do exactly what that needs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.render import one, template_for, web_config

# ECS developer guide, "IAM permissions required for ECS Exec" and "IAM permissions required for Amazon CloudWatch
# Logs or Amazon S3 Logging" (CloudWatch Logs tab).
CHANNELS = {
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
}
SESSION_LOGS = {"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}
GROUP_ARN = {
    "Fn::GetAtt": ["WebappLogGroup", "Arn"]
}  # arn:...:log-group:NAME:* (the ARN form the guide's example uses)


def exec_template(kms_key: bool = True) -> dict[str, Any]:
    return template_for(web_config(service={"enable_execute_command": True}, logging={"kms_key": kms_key}))


def grants(template: dict[str, Any]) -> dict[str, set]:
    """action -> the resources it is allowed on, over the task role's policies."""
    role = template["Resources"]["TaskdefWebappTaskRole"]["Properties"]
    found: dict[str, set] = {}
    for policy in role.get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow" and "Condition" not in statement
            for action in statement["Action"]:
                found.setdefault(action, set()).update(str(resource) for resource in statement["Resource"])
    return found


@pytest.mark.parametrize("kms_key", [True, False])
def test_the_cluster_logs_sessions_to_the_stacks_group(kms_key):
    _, cluster = one(exec_template(kms_key), "AWS::ECS::Cluster")
    configuration = cluster["Configuration"]["ExecuteCommandConfiguration"]
    assert configuration["Logging"] == "OVERRIDE"
    assert configuration["LogConfiguration"] == {
        "CloudWatchLogGroupName": {"Ref": "WebappLogGroup"},
        "CloudWatchEncryptionEnabled": kms_key,
    }


def test_the_task_role_may_open_channels_and_write_session_logs_only():
    assert grants(exec_template()) == {
        **{action: {"*"} for action in CHANNELS},  # ssmmessages has no resource-level permissions
        "logs:DescribeLogGroups": {"*"},
        **{action: {str(GROUP_ARN)} for action in SESSION_LOGS},
    }


def test_without_exec_neither_cluster_configuration_nor_permissions():
    template = template_for(web_config(service={"enable_execute_command": False}))
    _, cluster = one(template, "AWS::ECS::Cluster")
    assert "Configuration" not in cluster
    assert grants(template) == {}
