"""Run the project's commands as a user would: subprocesses from the repository root."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_tool(script: str, *args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / script), *args],
        capture_output=True,
        text=True,
        env=env,
        input=input,
        cwd=cwd,
        timeout=300,
    )


def generate(*args: str) -> dict[str, Any]:
    result = run_tool("generate.py", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


LINT_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def lint(template_text: str) -> list[str]:
    """cfn-lint findings (errors, warnings and informational checks) as text; empty means clean.

    Experimental rules stay off, as in the cfn-lint CLI's defaults: cfn-lint 1.58's experimental
    I4010 asks for an unreleased `com.aws.cloudformation.Context` metadata block.
    """
    from cfnlint.api import ManualArgs, lint

    return [str(match) for match in lint(template_text, config=ManualArgs(include_checks=["I"], regions=LINT_REGIONS))]
