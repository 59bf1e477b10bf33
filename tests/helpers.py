"""Run the project's commands as a user would: subprocesses from the repository root."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_tool(
    script: str, *args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
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
LINT_RULES = ROOT / "lint_rules"  # the project's own cfn-lint rules (lint_rules/README.md)
LINT_SETTINGS = {"include_checks": ["I"], "regions": LINT_REGIONS, "append_rules": [str(LINT_RULES)]}


def lint(template_text: str) -> list[str]:
    """cfn-lint findings (errors, warnings and informational checks) as text; empty means clean.

    Experimental rules stay off, as in the cfn-lint CLI's defaults: cfn-lint 1.58's experimental
    I4010 asks for an unreleased `com.aws.cloudformation.Context` metadata block. The project's own
    rules in lint_rules/ run too (cfn-lint's --append-rules).
    """
    from cfnlint.api import ManualArgs, lint

    return [str(match) for match in lint(template_text, config=ManualArgs(**LINT_SETTINGS))]


def deploy(env: dict[str, str], *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """deploy.py as a user runs it (stdin is not a terminal unless a test gives it one)."""
    return run_tool("deploy.py", *args, env=env, input=input if input is not None else "")


def stack_or_none(cloudformation: Any, name: str) -> dict[str, Any] | None:
    try:
        return cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    except cloudformation.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def one_error_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The run failed with `code` and said so in exactly one line on stderr, without a traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]
