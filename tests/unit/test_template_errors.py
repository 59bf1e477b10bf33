"""A template that does not parse is one line saying which format, where (line and column), and what."""

from __future__ import annotations

import pytest

from container_infra.cfn.template import parse_template_text
from container_infra.errors import UserError


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: x\n  B: [\n",
            "not a valid YAML template (line 5, column 4: expected ',' or '}', but got ':')",
        ),
        ("Resources:\n  A:\n   Type: x\n  - b\n", "not a valid YAML template (line 4, column 3: expected <block end>"),
        ("Resources:\n\tA: 1\n", "not a valid YAML template (line 2, column 1: found character '\\t'"),
        ('{"Resources": \n{"A": }}', "not a valid JSON template (Expecting value: line 2 column 7 (char 21))"),
    ],
)
def test_a_syntax_error_names_the_format_and_the_line(body, said):
    with pytest.raises(UserError) as refused:
        parse_template_text(body, "--template t")
    assert str(refused.value).startswith(f"--template t: {said}"), str(refused.value)
    assert "\n" not in str(refused.value)


def test_yaml_with_short_tags_still_loads():
    body = (
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      TopicName: !Sub '${AWS::StackName}-t'\n"
    )
    template = parse_template_text(body, "--template t")
    assert template["Resources"]["Topic"]["Properties"]["TopicName"] == {"Fn::Sub": "${AWS::StackName}-t"}
