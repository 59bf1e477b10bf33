"""checkov on the web-service example: at most three failed checks, each explained in the README."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, run_tool

EXPECTED_FAILURES = {"CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_260"}  # a plain-HTTP public endpoint; see README


def checkov(template: Path) -> dict:
    checkov_bin = Path(sys.executable).parent / "checkov"
    result = subprocess.run(
        [str(checkov_bin), "-f", str(template), "--framework", "cloudformation", "--skip-download", "--output", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def _failed(report: dict) -> set[str]:
    return {check["check_id"] for check in report["results"]["failed_checks"]}


def test_web_service_example_fails_at_most_three_checks(tmp_path):
    template = tmp_path / "web-service.json"
    assert run_tool("generate.py", "--config", str(ROOT / "examples" / "web-service.toml"), "-o", str(template)).returncode == 0
    report = checkov(template)
    failed = _failed(report)
    assert report["summary"]["failed"] <= 3
    assert failed == EXPECTED_FAILURES
    readme = (ROOT / "README.md").read_text()
    assert all(check in readme for check in failed | {s["check_id"] for s in report["results"].get("skipped_checks", [])})


def test_https_example_leaves_only_the_redirect_port(tmp_path):
    template = tmp_path / "https.json"
    assert run_tool("generate.py", "--config", str(ROOT / "examples" / "web-service-https.toml"), "-o", str(template)).returncode == 0
    assert _failed(checkov(template)) == {"CKV_AWS_260"}
