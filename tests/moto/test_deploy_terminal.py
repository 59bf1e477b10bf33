"""The approval prompt on a real pseudo-terminal: yes deploys, no declines, Ctrl-C cleans up."""

from __future__ import annotations

from tests.fakes.terminal import run_on_terminal
from tests.helpers import ROOT, stack_or_none

STACK = "my-container-infra"


def test_yes_on_the_terminal_deploys(aws_env, aws):
    run = run_on_terminal(aws_env, answer="y")
    assert run.returncode == 0, run.output
    assert f"Deploy these changes to {STACK} in eu-west-1? [y/N]" in run.output
    assert "BROADEN ACCESS" in run.output  # a new IAM trust statement
    assert "CREATE_COMPLETE" in run.output
    assert stack_or_none(aws("cloudformation"), STACK)["StackStatus"] == "CREATE_COMPLETE"


def test_no_on_the_terminal_declines_and_leaves_nothing(aws_env, aws):
    run = run_on_terminal(aws_env, answer="n")
    assert run.returncode == 2, run.output
    assert "declined" in run.output
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_enter_alone_declines(aws_env, aws):
    run = run_on_terminal(aws_env, answer="")
    assert run.returncode == 2 and "declined" in run.output


def test_ctrl_c_at_the_prompt_deletes_the_change_set(aws_env, aws):
    run = run_on_terminal(aws_env, interrupt=True)
    assert run.returncode == 130, run.output
    assert "nothing was deployed; the change set was deleted" in run.output
    assert "Traceback" not in run.output
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_update_without_new_access_has_no_warning(aws_env, aws, tmp_path):
    # (moto cannot update a stack whose List<> parameter keeps its previous value: this template has none)
    template = str(ROOT / "tests" / "data" / "sg-template.yaml")
    first = run_on_terminal(aws_env, "--template", template, answer="y")
    assert first.returncode == 0 and "BROADEN ACCESS" in first.output  # new ingress from 0.0.0.0/0
    changed = tmp_path / "t.yaml"
    changed.write_text(
        (ROOT / "tests" / "data" / "sg-template.yaml").read_text().replace("RetentionInDays: 7", "RetentionInDays: 14")
    )
    second = run_on_terminal(aws_env, "--template", str(changed), answer="y")
    assert second.returncode == 0, second.output
    assert "[~] RetentionInDays: 7 → 14" in second.output
    assert "BROADEN ACCESS" not in second.output


def test_destroy_asks_on_the_terminal(aws_env, aws):
    assert run_on_terminal(aws_env, answer="y").returncode == 0
    run = run_on_terminal(aws_env, "--destroy", answer="y")
    assert run.returncode == 0, run.output
    assert f"Destroy stack {STACK} in eu-west-1? [y/N]" in run.output
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_ctrl_d_at_the_prompt_declines_and_leaves_nothing(aws_env, aws):
    """End of input (Ctrl-D) is no answer: exit 2, nothing deployed, the change set and review stack gone."""
    run = run_on_terminal(aws_env, answer="\x04")
    assert run.returncode == 2, run.output
    assert "declined: no answer (end of input); nothing changed" in run.output
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_the_rollout_wait_is_shown_live_and_ctrl_c_during_it_says_the_rollout_goes_on(aws_env, aws, monkeypatch):
    """On a terminal, rich's live display redraws the rollout's stage, task counts and elapsed time; Ctrl-C during it
    ends as it does without it, and gives the terminal back with its cursor."""
    monkeypatch.delenv("MOTO_ECS_SERVICE_RUNNING", raising=False)  # moto starts no task: the rollout does not settle
    live_row = "ECS WebappService: rolling out, IN_PROGRESS: running 0/2, pending 2"
    web = str(ROOT / "examples" / "web-service.toml")
    run = run_on_terminal(aws_env, "--config", web, "--yes", interrupt=True, wait_for=f"{live_row} 0:00:02")
    assert run.returncode == 130, run.output
    waited = run.output[run.output.index("Waiting for the ECS rollout to settle") :]
    assert f"{live_row} 0:00:01" in waited and f"{live_row} 0:00:02" in waited  # redrawn as the seconds pass
    assert "still rolling out" not in waited  # the plain lines are for logs, not for a terminal
    assert "stopped watching the ECS rollout; CloudFormation has finished and the rollout goes on in ECS" in waited
    assert "\x1b[?25h" in waited  # the display ended: the cursor is back
    assert "Traceback" not in run.output
