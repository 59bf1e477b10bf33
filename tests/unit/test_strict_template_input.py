"""Template text read as strictly as CloudFormation reads it: one clear line for what it would not take."""

from __future__ import annotations

from unittest import mock

import pytest

from container_infra.cfn import strict_input
from container_infra.cfn.template import parse_template_text
from container_infra.errors import UserError

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def _refusal(body: str) -> str:
    with pytest.raises(UserError) as refused:
        parse_template_text(body, "t")
    return str(refused.value)


def test_nested_aliases_are_refused_quickly_not_expanded():
    """9**9 values if expanded: the refusal comes from counting the parsed nodes, before any value is constructed."""
    with mock.patch.object(
        strict_input._StrictLoader, "construct_object", side_effect=AssertionError("expanded")
    ) as construct:
        assert _refusal(BOMB + "Resources: {T: {Type: AWS::SNS::Topic}}\n") == (
            "t: not accepted: its aliases expand it past 1,000,000 values"
        )
    assert construct.call_count == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "T": {"Type": "AWS::SQS::Queue"}}}',
            "t: not accepted: the key 'T' is given twice in one mapping",
        ),
        (
            "Resources:\n  T: {Type: AWS::SNS::Topic}\n  T: {Type: AWS::SQS::Queue}\n",
            "t: not accepted: the key 'T' is given twice in one mapping (line 3)",
        ),
        (
            '{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"X": NaN}}}}',
            "t: not accepted: NaN is not a JSON value",
        ),
        (
            "Resources:\n  T: {Type: AWS::SNS::Topic, Properties: {X: .nan}}\n",
            "t: not accepted: nan is not a number CloudFormation takes",
        ),
        (
            "Resources:\n  T: {Type: AWS::SNS::Topic, Properties: {Tags: !Tags [a]}}\n",
            "t: not accepted: !Tags (line 2) is not one of CloudFormation's short forms",
        ),
    ],
)
def test_what_cloudformation_would_not_take_is_one_line(body, message):
    assert _refusal(body) == message


def test_cloudformations_short_forms_and_a_harmless_alias_still_load():
    template = parse_template_text(
        "Parameters:\n  P: &p {Type: String, Default: x}\n  Q: *p\n"
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      TopicName: !Sub '${AWS::StackName}-t'\n      DisplayName: !Join ['-', [!Ref P, !GetAtt Q.Arn]]\n",
        "t",
    )
    assert template["Parameters"]["Q"] == {"Type": "String", "Default": "x"}
    assert template["Resources"]["T"]["Properties"]["DisplayName"] == {
        "Fn::Join": ["-", [{"Ref": "P"}, {"Fn::GetAtt": ["Q", "Arn"]}]]
    }


@pytest.mark.parametrize(
    "body",
    [
        "Resources:\n  T: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref {a: b}}}\n",
        '{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": ["a"]}}}}}',
    ],
)
def test_a_ref_that_names_nothing_is_one_line(body):
    assert _refusal(body).startswith("t: not accepted: a Ref takes the name of a parameter or resource, not ")
