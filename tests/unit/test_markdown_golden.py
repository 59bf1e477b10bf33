"""The pull-request Markdown of a dangerous change, compared exactly with a stored, reviewed file: the guard's
warnings first, then the diff, the drift and CloudFormation's validation."""

from __future__ import annotations

from container_infra.diff.compute import compute_diff
from container_infra.diff.drift import drifted_resources
from container_infra.diff.validation import validations
from container_infra.render.markdown import diff_markdown
from tests import golden_files
from tests.fakes import stubs
from tests.golden_files import compare_golden

GOLDEN = golden_files.GOLDEN / "markdown-guarded.md"
LISTENER = {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Port": 80, "LoadBalancerArn": "lb-1"}}
REPOSITORY = {"Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain", "Properties": {"RepositoryName": "webapp"}}
ROLE = {
    "Type": "AWS::IAM::Role",
    "Properties": {
        "AssumeRolePolicyDocument": {
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]
        }
    },
}
SERVICE = {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": 2}}


def test_markdown_of_a_guarded_change_matches_the_stored_file():
    old = {"Resources": {"Listener": LISTENER, "Repository": REPOSITORY, "Service": SERVICE}}
    new = {
        "Resources": {
            "Listener": {**LISTENER, "Properties": {"Port": 80, "LoadBalancerArn": "lb-2"}},
            "Role": ROLE,
            "Service": SERVICE,
        }
    }
    change_set = stubs.change_set(
        [
            stubs.resource_change(
                "Modify",
                "Listener",
                LISTENER["Type"],
                replacement="True",
                details=[stubs.property_detail("LoadBalancerArn", "Always")],
            ),
            stubs.resource_change("Remove", "Repository", REPOSITORY["Type"]),
            stubs.resource_change("Add", "Role", ROLE["Type"]),
        ]
    )
    diff = compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=change_set)
    diff.drift = drifted_resources(
        [
            {
                "LogicalResourceId": "Service",
                "ResourceType": SERVICE["Type"],
                "StackResourceDriftStatus": "MODIFIED",
                "PropertyDifferences": [
                    {
                        "PropertyPath": "/DesiredCount",
                        "ExpectedValue": "2",
                        "ActualValue": "5",
                        "DifferenceType": "NOT_EQUAL",
                    }
                ],
            }
        ],
        changing=set(),
        reverting=False,
    )
    diff.validations = validations(
        [
            {
                "EventType": "VALIDATION_ERROR",
                "ValidationFailureMode": "WARN",
                "ValidationName": "PropertyValidation",
                "ValidationStatus": "FAILED",
                "ValidationStatusReason": "Port | 80 is unusual",
                "LogicalResourceId": "Listener",
            }
        ]
    )
    actual = diff_markdown(
        diff,
        stack_name="my-container-infra",
        region="eu-west-1",
        new_stack=False,
        kept="container-infra-20261127-041500-a1b2c3",
    )
    assert actual.index("[!CAUTION]") < actual.index("#### Resources")  # replacement warnings first
    assert "<details><summary>IAM statement changes (1)</summary>" in actual
    assert "Port \\| 80 is unusual" in actual  # a pipe does not break the table or list
    compare_golden(GOLDEN, actual)
