"""The --json document, key by key, as the README documents it: CI parses it, so every key and value is the contract."""

from __future__ import annotations

import json

from container_infra.diff.model import Diff, ResourceChange, ValueChange
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.render.json import diff_json


def _diff() -> Diff:
    return Diff(
        parameters=[ValueChange("TaskMemory", "1024", "2048"), ValueChange("Gone", "x", None)],
        iam_added=[IamStatement("*", "Allow", "s3:GetObject", "AWS:${Role}", "")],
        iam_removed=[IamStatement("*", "Deny", "s3:*", "AWS:${Role}", "if Prod")],
        rules_added=[SecurityGroupRule("${Sg.GroupId}", "ingress", "tcp/80", "0.0.0.0/0", "web")],
        rules_removed=[SecurityGroupRule("${Sg.GroupId}", "egress", "all traffic", "0.0.0.0/0", "")],
        resources=[
            ResourceChange(
                "Modify",
                "Logs",
                "AWS::Logs::LogGroup",
                "replace",
                [ValueChange("LogGroupName", "a", {"Ref": "Name"}, "replace"), ValueChange("Tags", None, [1])],
                "Logs will be REPLACED",
            )
        ],
        outputs=[ValueChange("Url", None, {"Fn::GetAtt": ["Lb", "DNSName"]})],
    )


def test_the_json_document_is_the_documented_one():
    document = json.loads(
        diff_json(_diff(), stack_name="s", region="eu-west-1", new_stack=False, change_set_id="arn:cs")
    )
    assert document == {
        "stack": "s",
        "region": "eu-west-1",
        "newStack": False,
        "changeSet": "arn:cs",
        "hasChanges": True,
        "broadensAccess": True,
        "guardedResources": [],
        "drift": [],
        "revertsDrift": False,
        "validations": [],
        "parameters": [
            {"name": "TaskMemory", "old": "1024", "new": "2048", "replacement": None},
            {"name": "Gone", "old": "x", "new": None, "replacement": None},
        ],
        "iamStatements": [
            {
                "change": "+",
                "resource": "*",
                "effect": "Allow",
                "action": "s3:GetObject",
                "principal": "AWS:${Role}",
                "condition": "",
            },
            {
                "change": "-",
                "resource": "*",
                "effect": "Deny",
                "action": "s3:*",
                "principal": "AWS:${Role}",
                "condition": "if Prod",
            },
        ],
        "securityGroupRules": [
            {
                "change": "+",
                "group": "${Sg.GroupId}",
                "direction": "ingress",
                "protocol_port": "tcp/80",
                "peer": "0.0.0.0/0",
                "description": "web",
            },
            {
                "change": "-",
                "group": "${Sg.GroupId}",
                "direction": "egress",
                "protocol_port": "all traffic",
                "peer": "0.0.0.0/0",
                "description": "",
            },
        ],
        "resources": [
            {
                "action": "Modify",
                "logicalId": "Logs",
                "type": "AWS::Logs::LogGroup",
                "replacement": "replace",
                "properties": [
                    {"name": "LogGroupName", "old": "a", "new": "${Name}", "replacement": "replace"},
                    {"name": "Tags", "old": None, "new": "[1]", "replacement": None},
                ],
                "warning": "Logs will be REPLACED",
            }
        ],
        "outputs": [{"name": "Url", "old": None, "new": "${Lb.DNSName}", "replacement": None}],
        "stackTags": [],
        "warnings": ["Logs will be REPLACED"],
    }


def test_has_changes_and_broadens_access_follow_every_section():
    assert Diff().has_changes is False and Diff().broadens_access is False
    rule = SecurityGroupRule("g", "ingress", "tcp/80", "0.0.0.0/0", "")
    for section in ("parameters", "iam_added", "iam_removed", "rules_added", "rules_removed", "resources", "outputs"):
        assert Diff(**{section: [object()]}).has_changes, section  # type: ignore[arg-type]
    assert Diff(rules_added=[rule]).broadens_access
    assert not Diff(rules_added=[SecurityGroupRule("g", "egress", "tcp/80", "0.0.0.0/0", "")]).broadens_access
    assert not Diff(rules_removed=[rule], iam_removed=[IamStatement("*", "Allow", "a", "p", "")]).broadens_access
    assert not Diff(iam_added=[IamStatement("*", "Deny", "a", "p", "")]).broadens_access
    assert ResourceChange("Import", "R", "T").mark == "←" and ResourceChange("Weird", "R", "T").mark == "~"
