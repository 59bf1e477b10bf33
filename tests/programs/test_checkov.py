"""checkov over every example's template, once a run: the web-service examples fail at most three checks, each
explained in docs/web-service.md, and every other example's findings are pinned here.

checkov runs in a tool environment of its own (`uvx`), pinned below, not in the project's: it pins boto3 and
a hundred other packages that the project's environment should not have to carry. One session fixture runs it once
over a folder of all the examples' templates; the tests read their parts of its report.

It runs offline: `--skip-download` (no policies or guidelines from the platform), BC_SKIP_MAPPING (no mapping of
checks to the platform's IDs), CKV_SKIP_PACKAGE_UPDATE_CHECK (no question to PyPI for a newer checkov) and a cache
directory of its own (CKV_CACHE_DIR), so a cold cache needs no network. Where Linux lets the run have a network
namespace of its own (`unshare -rn`), it runs in one, with no network at all: uv first makes the tool environment
(the one step that may download), then `uv tool run --offline` runs checkov from it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_tool

EXPECTED_FAILURES = {"CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_260"}  # a plain-HTTP public endpoint; see FINDINGS_DOC
FINDINGS_DOC = ROOT / "docs" / "web-service.md"  # its "checkov" section explains every failed or skipped check
# The other examples' findings, each a choice the example makes on purpose:
OTHER_FAILURES = {
    "backend-service": {"CKV_AWS_65"},  # container_insights left at its default (off: Container Insights costs extra)
    "chapter": {"CKV_AWS_65"},  # the same
    "minimal": {"CKV_AWS_65"},  # the same
    "production": {"CKV_AWS_260"},  # the HTTPS example's one finding: port 80 open, to redirect
    "sidecar": {"CKV_AWS_158"},  # kms_key = false: its log group keeps CloudWatch Logs' own encryption
}

# Bump both together: the version of checkov, and the date its own dependencies are resolved as of, so a
# release of one of them cannot change the tool under the test.
CHECKOV = "checkov==3.3.30"
CHECKOV_DEPENDENCIES_AS_OF = "2026-11-27T00:00:00Z"
OFFLINE_ENVIRONMENT = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "True", "BC_SKIP_MAPPING": "TRUE"}


def uv() -> list[str]:
    """uv itself: the one running `uv run pytest` (UV), else the one on PATH, else `python -m uv`."""
    if os.environ.get("UV"):
        return [os.environ["UV"]]
    if found := shutil.which("uv"):
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    raise AssertionError("checkov runs with uvx: install uv (pip install uv)")


EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.toml"))
WEB_SERVICE = ["web-service", "web-service-https", "web-service-domain", "web-service-blue-green"]


@dataclass(frozen=True)
class Checkov:
    reports: dict[str, dict]  # example -> its part of the one report
    without_network: bool  # ran in a network namespace of its own


@pytest.fixture(scope="session")
def checkov_run(tmp_path_factory: pytest.TempPathFactory) -> Checkov:
    """checkov's findings for each example's template, from one checkov run over all of them (it starts slowly)."""
    folder = tmp_path_factory.mktemp("checkov")
    for example in EXAMPLES:
        config = ROOT / "examples" / f"{example}.toml"
        result = run_tool("generate.py", "--config", str(config), "-o", str(folder / f"{example}.json"))
        assert result.returncode == 0, result.stderr
    isolated = network_namespace()
    report = checkov(folder, tmp_path_factory.mktemp("checkov-cache"), isolated)
    return Checkov({example: _for_file(report, f"/{example}.json") for example in EXAMPLES}, bool(isolated))


@pytest.fixture(scope="session")
def reports(checkov_run: Checkov) -> dict[str, dict]:
    return checkov_run.reports


def network_namespace() -> list[str]:
    """`unshare -rn`, where it works here (Linux, user namespaces allowed): a command's own network, with nothing."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=30)
    return [unshare, "-rn"] if probe.returncode == 0 else []


def tool_run(*arguments: str, offline: bool = False) -> list[str]:
    pinned = ["--python", sys.executable, "--exclude-newer", CHECKOV_DEPENDENCIES_AS_OF, "--from", CHECKOV]
    return [*uv(), "tool", "run", *(["--offline"] if offline else []), *pinned, *arguments]


def checkov(folder: Path, cache: Path, isolated: list[str]) -> dict:
    environment = {**os.environ, **OFFLINE_ENVIRONMENT, "CKV_CACHE_DIR": str(cache)}
    if isolated:  # the tool environment first (this may download), then checkov with no network at all
        made = subprocess.run(tool_run("python", "-c", "import checkov"), capture_output=True, text=True, timeout=600)
        assert made.returncode == 0, made.stderr
    command = ["checkov", "-d", str(folder), "--framework", "cloudformation", "--skip-download", "--output", "json"]
    result = subprocess.run(
        [*isolated, *tool_run(*command, offline=bool(isolated))],
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
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


@pytest.mark.parametrize("example", sorted(OTHER_FAILURES))
def test_every_other_example_fails_only_its_pinned_checks(reports, example):
    assert _failed(reports[example]) == OTHER_FAILURES[example]


def test_every_example_is_pinned():
    """A new example joins the one run, and a test here says what it may fail."""
    assert sorted([*WEB_SERVICE, *OTHER_FAILURES]) == EXAMPLES


def test_checkov_ran_without_a_network(checkov_run):
    """Its calls home are switched off; with a network namespace of its own, the run proves it."""
    if not checkov_run.without_network:
        pytest.skip("no network namespace here (unshare -rn): the offline switches are set, not proven")
    assert all(report["results"]["passed_checks"] for report in checkov_run.reports.values())
