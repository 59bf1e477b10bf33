"""generate.py --deploy-role: the role an environment's role_arn names, and CloudFormation's service role."""

from __future__ import annotations

import importlib
import json

import pytest

from tests.helpers import lint, one_error_line, run_tool


def _template(*args: str) -> dict:
    result = run_tool("generate.py", "--deploy-role", "--trust-account", "111111111111", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _statements(role: dict) -> list[dict]:
    return [s for policy in role["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]


@pytest.mark.parametrize("args", [(), ("--cfn-role",)])
def test_the_role_templates_lint_clean_and_name_only_real_actions(args):
    template = _template(*args)
    assert lint(json.dumps(template)) == []
    for resource in template["Resources"].values():
        for statement in _statements(resource):
            for action in statement["Action"]:
                service, name = action.split(":")
                module = importlib.import_module("awacs." + service.replace("-", "_"))
                assert name.endswith("*") or hasattr(module, name), action


def test_the_deploy_role_trusts_the_given_account_only():
    role = _template()["Resources"]["DeployRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::111111111111:root"}}
    assert trust["Action"] == ["sts:AssumeRole"]


def test_with_a_service_role_the_deploy_role_holds_no_resource_permissions():
    template = _template("--cfn-role")
    deploy = _statements(template["Resources"]["DeployRole"])
    assert not any(action.endswith(":*") for s in deploy for action in s["Action"])
    (pass_role,) = [s for s in deploy if s["Action"] == ["iam:PassRole"]]
    assert pass_role["Resource"] == [{"Fn::GetAtt": ["CloudFormationServiceRole", "Arn"]}]
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}
    service = template["Resources"]["CloudFormationServiceRole"]["Properties"]
    (trust,) = service["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "cloudformation.amazonaws.com"}
    assert any("ecs:*" in s["Action"] for s in _statements(template["Resources"]["CloudFormationServiceRole"]))


def test_without_a_service_role_the_deploy_role_can_make_the_stacks_resources():
    template = _template()
    assert set(template["Resources"]) == {"DeployRole"}
    assert any("ecs:*" in s["Action"] for s in _statements(template["Resources"]["DeployRole"]))


@pytest.mark.parametrize("args", [(), ("--cfn-role",)])
def test_the_resource_permissions_are_no_wider_than_the_stacks_resources(args):
    template = _template(*args)
    holder = template["Resources"]["CloudFormationServiceRole" if args else "DeployRole"]
    allowed = {a for s in _statements(holder) if s["Effect"] == "Allow" for a in s["Action"]}
    assert "ec2:*" not in allowed and {"ec2:CreateSecurityGroup", "ec2:Describe*"} <= allowed
    assert not {"iam:AttachRolePolicy", "iam:DetachRolePolicy"} & allowed  # no generated role has managed policies
    assert {"iam:ListRolePolicies", "iam:ListAttachedRolePolicies"} <= allowed  # listed before a role is deleted
    (deny,) = [s for s in _statements(holder) if s["Effect"] == "Deny"]
    assert deny["Resource"] == [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/container-infra-*"}]
    assert {"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"} <= set(
        deny["Action"]
    )
    deploy = {a for s in _statements(template["Resources"]["DeployRole"]) for a in s["Action"]}
    assert "cloudformation:DetectStackResourceDrift" in deploy


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--deploy-role"], "error: --deploy-role needs --trust-account ACCOUNT"),
        (["--deploy-role", "--trust-account", "12"], "error: --trust-account '12': must be a 12-digit AWS account ID"),
        (["--cfn-role"], "error: --cfn-role goes with --deploy-role"),
        (
            ["--deploy-role", "--trust-account", "111111111111", "--config", "examples/minimal.toml"],
            "error: --deploy-role prints the deploy role's template: it takes no --config or --env",
        ),
    ],
)
def test_bad_deploy_role_flags_are_one_line(args, expected):
    assert one_error_line(run_tool("generate.py", *args)).startswith(expected)
