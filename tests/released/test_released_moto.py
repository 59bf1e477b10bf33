"""The tools as programs against moto's server as released (its own process, no shims): what a new user of moto
sees. Each run ends as a user expects: exit 0, or one line where moto lacks something; never an internal error.

The examples here are those moto holds as released: the default config, minimal.toml, sidecar.toml (with logs).
Not here: web-service.toml (moto refuses the generated ECR repository name, getmoto/moto#6479), the blue/green
example (moto never starts the tasks, so its rollout does not end), production.toml and web-service-domain.toml
(they need a Route 53 zone) and web-service-https.toml (the forecast refuses its certificate on moto).
"""

from __future__ import annotations

import subprocess

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
