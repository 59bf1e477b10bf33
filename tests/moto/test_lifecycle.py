"""Whole lifecycles of every example against moto's server: create, update, destroy, create again, destroy.

Each step's result is asserted: the stack's status and parameters, the resources that exist, what a
destroy retained, and that the retained resources never block the next create. moto validates no
properties (cfn-lint and the project's rules judge the templates); this proves the tool's flow and the
templates' lifecycle design (unnamed retained resources), as far as moto models them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from container_infra.fargate import FARGATE_MEMORY_BY_CPU
from tests.fakes.examples import ready_example
from tests.helpers import ROOT, deploy, generate, stack_or_none

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
# Types moto's CloudFormation does not create (it warns and skips them): not asserted as stack resources.
NOT_IN_MOTO = (
    "AWS::S3::BucketPolicy",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::CloudWatch::Alarm",
)


@pytest.fixture
def example_config(request, aws, tmp_path, monkeypatch) -> Path:
    """The example as it ships, with what moto needs for it made first (tests/fakes/examples.py)."""
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    return ready_example(request.param, aws, tmp_path, monkeypatch)


def _with_own_domain(config: Path, stack: str) -> Path:
    """Two stacks cannot both own one DNS name (the second create would fail with 'already exists'): one each."""
    text = config.read_text()
    if 'domain = "' not in text or "hosted_zone" not in text:
        return config
    own = config.with_name(f"{stack}-{config.name}")
    own.write_text(text.replace('domain = "', f'domain = "{stack}.'))
    return own


def _parameters(aws, stack: str) -> dict[str, str]:
    return {
        p["ParameterKey"]: p["ParameterValue"]
        for p in aws("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["Parameters"]
    }


def _retained(template: dict) -> dict[str, str]:
    return {lid: r["Type"] for lid, r in template["Resources"].items() if r.get("DeletionPolicy") == "Retain"}


def _existing(aws, resource_type: str) -> set[str]:
    if resource_type == "AWS::ECR::Repository":
        return {r["repositoryName"] for r in aws("ecr").describe_repositories()["repositories"]}
    if resource_type == "AWS::Logs::LogGroup":
        return {g["logGroupName"] for g in aws("logs").describe_log_groups()["logGroups"]}
    if resource_type == "AWS::S3::Bucket":
        return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}
    if resource_type == "AWS::KMS::Key":
        return {k["KeyId"] for k in aws("kms").list_keys()["Keys"]}
    raise AssertionError(resource_type)


def _physical_ids(aws, stack: str) -> dict[str, str]:
    resources = aws("cloudformation").list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}


def _update_arguments(template: dict, parameters: dict[str, str]) -> dict[str, str]:
    """A new image, a new memory size for the same CPU, and (where the count is a parameter) a new desired count."""
    image = next(name for name in template["Parameters"] if name.endswith("Image"))
    cpu = int(parameters["TaskCpu"])
    memory = next(str(m) for m in FARGATE_MEMORY_BY_CPU[cpu] if str(m) != parameters["TaskMemory"])
    update = {image: "public.ecr.aws/aws-containers/hello-app-runner:v2", "TaskMemory": memory}
    if "DesiredCount" in template["Parameters"]:
        update["DesiredCount"] = "3"
    return update


@pytest.mark.parametrize("example_config", EXAMPLES, ids=lambda p: p.stem, indirect=True)
def test_create_update_destroy_create_again(aws_env, aws, example_config):
    config = str(example_config)
    template = generate("--config", config)
    stack = (
        next(line.split('"')[1] for line in example_config.read_text().splitlines() if line.startswith("stack_name"))
        if "stack_name" in example_config.read_text()
        else "my-container-infra"
    )
    cf = aws("cloudformation")

    created = deploy(aws_env, "--config", config, "--yes")
    assert created.returncode == 0, created.stdout + created.stderr
    assert stack_or_none(cf, stack)["StackStatus"] == "CREATE_COMPLETE"
    assert set(_physical_ids(aws, stack)) >= {
        lid for lid, r in template["Resources"].items() if r["Type"] not in NOT_IN_MOTO
    }

    update = _update_arguments(template, _parameters(aws, stack))
    updated = deploy(aws_env, "--config", config, "--yes", *[f"--parameter={k}={v}" for k, v in update.items()])
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert stack_or_none(cf, stack)["StackStatus"] == "UPDATE_COMPLETE"
    assert {k: _parameters(aws, stack)[k] for k in update} == update
    assert "[~] AWS::ECS::TaskDefinition" in updated.stdout

    retained = _retained(template)
    kept = {lid: _physical_ids(aws, stack)[lid] for lid in retained}
    destroyed = deploy(aws_env, "--config", config, "--destroy", "--yes")
    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    assert stack_or_none(cf, stack) is None
    assert f"({len(retained)} retained)" in destroyed.stdout
    for lid, physical in kept.items():
        assert physical in _existing(aws, retained[lid]) or physical.split("/")[-1] in _existing(aws, retained[lid]), (
            lid,
            physical,
        )

    again = deploy(aws_env, "--config", config, "--yes")  # the retained resources are still there
    assert again.returncode == 0, again.stdout + again.stderr
    assert stack_or_none(cf, stack)["StackStatus"] == "CREATE_COMPLETE"
    renewed = _physical_ids(aws, stack)
    assert all(renewed[lid] != physical for lid, physical in kept.items())  # new resources beside the kept ones
    assert deploy(aws_env, "--config", config, "--destroy", "--yes").returncode == 0
    assert stack_or_none(cf, stack) is None


@pytest.mark.parametrize("example_config", EXAMPLES, ids=lambda p: p.stem, indirect=True)
def test_two_stacks_from_one_example_in_one_account(aws_env, aws, example_config):
    for name in ("first-stack", "second-stack"):
        result = deploy(aws_env, "--config", str(_with_own_domain(example_config, name)), "--stack-name", name, "--yes")
        assert result.returncode == 0, result.stdout + result.stderr
    cf = aws("cloudformation")
    assert [stack_or_none(cf, name)["StackStatus"] for name in ("first-stack", "second-stack")] == [
        "CREATE_COMPLETE"
    ] * 2
    first, second = _physical_ids(aws, "first-stack"), _physical_ids(aws, "second-stack")
    assert set(first) == set(second)
    # moto gives a standalone ingress rule no physical ID of its own (and lists one resource without a logical ID)
    types = {lid: r["Type"] for lid, r in generate("--config", str(example_config))["Resources"].items()}
    shared = [
        lid for lid in first if first[lid] == second[lid] and lid and types.get(lid) != "AWS::EC2::SecurityGroupIngress"
    ]
    assert shared == []
