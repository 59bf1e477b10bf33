"""Run the project's commands as a user would (subprocesses from the repository root), and generate.py in-process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import urllib.request
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

from tests.lint_cache import LintCache, default_directory

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
    """What `generate.py ARGS` prints, parsed: its own main() in this process (no start-up to pay), so that tests
    which only need a template stay in-process. Running it as a program is tests/programs/' concern."""
    import generate as generate_script

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(sys, "argv", ["generate.py", *args]),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        assert generate_script.main() == 0
    assert stderr.getvalue() == ""
    return json.loads(stdout.getvalue())


LINT_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
LINT_RULES = ROOT / "lint_rules"  # the project's own cfn-lint rules (lint_rules/README.md)
LINT_SETTINGS = {"include_checks": ["I"], "regions": LINT_REGIONS, "append_rules": [str(LINT_RULES)]}


def lint(template_text: str) -> list[str]:
    """cfn-lint findings (errors, warnings and informational checks) as text; empty means clean.

    Experimental rules stay off, as in the cfn-lint CLI's defaults: cfn-lint 1.58's experimental
    I4010 asks for an unreleased `com.aws.cloudformation.Context` metadata block. The project's own
    rules in lint_rules/ run too (cfn-lint's --append-rules). The same text gives the same findings, so
    each template is linted once a run, and its findings are kept on disk for the next run (tests/lint_cache.py)
    until the text, cfn-lint or a rule changes.
    """
    return list(_findings(template_text))


@cache
def _findings(template_text: str) -> tuple[str, ...]:
    return _lint_cache().findings(template_text, _run_cfn_lint)


@cache
def _lint_cache() -> LintCache:
    from importlib.metadata import version  # not cfnlint.version: importing cfnlint takes seconds

    settings = {k: v for k, v in LINT_SETTINGS.items() if k != "append_rules"}  # the rules count by content
    return LintCache(default_directory(), version("cfn-lint"), LINT_RULES, settings)


def _run_cfn_lint(template_text: str) -> list[str]:
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


def deploy_environment(endpoint_url: str, home: Path, region: str = "eu-west-1") -> dict[str, str]:
    """The environment deploy.py runs in against a reset moto server: credentials and region as a user sets them,
    AWS_ENDPOINT_URL at moto, and no AWS config files of this machine's."""
    urllib.request.urlopen(urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST")).close()
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": region,
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "NO_COLOR": "1",
    }
