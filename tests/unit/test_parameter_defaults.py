"""A parameter that takes its template default is left to CloudFormation, never re-read and sent back."""

from __future__ import annotations

import pytest

from container_infra.cfn.parameters import resolve
from container_infra.cfn.template import parse_template_text

YAML = """
Parameters:
  Enabled: {Type: String, Default: true}
  Code: {Type: String, Default: 0123}
  Price: {Type: String, Default: 1.50}
  Given: {Type: String, Default: a}
Resources:
  Topic: {Type: AWS::SNS::Topic}
"""


class NoVpc:
    region = "eu-west-1"

    def vpc_id(self, parameter: str) -> str:
        raise AssertionError("no VPC parameter here")

    def subnet_ids(self, parameter: str) -> list[str]:
        raise AssertionError("no subnet parameter here")


@pytest.mark.parametrize("previous", [None, {"Enabled": "true", "Code": "0123", "Price": "1.50", "Given": "a"}])
def test_defaults_are_not_sent_and_a_given_value_is_sent_as_written(previous):
    template = parse_template_text(YAML, "template.yaml")
    resolved = resolve(template, {"Given": "b"}, previous, NoVpc())
    assert resolved.api == [{"ParameterKey": "Given", "ParameterValue": "b"}]  # CloudFormation reads the defaults
    assert resolved.values["Enabled"] == "true"  # as the diff shows it, not Python's "True"
