"""Which outputs hold a secret (secret_outputs), and a secret as JSON writes it inside a string (Masker.add).

CloudFormation reports an output built from a NoEcho parameter in plain text; only the template says it is a
secret, through a Ref, a ${Name} in Fn::Sub (its text or its variables) or anything nested in them.
"""

from __future__ import annotations

import json

import pytest

from container_infra.diff.masking import Masker, secret_outputs

SECRET = {"Type": "String", "NoEcho": "true"}
PLAIN = {"Type": "String"}

OUTPUTS = {
    "Ref": ({"Ref": "Token"}, True),
    "SubText": ({"Fn::Sub": "postgres://u:${Token}@db"}, True),
    "SubList": ({"Fn::Sub": ["x-${Token}", {}]}, True),
    "SubVariable": ({"Fn::Sub": ["x-${V}", {"V": {"Ref": "Token"}}]}, True),
    "Joined": ({"Fn::Join": ["", ["a", {"Ref": "Token"}]]}, True),
    "Nested": ({"Fn::Select": [0, [{"Fn::If": ["C", {"Ref": "Token"}, "x"]}]]}, True),
    "OtherRef": ({"Ref": "Name"}, False),
    "OtherSub": ({"Fn::Sub": "${Name}-${AWS::Region}"}, False),
    "OtherSubList": ({"Fn::Sub": ["${Name}", {"Name": "Token"}]}, False),
    "EmptySub": ({"Fn::Sub": []}, False),
    "Literal": ("Token", False),
    "LiteralList": (["Token", "${Token}"], False),
    "AttributeOfToken": ({"Fn::Sub": "${Token.Arn}"}, False),
}


def _template(token: dict, outputs: dict) -> dict:
    return {
        "Parameters": {"Token": token, "Name": PLAIN, "Broken": "not a spec"},
        "Outputs": {name: ({"Value": value} if name != "NotADict" else value) for name, value in outputs.items()},
    }


def test_the_outputs_built_from_a_noecho_parameter():
    template = _template(SECRET, {name: value for name, (value, _) in OUTPUTS.items()})
    template["Outputs"]["NotADict"] = "Token"
    assert secret_outputs(template) == {name for name, (_, secret) in OUTPUTS.items() if secret}


@pytest.mark.parametrize("token", [PLAIN, {"Type": "String", "NoEcho": "false"}])
def test_without_a_noecho_parameter_no_output_is_secret(token):
    assert secret_outputs(_template(token, {name: value for name, (value, _) in OUTPUTS.items()})) == set()


def test_a_template_without_parameters_or_outputs():
    assert secret_outputs({}) == set() and secret_outputs({"Parameters": {"Token": SECRET}}) == set()


@pytest.mark.parametrize("secret", ["plain", 'a"b', "back\\slash", "pässwörd", 'ä"x', "tab\there"])
def test_a_secret_is_masked_as_given_and_as_json_writes_it(secret):
    masker = Masker([secret])
    assert masker.text(f"<{secret}>") == "<****>"
    for ascii in (False, True):
        assert masker.text(json.dumps({"v": secret}, ensure_ascii=ascii)) == '{"v": "****"}'
