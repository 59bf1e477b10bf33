"""The tools as programs against moto's server as released (its own process, no shims): what a new user of moto
sees. Each run ends as a user expects: exit 0, or one line where moto lacks something; never an internal error.

The examples here are those moto holds as released: the default config, minimal.toml, sidecar.toml (with logs);
a service of no tasks, whose update shows what an endpoint that starts no ECS deployment gets; and two review-only
stacks, for which moto's ListChangeSets answers with every stack's change sets.
web-service.toml only as far as moto takes it: moto refuses its ECR repository name at execution (getmoto/moto#6479),
and the run says what it cleaned up. Not here: the blue/green example (moto never starts the tasks, so its rollout
does not end), production.toml and web-service-domain.toml (they need a Route 53 zone) and web-service-https.toml
(the forecast refuses its certificate on moto).
"""

from __future__ import annotations

import re
import subprocess

import boto3
import pytest

from tests.helpers import ROOT, deploy

NOT_CHECKED = "Not checked here: CloudFormation's pre-deployment validation"


def _ends_well(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 0 and no internal error or traceback; the run's whole output."""
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "internal error" not in said and "Traceback" not in said, said
    return said


def _one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "internal error" not in lines[0] and "Traceback" not in result.stdout, lines
    return lines[0]


def test_the_default_config_through_its_lifecycle(released_env):
    first = _ends_well(deploy(released_env, "--diff"))
    assert first.count(NOT_CHECKED) == 1  # moto has no DescribeEvents: said once, and the diff goes on
    assert "[+] AWS::ECS::TaskDefinition TaskdefWebapp" in first
    created = _ends_well(deploy(released_env, "--yes"))
    assert "CREATE_COMPLETE" in created
    assert "No changes" in _ends_well(deploy(released_env, "--diff", "--exit-code"))
    updated = _ends_well(deploy(released_env, "--yes", "--parameter", "TaskCpu=1024", "--parameter", "TaskMemory=2048"))
    assert "Cpu: 512 → 1024" in updated and "UPDATE_COMPLETE" in updated
    assert "webapp:2" in _ends_well(deploy(released_env, "--status"))
    drift = _one_line(deploy(released_env, "--diff", "--drift"), 2)
    assert drift.startswith("error: --drift: this endpoint does not offer drift detection: DetectStackDrift")
    assert "DELETE_COMPLETE" in _ends_well(deploy(released_env, "--destroy", "--yes"))


@pytest.mark.parametrize("example", ["minimal", "sidecar"])
def test_an_example_through_its_lifecycle(released_env, example):
    config = str(ROOT / "examples" / f"{example}.toml")
    _ends_well(deploy(released_env, "--config", config, "--diff"))
    assert "CREATE_COMPLETE" in _ends_well(deploy(released_env, "--config", config, "--yes"))
    assert "No changes" in _ends_well(deploy(released_env, "--config", config, "--diff"))
    _ends_well(deploy(released_env, "--config", config, "--status"))
    if example == "sidecar":  # the example that logs to CloudWatch Logs
        _ends_well(deploy(released_env, "--config", config, "--logs"))
    assert "DELETE_COMPLETE" in _ends_well(deploy(released_env, "--config", config, "--destroy", "--yes"))


SERVICE_WITHOUT_TASKS = """
stack_name = "released-service"

[[task.containers]]
name = "web"
image = "public.ecr.aws/aws-containers/hello-app-runner:latest"
port = 8000

[service]
desired_count = 0  # moto as released starts no tasks: a service of none is the one whose rollout ends there
assign_public_ip = true
"""


def _default_subnets(env: dict[str, str]) -> str:
    ec2 = boto3.client(
        "ec2",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=env["AWS_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    return ",".join(subnet["SubnetId"] for subnet in ec2.describe_subnets()["Subnets"] if subnet.get("DefaultForAz"))


def test_an_update_moto_starts_no_deployment_for_is_said_to_be_not_verified(released_env, tmp_path):
    """AWS starts a deployment of the new task definition revision at once; moto as released starts none. After the
    grace, one line says the verdict is the primary deployment's, of the old revision: not verified."""
    config = tmp_path / "service.toml"
    config.write_text(SERVICE_WITHOUT_TASKS)
    assert "CREATE_COMPLETE" in _ends_well(deploy(released_env, "--config", str(config), "--yes"))
    # moto as released reads a List<> parameter back as a Python list's text, which the forecast cannot find as a
    # subnet: the update names the subnets again
    subnets = _default_subnets(released_env)
    updated = _ends_well(
        deploy(
            released_env,
            *("--config", str(config), "--yes", "--parameter", "TaskCpu=1024", "--parameter", "TaskMemory=2048"),
            *("--parameter", f"LoadBalancerSubnets={subnets}", "--parameter", f"TaskSubnets={subnets}"),
        )
    )
    assert updated.count("no deployment of webapp:2 (the revision the stack names) appeared") == 1, updated
    assert "the verdict is the primary deployment's, which runs webapp:1: not verified" in updated
    assert "ECS rollout of WebappService: COMPLETED" in updated
    assert "DELETE_COMPLETE" in _ends_well(deploy(released_env, "--config", str(config), "--destroy", "--yes"))


def _kept(env: dict[str, str], config: str, stack: str) -> tuple[str, str]:
    """Keep a CREATE change set for `stack` (a review-only stack); its name and ARN, as --diff --keep prints them."""
    kept = re.search(
        r"Kept change set (\S+) \((\S+)\)",
        _ends_well(deploy(env, "--config", config, "--stack-name", stack, "--diff", "--keep")),
    )
    assert kept is not None
    return kept.group(1), kept.group(2)


def test_review_only_stacks_see_only_their_own_change_sets(released_env):
    """moto as released lists every stack's change sets for any StackName (AWS lists the named stack's): --status
    of one review-only stack names only its own, and a --discard of another stack's change set is refused."""
    config = str(ROOT / "examples" / "minimal.toml")
    (ours, _), (theirs, their_arn) = (
        _kept(released_env, config, "review-ours"),
        _kept(released_env, config, "review-theirs"),
    )
    status = deploy(released_env, "--config", config, "--stack-name", "review-ours", "--status")
    assert status.returncode == 1, status.stdout + status.stderr
    assert f"holding the change set {ours};" in status.stderr and theirs not in status.stderr, status.stderr
    refused = _one_line(deploy(released_env, "--discard", their_arn, "--stack-name", "review-ours"), 2)
    assert "the change set is for stack review-theirs, not review-ours; not discarding it" in refused
    for stack, name in (("review-ours", ours), ("review-theirs", theirs)):
        gone = _ends_well(deploy(released_env, "--discard", name, "--stack-name", stack))
        assert f"Deleted stack {stack} too" in gone, gone


def _cloudformation(env: dict[str, str]):
    return boto3.client(
        "cloudformation",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=env["AWS_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def test_a_create_moto_refuses_at_execution_says_what_is_left_and_leaves_no_stack(released_env):
    """moto refuses web-service.toml's ECR repository name at ExecuteChangeSet (getmoto/moto#6479): the run fails
    and says that the change set and the never-executed stack were deleted; none is left in REVIEW_IN_PROGRESS."""
    config = str(ROOT / "examples" / "web-service.toml")
    failed = deploy(released_env, "--config", config, "--yes")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert failed.stderr.startswith("failed: ExecuteChangeSet failed: InvalidParameterException"), failed.stderr
    assert (
        "Not executed: nothing was deployed; the change set was deleted (and the review-only stack web-service)."
        in failed.stdout
    )
    live = [
        s
        for s in _cloudformation(released_env).list_stacks()["StackSummaries"]
        if s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert live == []


def test_destroy_of_a_review_only_stack_deletes_it(released_env):
    """A stack that only holds a kept change set was never executed: --destroy lists the change set that goes with
    it (no resources, no template of its own to read), deletes the stack, and exits 0."""
    config = str(ROOT / "examples" / "minimal.toml")
    name, _ = _kept(released_env, config, "review-destroyed")
    destroyed = _ends_well(
        deploy(released_env, "--config", config, "--stack-name", "review-destroyed", "--destroy", "--yes")
    )
    assert f"[-] change set {name}" in destroyed and "DELETE_COMPLETE" in destroyed
    gone = deploy(released_env, "--config", config, "--stack-name", "review-destroyed", "--status")
    assert gone.returncode == 1 and "does not exist" in gone.stderr, gone.stderr
