"""SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal) are handled like Ctrl-C, at every phase.

deploy.py runs as a subprocess against moto's server through a proxy that holds one chosen call, so
the signal arrives while deploy.py waits on exactly that phase.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.fakes.aws_proxy import CountingProxy, Hold
from tests.fakes.terminal import run_on_terminal
from tests.helpers import ROOT, stack_or_none

STACK = "my-container-infra"
WEB_STACK = "web-service"  # examples/web-service.toml's own
SIGNALS = [pytest.param(signal.SIGTERM, 143, id="SIGTERM"), pytest.param(signal.SIGHUP, 129, id="SIGHUP")]


def _signal_at(
    env: dict[str, str], holds: list[Hold], signum: int, *args: str, again: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run deploy.py --yes; send `signum` when the first hold is reached (and again at the second, with `again`)."""
    with CountingProxy(env["AWS_ENDPOINT_URL"], hold=holds) as proxy:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy.py"), "--yes", *args],
            cwd=ROOT,
            text=True,
            env={**env, "AWS_ENDPOINT_URL": proxy.url},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert holds[0].reached.wait(120), "deploy.py never reached the held call"
            process.send_signal(signum)
            if again:
                assert holds[1].reached.wait(30), "the cleanup never started"
                process.send_signal(signum)
            stdout, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _open_change_sets(cloudformation) -> list[dict]:
    return [
        s for s in cloudformation.list_change_sets(StackName=STACK)["Summaries"] if s["ExecutionStatus"] == "AVAILABLE"
    ]


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_during_the_change_set_wait_deletes_the_change_set_and_the_review_stack(aws_env, aws, signum, code):
    result = _signal_at(aws_env, [Hold("DescribeChangeSet", seconds=3)], signum)
    assert result.returncode == code, result.stderr
    line = _last_line(result)
    assert line.startswith(
        f"interrupted by {signal.Signals(signum).name}: nothing was deployed; the change set was deleted"
    )
    cloudformation = aws("cloudformation")
    assert stack_or_none(cloudformation, STACK) is None  # no REVIEW_IN_PROGRESS stack left behind
    assert _open_change_sets(cloudformation) == []


def test_a_second_signal_does_not_cut_the_cleanup_short(aws_env, aws):
    holds = [Hold("DescribeChangeSet", seconds=3), Hold("DeleteChangeSet", seconds=2)]
    result = _signal_at(aws_env, holds, signal.SIGTERM, again=True)
    assert result.returncode == 143, result.stderr
    assert "the change set was deleted" in _last_line(result)
    cloudformation = aws("cloudformation")
    assert stack_or_none(cloudformation, STACK) is None
    assert _open_change_sets(cloudformation) == []


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_at_the_prompt_deletes_the_change_set(aws_env, aws, signum, code):
    run = run_on_terminal(aws_env, interrupt=True, signal_number=signum)
    assert run.returncode == code, run.output
    assert (
        f"interrupted by {signal.Signals(signum).name}: nothing was deployed; the change set was deleted" in run.output
    )
    assert "Traceback" not in run.output
    assert stack_or_none(aws("cloudformation"), STACK) is None


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_while_following_says_the_create_goes_on_and_how_to_follow_it(aws_env, aws, signum, code):
    result = _signal_at(aws_env, [Hold("DescribeStackEvents", seconds=3, after="ExecuteChangeSet")], signum)
    assert result.returncode == code, result.stderr
    line = _last_line(result)
    assert "the create of my-container-infra continues in CloudFormation" in line
    assert f"uv run deploy.py --follow --stack-name {STACK} --region eu-west-1" in line
    assert f"aws cloudformation delete-stack --stack-name {STACK}" in line and "cancel-update-stack" not in line
    assert stack_or_none(aws("cloudformation"), STACK) is not None  # executed: nothing is undone
    # and --follow picks it up, with a deploy's ending
    from tests.helpers import deploy

    followed = deploy(aws_env, "--follow")
    assert followed.returncode == 0, followed.stderr
    assert f"✓ {STACK}: CREATE_COMPLETE" in followed.stdout


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_during_the_rollout_wait_says_the_rollout_goes_on(aws_env, aws, monkeypatch, signum, code):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    holds = [Hold("DescribeServices", seconds=3, after="ExecuteChangeSet")]
    result = _signal_at(aws_env, holds, signum, "--config", str(ROOT / "examples" / "web-service.toml"))
    assert result.returncode == code, result.stderr
    line = _last_line(result)
    assert "stopped watching the ECS rollout; CloudFormation has finished and the rollout goes on in ECS" in line
    assert f"uv run deploy.py --follow --stack-name {WEB_STACK} --region eu-west-1" in line
    assert stack_or_none(aws("cloudformation"), WEB_STACK)["StackStatus"] == "CREATE_COMPLETE"
    # --follow gives the rollout's verdict, as the deploy would have
    from tests.helpers import deploy

    followed = deploy(aws_env, "--follow", "--config", str(ROOT / "examples" / "web-service.toml"))
    assert followed.returncode == 0, followed.stderr
    assert "ECS rollout of WebappService: COMPLETED" in followed.stdout
    assert f"✓ {WEB_STACK}: CREATE_COMPLETE" in followed.stdout


def test_a_lost_connection_after_execution_says_the_deployment_goes_on(aws_env, aws):
    from tests.helpers import deploy

    with CountingProxy(aws_env["AWS_ENDPOINT_URL"], drop_after="ExecuteChangeSet") as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--yes")
    assert result.returncode == 1, result.stderr
    line = _last_line(result)
    assert line.startswith("failed: lost the connection to AWS after the deployment started")
    assert "the create of my-container-infra continues in CloudFormation" in line
    assert f"uv run deploy.py --follow --stack-name {STACK} --region eu-west-1" in line
    assert "cannot reach 127.0.0.1" in result.stdout and "retrying 2/3" in result.stdout  # each retry was said


def test_sigterm_while_following_a_destroy_says_the_delete_goes_on(aws_env, aws):
    from tests.helpers import deploy

    assert deploy(aws_env, "--yes").returncode == 0
    result = _signal_at(
        aws_env, [Hold("DescribeStackEvents", seconds=3, after="DeleteStack")], signal.SIGTERM, "--destroy"
    )
    assert result.returncode == 143, result.stderr
    line = _last_line(result)
    assert "the delete of my-container-infra goes on in CloudFormation" in line
    assert f"uv run deploy.py --follow --stack-name {STACK} --region eu-west-1" in line
