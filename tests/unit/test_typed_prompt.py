"""The typed stack-name confirmation of an allowed replacement: approve_typed, read_line and the approval step.

The real read_line runs here, on a replaced sys.stdin and sys.stderr: end of input refuses, the name is compared as
typed (case and all), the prompt goes to stderr (stdout may carry --json or --markdown) and is flushed before the
read, and a deploy with --json keeps its stdout a JSON document while it asks.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.diff.model import Diff, GuardedChange
from container_infra.diff.security import IamStatement
from container_infra.diff.validation import Validation
from container_infra.errors import UserError
from container_infra.steps.approve import ACCESS_WARNING, Asking, approve
from container_infra.steps.plan import Plan
from container_infra.ui.approval import approve_typed, read_line
from tests.fakes import stubs
from tests.fakes.recorded_output import RecordedLines, RecordedStream

NAME = "my-Stack"  # mixed case: a comparison without case would take "my-stack"


def _end_of_input(question: str) -> str:
    raise EOFError


def _refusal(typed: str) -> str:
    return f"declined: nothing changed (replacing needs the stack name {NAME!r} typed, not {typed!r})"


@pytest.mark.parametrize("answer", [f"{NAME}\n", NAME, f"  {NAME} \n"])
def test_the_name_as_typed_is_agreement(answer):
    approve_typed(RecordedLines(), "Type it:", NAME, yes=False, tty=True, typed=lambda q: answer)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("my-stack\n", "my-stack"),  # case matters: a stack name is case-sensitive
        ("MY-STACK\n", "MY-STACK"),
        ("y\n", "y"),
        ("yes\n", "yes"),
        ("my-Stac\n", "my-Stac"),
        (f"{NAME}x\n", f"{NAME}x"),
        ("\n", ""),
        ("", ""),
    ],
)
def test_any_other_line_is_a_refusal(answer, shown):
    with pytest.raises(UserError) as refused:
        approve_typed(RecordedLines(), "Type it:", NAME, yes=False, tty=True, typed=lambda q: answer)  # type: ignore[arg-type]
    assert str(refused.value) == _refusal(shown)
    assert refused.value.exit_code == 2


def test_end_of_input_is_a_refusal_not_the_name():
    with pytest.raises(UserError) as refused:
        approve_typed(RecordedLines(), "Type it:", NAME, yes=False, tty=True, typed=_end_of_input)  # type: ignore[arg-type]
    assert str(refused.value) == _refusal("")


def test_the_warning_comes_before_the_question():
    out, asked = RecordedLines(), []

    def typed(question: str) -> str:
        asked.append((question, list(out.lines)))
        return NAME

    approve_typed(out, "Type it:", NAME, yes=False, tty=True, typed=typed, warning="BROADENS")  # type: ignore[arg-type]
    assert asked == [("Type it:", [("BROADENS", "bold red")])]
    approve_typed(out, "Again:", NAME, yes=False, tty=True, typed=typed)  # type: ignore[arg-type]
    assert asked[1] == ("Again:", [("BROADENS", "bold red")])  # no warning given: no line


def _never(question: str) -> str:
    raise AssertionError("asked")


def test_yes_never_asks_and_no_terminal_refuses_without_asking():
    out = RecordedLines()
    approve_typed(out, "Type it:", NAME, yes=True, tty=False, typed=_never, warning="W")  # type: ignore[arg-type]
    approve_typed(out, "Type it:", NAME, yes=True, tty=True, typed=_never, warning="W")  # type: ignore[arg-type]
    with pytest.raises(UserError) as refused:
        approve_typed(out, "Type it:", NAME, yes=False, tty=False, typed=_never, warning="W")  # type: ignore[arg-type]
    assert str(refused.value) == (
        "not deploying: no terminal to ask for approval and no --yes; nothing changed (pass --yes to go ahead "
        "without asking)"
    )
    assert out.lines == []


def test_read_line_prompts_on_stderr_flushed_and_returns_the_line(monkeypatch):
    stdout, stderr = RecordedStream(), RecordedStream()
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{NAME}\nmore\n"))
    assert read_line("Type the stack name:") == f"{NAME}\n"
    assert "".join(stderr.calls) == "Type the stack name: <flush>"
    assert stderr.calls[-1] == "<flush>"  # shown before the read waits: stderr need not flush without a newline
    assert stdout.calls == []  # stdout may be a --json or --markdown document


def test_read_line_at_end_of_input_raises(monkeypatch):
    stdout, stderr = RecordedStream(), RecordedStream()
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(EOFError):
        read_line("Type it:")
    assert "".join(stderr.calls) == "Type it: <flush>" and stdout.calls == []


@pytest.mark.parametrize(("stdin", "agreed"), [(f"{NAME}\n", True), ("", False), ("my-stack\n", False)])
def test_the_real_prompt_on_a_terminal(monkeypatch, capsys, stdin, agreed):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if agreed:
        approve_typed(RecordedLines(), "Type it:", NAME, yes=False, tty=True, typed=read_line)  # type: ignore[arg-type]
    else:
        with pytest.raises(UserError, match="^declined"):
            approve_typed(RecordedLines(), "Type it:", NAME, yes=False, tty=True, typed=read_line)  # type: ignore[arg-type]
    assert capsys.readouterr() == ("", "Type it: ")


# The approval step: what stops, what asks y/N, what asks for the name.

LISTENER = GuardedChange("Listener", "AWS::ElasticLoadBalancingV2::Listener", "replaced", "carries traffic")
ALLOW = IamStatement("Role", "Allow", "s3:GetObject", "*", "")


def _plan(**diff_fields: Any) -> Plan:
    diff = Diff(**diff_fields)
    return Plan(NAME, "eu-west-1", {}, diff, new_stack=False)


class _Asked:
    """An Asking's prompts, recording the questions."""

    def __init__(self, *, agree: bool = True, typed: str = NAME) -> None:
        self.questions: list[tuple[str, str]] = []
        self.agree, self.answer = agree, typed

    def prompt(self, question: str) -> bool:
        self.questions.append(("y/N", question))
        return self.agree

    def typed(self, question: str) -> str:
        self.questions.append(("typed", question))
        return self.answer

    def asking(self, *, yes: bool = False, tty: bool = True) -> Asking:
        return Asking(yes, tty, self.prompt, self.typed)


TYPED_QUESTION = f"This replaces or removes what carries traffic or data. Type the stack name ({NAME}) to deploy:"


def test_a_guarded_change_without_allow_replacement_is_refused_naming_it():
    asked = _Asked()
    with pytest.raises(UserError) as refused:
        approve(_plan(guarded=[LISTENER]), asked.asking(yes=True), RecordedLines(), allow_replacement=False)  # type: ignore[arg-type]
    assert str(refused.value).startswith(f"not deploying to {NAME}: the change set replaces or removes 1 resource(s)")
    assert refused.value.details == ("AWS::ElasticLoadBalancingV2::Listener Listener is REPLACED (carries traffic)",)
    assert asked.questions == []


def test_an_allowed_guarded_change_asks_for_the_name_not_y():
    asked = _Asked()
    approve(_plan(guarded=[LISTENER]), asked.asking(), RecordedLines(), allow_replacement=True)  # type: ignore[arg-type]
    assert asked.questions == [("typed", TYPED_QUESTION)]


def test_an_allowed_guarded_change_typed_wrong_is_refused():
    asked = _Asked(typed=NAME.lower())
    with pytest.raises(UserError, match="^declined"):
        approve(_plan(guarded=[LISTENER]), asked.asking(), RecordedLines(), allow_replacement=True)  # type: ignore[arg-type]


def test_an_allowed_guarded_change_without_a_terminal_needs_yes():
    asked = _Asked()
    with pytest.raises(UserError, match="^not deploying: no terminal"):
        approve(_plan(guarded=[LISTENER]), asked.asking(tty=False), RecordedLines(), allow_replacement=True)  # type: ignore[arg-type]
    approve(_plan(guarded=[LISTENER]), asked.asking(yes=True, tty=False), RecordedLines(), allow_replacement=True)  # type: ignore[arg-type]
    assert asked.questions == []


@pytest.mark.parametrize("guarded", [[], [LISTENER]])
def test_broadened_access_is_the_warning_before_either_question(guarded):
    asked, out = _Asked(), RecordedLines()
    approve(_plan(guarded=guarded, iam_added=[ALLOW]), asked.asking(), out, allow_replacement=True)  # type: ignore[arg-type]
    assert out.lines == [(ACCESS_WARNING, "bold red")]
    assert len(asked.questions) == 1


def test_a_plain_change_asks_y_with_the_stack_and_region():
    asked, out = _Asked(), RecordedLines()
    approve(_plan(), asked.asking(), out, allow_replacement=False)  # type: ignore[arg-type]
    assert asked.questions == [("y/N", f"Deploy these changes to {NAME} in eu-west-1?")]
    assert out.lines == []
    with pytest.raises(UserError, match=r"^declined: nothing changed \(deploying needs a 'y'\)$"):
        approve(_plan(), _Asked(agree=False).asking(), out, allow_replacement=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("allow", [False, True])
def test_a_failed_validation_stops_before_the_guard_and_any_question(allow):
    asked = _Asked()
    failed = Validation("NAME_CONFLICT", "FAIL", "FAILED", "bucket name taken", "Bucket")
    skipped = Validation("OTHER", "FAIL", "SKIPPED", "not run")
    plan = _plan(guarded=[LISTENER], validations=[failed, skipped])
    with pytest.raises(UserError) as refused:
        approve(plan, asked.asking(yes=True), RecordedLines(), allow_replacement=allow)  # type: ignore[arg-type]
    assert str(refused.value) == (
        f"not deploying to {NAME}: CloudFormation's validation NAME_CONFLICT failed: bucket name taken"
    )
    assert asked.questions == []


def test_a_skipped_or_warning_validation_does_not_stop():
    asked = _Asked()
    shown = [Validation("OTHER", "FAIL", "SKIPPED", "not run"), Validation("W", "WARN", "FAILED", "just a warning")]
    approve(_plan(validations=shown), asked.asking(), RecordedLines(), allow_replacement=False)  # type: ignore[arg-type]
    assert asked.questions == [("y/N", f"Deploy these changes to {NAME} in eu-west-1?")]


# A whole deploy with --json on a terminal: the typed prompt on stderr, the JSON document alone on stdout.


def test_a_json_deploy_asks_for_the_name_on_stderr_and_keeps_stdout_json(tmp_path, monkeypatch, capsys):
    from container_infra.cli import parse_deploy
    from container_infra.commands import run
    from tests.fakes.stubs import stub_aws
    from tests.unit.test_safety_stubbed import _listener_replaced
    from tests.unit.test_safety_stubbed import _plan as _stub_plan

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # the input ends: no name typed
    cf = stubs.cloudformation_client()
    deployed, template, changes = _listener_replaced(tmp_path)
    with Stubber(cf) as stub:
        _stub_plan(stub, deployed, changes)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as refused:
            run(
                parse_deploy(["--template", template, "--allow-replacement", "--json"]),
                aws=stub_aws(stubs.REGION, cloudformation=cf),
                tty=True,
            )
        stub.assert_no_pending_responses()  # no execute_change_set
    assert str(refused.value) == (
        "declined: nothing changed (replacing needs the stack name 'my-container-infra' typed, not '')"
    )
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert [g["logicalId"] for g in document["guardedResources"]] == ["Listener"]
    assert captured.err.endswith(
        "This replaces or removes what carries traffic or data. Type the stack name (my-container-infra) to deploy: "
    )
