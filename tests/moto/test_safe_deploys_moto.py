"""Safe deploys from CI, run as CI runs them, against moto's server: the exit codes of --diff
--exit-code, a change set kept for review and executed after the merge, and the Markdown for the pull request."""

from __future__ import annotations

import re
from pathlib import Path

from tests.golden_files import GOLDEN, compare_golden
from tests.helpers import deploy, one_error_line, stack_or_none

STACK = "my-container-infra"


def _config(tmp_path: Path, memory: int, name: str = "app.toml") -> str:
    path = tmp_path / name
    path.write_text(f"[task]\ncpu = 512\nmemory_mib = {memory}\n")
    return str(path)


def _kept_name(result) -> str:
    match = re.search(r"deploy\.py --execute (\S+) --stack-name", result.stdout + result.stderr)
    assert match, (result.stdout, result.stderr)
    return match.group(1)


def _available(cloudformation) -> list[str]:
    return [
        s["ChangeSetName"]
        for s in cloudformation.list_change_sets(StackName=STACK)["Summaries"]
        if s["ExecutionStatus"] == "AVAILABLE"
    ]


def test_exit_code_is_3_with_changes_and_0_without(aws_env, aws):
    assert deploy(aws_env, "--diff", "--exit-code").returncode == 3  # a new stack: everything changes
    assert stack_or_none(aws("cloudformation"), STACK) is None  # and --diff left nothing behind
    assert deploy(aws_env, "--diff").returncode == 0  # without --exit-code, a diff is a success
    assert deploy(aws_env, "--yes").returncode == 0
    unchanged = deploy(aws_env, "--diff", "--exit-code")
    assert unchanged.returncode == 0 and "No changes" in unchanged.stdout


def test_exit_code_without_diff_is_refused_in_one_line(aws_env):
    line = one_error_line(deploy(aws_env, "--exit-code", "--yes"))
    assert "--exit-code goes with --diff" in line


def test_keep_then_execute_deploys_exactly_the_reviewed_change_set(aws_env, aws, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    cf = aws("cloudformation")
    reviewed = deploy(aws_env, "--diff", "--keep", "--exit-code", "--config", _config(tmp_path, 2048))
    assert reviewed.returncode == 3, reviewed.stderr
    name = _kept_name(reviewed)
    assert f"Kept change set {name} (arn:aws:cloudformation:eu-west-1:123456789012:changeSet/{name}/" in reviewed.stdout
    assert _available(cf) == [name]

    executed = deploy(aws_env, "--execute", name, "--yes")  # no --config: the change set carries its template
    assert executed.returncode == 0, executed.stderr
    assert f"Executing the reviewed change set {name}" in executed.stdout
    assert "└─ [~] Memory: 1024 → 2048" in executed.stdout  # the same diff as the review, before following
    assert f"✓ {STACK}: UPDATE_COMPLETE" in executed.stdout
    params = {
        p["ParameterKey"]: p["ParameterValue"] for p in cf.describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]
    }
    assert params["TaskMemory"] == "2048"

    again = one_error_line(deploy(aws_env, "--execute", name, "--yes"))
    assert f"--execute {name}: not executing: it is EXECUTE_COMPLETE" in again and "not AVAILABLE" in again


def test_execute_refuses_a_change_set_made_before_the_stack_changed(aws_env, aws, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    first = _kept_name(deploy(aws_env, "--diff", "--keep", "--config", _config(tmp_path, 2048, "a.toml")))
    second = _kept_name(deploy(aws_env, "--diff", "--keep", "--config", _config(tmp_path, 4096, "b.toml")))
    assert deploy(aws_env, "--execute", second, "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--execute", first, "--yes"))
    assert re.search(
        rf"--execute {first}: not executing: (it is OBSOLETE|stack {STACK} changed at .* after the change set was "
        r"made at )",
        line,
    ), line
    params = {
        p["ParameterKey"]: p["ParameterValue"]
        for p in aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]
    }
    assert params["TaskMemory"] == "4096"  # the stale one did not run


def test_keep_of_a_new_stack_leaves_the_review_stack_until_executed(aws_env, aws):
    name = _kept_name(deploy(aws_env, "--diff", "--keep"))
    cf = aws("cloudformation")
    assert stack_or_none(cf, STACK)["StackStatus"] == "REVIEW_IN_PROGRESS"
    executed = deploy(aws_env, "--execute", name, "--yes")
    assert executed.returncode == 0, executed.stderr
    assert stack_or_none(cf, STACK)["StackStatus"] == "CREATE_COMPLETE"


def test_execute_of_an_unknown_change_set_is_one_line(aws_env):
    assert deploy(aws_env, "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--execute", "container-infra-nope", "--yes"))
    assert line.startswith("error: --execute container-infra-nope: no such change set on stack my-container-infra")


def test_markdown_for_a_pull_request_matches_the_stored_file(aws_env, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    result = deploy(aws_env, "--diff", "--keep", "--markdown", "--config", _config(tmp_path, 2048))
    assert result.returncode == 0, result.stderr
    name = _kept_name(result)
    markdown = result.stdout.replace(name, "CHANGE_SET_NAME")
    assert "Kept change set" in result.stderr and "Kept change set" not in result.stdout  # stdout is the comment, only
    compare_golden(GOLDEN / "markdown-memory.md", markdown)


def test_markdown_of_a_new_stack_folds_iam_into_a_collapsible_section(aws_env):
    result = deploy(aws_env, "--diff", "--markdown")
    assert result.returncode == 0, result.stderr
    assert "<details><summary>IAM statement changes (1)</summary>" in result.stdout
    compare_golden(GOLDEN / "markdown-new-stack.md", result.stdout)


def test_execute_takes_the_arn_from_the_json_diff(aws_env, aws, tmp_path):
    import json

    assert deploy(aws_env, "--yes").returncode == 0
    reviewed = deploy(aws_env, "--diff", "--keep", "--json", "--config", _config(tmp_path, 2048))
    assert reviewed.returncode == 0, reviewed.stderr
    arn = json.loads(reviewed.stdout)["changeSet"]
    assert arn.startswith("arn:aws:cloudformation:eu-west-1:123456789012:changeSet/container-infra-")
    executed = deploy(aws_env, "--execute", arn, "--yes", "--json")
    assert executed.returncode == 0, executed.stderr
    assert (
        json.loads(executed.stdout)["parameters"][0]["new"] == "2048"
    )  # the diff as JSON on stdout, the follow on stderr


def test_a_deploy_after_a_kept_change_set_names_it_as_kept_not_as_another_run(aws_env, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    name = _kept_name(deploy(aws_env, "--diff", "--keep", "--config", _config(tmp_path, 2048)))
    line = one_error_line(deploy(aws_env, "--yes", "--config", _config(tmp_path, 4096, "other.toml")))
    assert f"change set {name} on {STACK} was kept for review (--diff --keep)" in line
    assert f"execute it with --execute {name}, or throw it away with `deploy.py --discard {name}" in line
    assert "another deploy.py run" not in line
