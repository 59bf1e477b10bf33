"""NoEcho values are masked in the Diff model itself, so text, JSON and any later renderer never see them."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from container_infra.diff.compute import compute_diff
from container_infra.diff.masking import Masker, mask_diff, secret_values
from container_infra.render.json import diff_json
from container_infra.render.text import render_diff
from container_infra.ui.output import Output
from tests.fakes import stubs

OLD, NEW = "first-secret", "second-secret"


def _template(retention: int = 7) -> dict[str, Any]:
    token = {"Ref": "Token"}
    return {
        "Parameters": {
            "Token": {"Type": "String", "NoEcho": "true"},
            "Keys": {"Type": "CommaDelimitedList", "NoEcho": True},
        },
        "Resources": {
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "RetentionInDays": retention,
                    "Tags": [
                        {"Key": "token", "Value": token},
                        {"Key": "auth", "Value": {"Fn::Join": ["", ["Bearer ", token]]}},
                    ],
                    "KeyNames": {"Ref": "Keys"},
                },
            },
            "Group": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "g",
                    "SecurityGroupIngress": [
                        {
                            "IpProtocol": "tcp",
                            "FromPort": 443,
                            "ToPort": 443,
                            "CidrIp": "10.0.0.0/8",
                            "Description": token,
                        }
                    ],
                },
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                "Condition": {"StringEquals": {"sts:ExternalId": token}},
                            }
                        ]
                    }
                },
            },
        },
        "Outputs": {"Auth": {"Value": {"Fn::Join": [":", ["token", token]]}}},
    }


def _diff() -> Any:
    """Token and Keys change; the log group's retention too, and the change set says it is replaced."""
    change_set = stubs.change_set(
        [
            stubs.resource_change(
                "Modify",
                "Logs",
                "AWS::Logs::LogGroup",
                replacement="True",
                details=[stubs.property_detail("RetentionInDays", "Always")],
            )
        ]
    )
    return compute_diff(
        _template(7),
        _template(14),
        old_parameters={"Token": OLD, "Keys": ["alpha-key", "beta-key"]},
        new_parameters={"Token": NEW, "Keys": ["alpha-key", "gamma-key"]},
        change_set=change_set,
    )


SECRETS = (OLD, NEW, "alpha-key", "beta-key", "gamma-key")


def _strings(value: Any) -> list[str]:
    if dataclasses.is_dataclass(value):
        return _strings(dataclasses.asdict(value))
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [str(value)]


def test_the_diff_model_holds_no_secret_anywhere():
    """Whatever renders it (text, JSON, a Markdown renderer added later) starts from a masked model."""
    diff = _diff()
    leaked = [text for text in _strings(diff) for secret in SECRETS if secret in text]
    assert leaked == []
    # ... and still says what changes: the secret is masked, not dropped
    logs = next(r for r in diff.resources if r.logical_id == "Logs")
    joined = {"Fn::Join": ["", ["Bearer ", "****"]]}
    assert {p.name: (p.old, p.new) for p in logs.properties} == {
        "Tags[0].Value": ("****", "****"),
        "Tags[1].Value": (joined, joined),
        "KeyNames": (["****", "****"], ["****", "****"]),
        "RetentionInDays": (7, 14),
    }
    assert [(p.name, p.old, p.new) for p in diff.parameters] == [("Keys", "****", "****"), ("Token", "****", "****")]
    assert [(o.name, o.old, o.new) for o in diff.outputs] == [
        ("Auth", {"Fn::Join": [":", ["token", "****"]]}, {"Fn::Join": [":", ["token", "****"]]})
    ]
    assert [(r.description, r.peer) for r in diff.rules_added + diff.rules_removed] == [("****", "10.0.0.0/8")] * 2
    assert [r.condition for r in diff.iam_added] == ['{"StringEquals":{"sts:ExternalId":"****"}}']
    assert diff.warnings == [
        "AWS::Logs::LogGroup Logs will be REPLACED by a new, empty one and the old one DELETED with its data"
    ]


def test_text_diff_masks_resource_properties(capsys):
    render_diff(Output(), _diff(), stack_name=stubs.STACK, region=stubs.REGION, new_stack=False)
    out = capsys.readouterr().out
    assert not [secret for secret in SECRETS if secret in out]
    assert "├─ [~] Tags[0].Value: **** → ****" in out
    assert "Bearer ****" in out and "[~] RetentionInDays: 7 → 14 (replace)" in out


def test_json_diff_masks_old_and_new():
    text = diff_json(
        _diff(), stack_name=stubs.STACK, region=stubs.REGION, new_stack=False, change_set_id=stubs.CHANGE_SET_ID
    )
    assert not [secret for secret in SECRETS if secret in text]
    (logs,) = [r for r in json.loads(text)["resources"] if r["logicalId"] == "Logs"]
    assert {"name": "Tags[0].Value", "old": "****", "new": "****", "replacement": None} in logs["properties"]


def test_a_new_secret_default_and_a_secret_that_vanishes_are_masked():
    """A new stack: the value comes from the template's Default; a removed parameter: from the old side only."""
    template = {
        "Parameters": {"Token": {"Type": "String", "NoEcho": "True", "Default": "default-secret"}},
        "Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Ref": "Token"}}}},
    }
    created = compute_diff({}, template, old_parameters={}, new_parameters={"Token": "default-secret"}, change_set=None)
    assert "default-secret" not in json.dumps(created.as_dict())
    removed = compute_diff(
        template, {"Resources": {}}, old_parameters={"Token": "default-secret"}, new_parameters={}, change_set=None
    )
    assert "default-secret" not in json.dumps(removed.as_dict())
    assert [(p.name, p.old, p.new) for p in removed.parameters] == [("Token", "****", None)]


def test_only_noecho_values_are_masked():
    template = {
        "Parameters": {"Plain": {"Type": "String"}, "Hidden": {"Type": "String", "NoEcho": "false"}},
        "Resources": {
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": {"Ref": "Plain"}, "Kms": {"Ref": "Hidden"}},
            }
        },
    }
    diff = compute_diff(
        template,
        template,
        old_parameters={"Plain": "a-1", "Hidden": "h-1"},
        new_parameters={"Plain": "a-2", "Hidden": "h-2"},
        change_set=None,
    )
    (logs,) = diff.resources
    assert {(p.name, p.old, p.new) for p in logs.properties} == {("LogGroupName", "a-1", "a-2"), ("Kms", "h-1", "h-2")}


def test_dynamic_references_are_shown_as_references_never_resolved():
    """The diff never resolves `{{resolve:...}}`: it shows which secret is used, not its value."""
    reference = "{{resolve:secretsmanager:prod/db:SecretString:password}}"
    old = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"MasterUserPassword": "plain"}}}}
    new = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"MasterUserPassword": reference}}}}
    (db,) = compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=None).resources
    assert [(p.name, p.new) for p in db.properties] == [("MasterUserPassword", reference)]


def test_secret_values_known_to_the_tool():
    template = {
        "Parameters": {
            "First": {"Type": "String", "Default": "not-a-secret"},
            "Token": {"Type": "String", "NoEcho": "true", "Default": "d-token"},
            "Keys": {"Type": "CommaDelimitedList", "NoEcho": "true"},
            "Name": {"Type": "String", "Default": "visible"},
            "Masked": {"Type": "String", "NoEcho": "true"},
        }
    }
    values = {"Token": "given-token", "Keys": "k-one, k-two", "Name": "also-visible", "Masked": "****"}
    assert secret_values(template, values) == {"given-token", "d-token", "k-one, k-two", "k-one", "k-two"}
    assert secret_values(template, {"Keys": ["k-a", "k-b"]}) == {"d-token", "k-a,k-b", "k-a", "k-b"}
    assert secret_values({"Parameters": {"Token": {"Type": "String", "NoEcho": "true"}}}, {"Token": "with, comma"}) == {
        "with, comma"
    }
    assert secret_values({"Resources": {}}, {"Token": "x"}) == set()


def test_masker_hides_the_longest_secret_first_and_everything_inside_values():
    masker = Masker(["abc", "abcdef", ""])
    assert masker.text("x-abcdef-abc-ab") == "x-****-****-ab"
    assert masker.value({"abc": ["abcdef", 7, None, {"k": "zabc"}]}) == {"****": ["****", 7, None, {"k": "z****"}]}
    masker.add(["zz"])
    assert masker.text("zz abc") == "**** ****"


def test_without_secrets_the_diff_is_returned_as_it_is():
    diff = _diff()
    assert mask_diff(diff, Masker()) is diff


@pytest.mark.parametrize(
    "field", ["parameters", "resources", "outputs", "iam_added", "iam_removed", "rules_added", "rules_removed"]
)
def test_masking_keeps_every_row(field):
    diff = _diff()
    assert len(getattr(mask_diff(diff, Masker(["x"])), field)) == len(getattr(diff, field)) > 0


def test_warnings_are_masked_too():
    """A warning names the resource; it goes through the masker like every other string."""
    (warning,) = mask_diff(_diff(), Masker(["Logs"])).warnings
    assert (
        warning == "AWS::****::LogGroup **** will be REPLACED by a new, empty one and the old one DELETED with its data"
    )
