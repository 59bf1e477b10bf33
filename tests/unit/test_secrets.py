"""Container secrets: Secrets in the container definition, and an execution role that may read exactly those ARNs."""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import WEB_CONTAINER, of_type, template_for

SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PARAMETER_ARN = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def config(secrets: dict[str, Any], **task: Any) -> dict[str, Any]:
    return {"task": {**task, "containers": [{**WEB_CONTAINER, "secrets": secrets}]}}


def execution_policy(template: dict[str, Any]) -> list[dict[str, Any]]:
    (role,) = [r for lid, r in of_type(template, "AWS::IAM::Role").items() if lid.endswith("ExecutionRole")]
    (policy,) = role["Properties"]["Policies"]
    return policy["PolicyDocument"]["Statement"]


def test_secrets_become_the_container_definitions_secrets_with_arns_as_ecs_documents_them():
    template = template_for(
        config({"DB_PASSWORD": f"{SECRET}:password::", "API_KEY": "ssm:/shop/api-key", "TOKEN": "ssm:token"})
    )
    (container,) = template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"]
    assert container["Secrets"] == [
        {"Name": "API_KEY", "ValueFrom": {"Fn::Sub": f"{PARAMETER_ARN}/shop/api-key"}},
        {"Name": "DB_PASSWORD", "ValueFrom": f"{SECRET}:password::"},
        {"Name": "TOKEN", "ValueFrom": {"Fn::Sub": f"{PARAMETER_ARN}/token"}},
    ]


def test_the_execution_role_reads_exactly_the_named_secrets_and_parameters():
    secrets = {
        "USER": f"{SECRET}:username::",
        "PASSWORD": f"{SECRET}:password:AWSCURRENT:",
        "API_KEY": "ssm:/shop/api-key",
    }
    template = template_for(config(secrets))
    assert execution_policy(template) == [
        {"Sid": "ReadTheSecrets", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [SECRET]},
        {
            "Sid": "ReadTheParameters",
            "Effect": "Allow",
            "Action": ["ssm:GetParameters"],
            "Resource": [{"Fn::Sub": f"{PARAMETER_ARN}/shop/api-key"}],
        },
    ]
    assert (
        "TaskdefWebappExecutionRole"
        in template["Resources"]["TaskdefWebapp"]["Properties"]["ExecutionRoleArn"]["Fn::GetAtt"]
    )


def test_a_kms_key_adds_decrypt_on_that_key_only():
    statements = execution_policy(template_for(config({"API_KEY": "ssm:/shop/api-key"}, secrets_kms_key=KEY)))
    assert statements[-1] == {
        "Sid": "DecryptTheSecrets",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": [KEY],
    }
    assert [s["Sid"] for s in statements] == ["ReadTheParameters", "DecryptTheSecrets"]


def test_secrets_join_the_web_services_execution_role_beside_its_logs():
    web = {"task": {"containers": [{**WEB_CONTAINER, "secrets": {"API_KEY": "ssm:/k"}}]}, "service": {}}
    assert [s["Sid"] for s in execution_policy(template_for(web))] == ["WriteToTheLogGroup", "ReadTheParameters"]


def test_without_secrets_nothing_changes():
    assert template_for(config({})) == template_for({"task": {"containers": [dict(WEB_CONTAINER)]}})
    assert not any(lid.endswith("ExecutionRole") for lid in template_for(config({}))["Resources"])


BAD = [
    ("not-a-reference", {"A": "my-secret"}, None, ['secrets.A = "my-secret"', "complete ARN", "ssm:/"]),
    (
        "partial-arn",
        {"A": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db"},
        None,
        ["secrets.A", "NAME-XXXXXX"],
    ),
    ("suffix-two-fields", {"A": f"{SECRET}:password:"}, None, ["secrets.A", "JSON-KEY:VERSION-STAGE:VERSION-ID"]),
    ("ssm-empty-level", {"A": "ssm:/a//b"}, None, ['secrets.A = "ssm:/a//b"', "no empty level"]),
    ("ssm-empty", {"A": "ssm:"}, None, ['secrets.A = "ssm:"', "Parameter Store name"]),
    ("not-a-string", {"A": 1}, None, ["secrets.A = 1", "must be a string"]),
    ("bad-name", {"1A": "ssm:/a"}, None, ['secrets.1A = "ssm:/a"', "environment variable names"]),
    ("kms-alias", {"A": "ssm:/a"}, "arn:aws:kms:eu-west-1:123456789012:alias/mine", ["task.secrets_kms_key", "alias"]),
    ("kms-without-secrets", {}, KEY, ["task.secrets_kms_key", "no container has secrets"]),
]


@pytest.mark.parametrize("secrets, key, fragments", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_secrets_name_key_value_and_rule(secrets, key, fragments):
    task = {"secrets_kms_key": key} if key else {}
    with pytest.raises(ConfigError) as error:
        parse_config(config(secrets, **task), "app.toml")
    for fragment in fragments:
        assert fragment in str(error.value)


def test_a_parameter_given_by_its_arn_is_read_by_that_arn():
    """Another Region's parameter, or one shared from another account, is only reachable by its ARN: it is kept."""
    arn = "arn:aws:ssm:us-east-1:210987654321:parameter/shared/db_password"
    template = template_for(config({"DB_PASSWORD": arn, "API_KEY": "ssm:/shop/api-key"}))
    (container,) = template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"]
    assert {"Name": "DB_PASSWORD", "ValueFrom": arn} in container["Secrets"]
    (statement,) = [s for s in execution_policy(template) if s["Sid"] == "ReadTheParameters"]
    assert statement["Resource"] == [{"Fn::Sub": f"{PARAMETER_ARN}/shop/api-key"}, arn]
