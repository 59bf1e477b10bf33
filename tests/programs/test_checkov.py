"""checkov on the web-service examples: at most three failed checks, each explained in docs/web-service.md.

checkov runs in a tool environment of its own (`uvx`), pinned below, not in the project's: it pins boto3 and
a hundred other packages that the project's environment should not have to carry. It runs once, over all the
examples' templates.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_tool

EXPECTED_FAILURES = {"CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_260"}  # a plain-HTTP public endpoint; see FINDINGS_DOC
FINDINGS_DOC = ROOT / "docs" / "web-service.md"  # its "checkov" section explains every failed or skipped check

# Bump both together: the version of checkov, and the date its own dependencies are resolved as of, so a
# release of one of them cannot change the tool under the test.
CHECKOV = "checkov==3.3.30"
CHECKOV_DEPENDENCIES_AS_OF = "2026-11-27T00:00:00Z"


def uv() -> list[str]:
    """uv itself: the one running `uv run pytest` (UV), else the one on PATH, else `python -m uv`."""
    if os.environ.get("UV"):
        return [os.environ["UV"]]
    if found := shutil.which("uv"):
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    raise AssertionError("checkov runs with uvx: install uv (pip install uv)")


EXAMPLES = ["web-service", "web-service-https", "web-service-domain", "web-service-blue-green"]


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """checkov's findings for each example's template, from one checkov run over all of them (it starts slowly)."""
    folder = tmp_path_factory.mktemp("checkov")
    for example in EXAMPLES:
        config = ROOT / "examples" / f"{example}.toml"
        result = run_tool("generate.py", "--config", str(config), "-o", str(folder / f"{example}.json"))
        assert result.returncode == 0, result.stderr
    report = checkov(folder)
    return {example: _for_file(report, f"/{example}.json") for example in EXAMPLES}


def checkov(folder: Path) -> dict:
    result = subprocess.run(
        [
            *uv(),
            "tool",
            "run",
            "--python",
            sys.executable,
            "--exclude-newer",
            CHECKOV_DEPENDENCIES_AS_OF,
            "--from",
            CHECKOV,
            "checkov",
            "-d",
            str(folder),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def _for_file(report: dict, file_path: str) -> dict:
    """One template's part of a report over a folder, shaped like a report over that template alone."""
    results = {
        kind: [check for check in checks if check["file_path"] == file_path]
        for kind, checks in report["results"].items()
        if kind in ("passed_checks", "failed_checks", "skipped_checks")
    }
    assert results["passed_checks"], f"checkov reported nothing for {file_path}"
    return {"results": results, "summary": {"failed": len(results["failed_checks"])}}


def _failed(report: dict) -> set[str]:
    return {check["check_id"] for check in report["results"]["failed_checks"]}


def test_web_service_example_fails_at_most_three_checks(reports):
    report = reports["web-service"]
    failed = _failed(report)
    assert report["summary"]["failed"] <= 3
    assert failed == EXPECTED_FAILURES
    explained = FINDINGS_DOC.read_text()
    assert all(
        check in explained for check in failed | {s["check_id"] for s in report["results"].get("skipped_checks", [])}
    )


@pytest.mark.parametrize("example", ["web-service-https", "web-service-domain"])
def test_https_examples_leave_only_the_redirect_port(reports, example):
    """The domain example's own certificate, alias record and hosted zone parameter add no failed check."""
    assert _failed(reports[example]) == {"CKV_AWS_260"}


def test_blue_green_example_adds_only_the_plain_http_test_listener(reports):
    """The same three checks as web-service.toml; the two new failures are the test listener's (plain HTTP, as
    production's)."""
    report = reports["web-service-blue-green"]
    assert _failed(report) == EXPECTED_FAILURES
    new = {(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]} - {
        ("CKV_AWS_2", "AWS::ElasticLoadBalancingV2::Listener.WebappBgHttpListener"),
        ("CKV_AWS_103", "AWS::ElasticLoadBalancingV2::Listener.WebappBgHttpListener"),
        ("CKV_AWS_260", "AWS::EC2::SecurityGroup.WebappBgLoadBalancerSecurityGroup"),
    }
    assert new == {
        ("CKV_AWS_2", "AWS::ElasticLoadBalancingV2::Listener.WebappBgTestListener"),
        ("CKV_AWS_103", "AWS::ElasticLoadBalancingV2::Listener.WebappBgTestListener"),
    }
    assert "WebappBgTestListener" in FINDINGS_DOC.read_text() or "test listener" in FINDINGS_DOC.read_text()
