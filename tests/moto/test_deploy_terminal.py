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
