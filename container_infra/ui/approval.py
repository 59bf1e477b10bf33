"""Asking before anything changes: a person on a terminal, or --yes; never silently."""

from __future__ import annotations

import sys
from collections.abc import Callable

from container_infra.errors import UserError
from container_infra.ui.output import Output

Prompt = Callable[[str], bool]
TypedPrompt = Callable[[str], str]  # a question; the line typed in answer


def approve(
    out: Output,
    question: str,
    *,
    yes: bool,
    tty: bool,
    prompt: Prompt,
    warning: str | None = None,
    what: str = "deploying",
) -> None:
    """Return when approved; raise UserError (exit 2) when refused or declined."""
    if yes:
        return
    if not tty:
        raise UserError(
            f"not {what}: no terminal to ask for approval and no --yes; nothing changed (pass --yes to go ahead "
            "without asking)"
        )
    if warning:
        out.line(warning, "bold red")
    try:
        agreed = prompt(question)
    except EOFError:  # Ctrl-D, or a closed stdin: no answer is no
        raise UserError(f"declined: no answer (end of input); nothing changed ({what} needs a 'y')") from None
    if not agreed:
        raise UserError(f"declined: nothing changed ({what} needs a 'y')")


def confirm(question: str) -> bool:
    """Ask on the terminal; only 'y' or 'yes' agrees. Raises EOFError when there is no answer."""
    print(f"{question} [y/N] ", end="", flush=True, file=sys.stderr)
    answer = sys.stdin.readline()
    if not answer:
        raise EOFError
    return answer.strip().lower() in ("y", "yes")


def stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def approve_typed(
    out: Output, question: str, expected: str, *, yes: bool, tty: bool, typed: TypedPrompt, warning: str | None = None
) -> None:
    """Like `approve`, but the person types `expected` (the stack name) instead of y: a replacement is not a reflex."""
    if yes:
        return
    if not tty:
        raise UserError(
            "not deploying: no terminal to ask for approval and no --yes; nothing changed (pass --yes to go ahead "
            "without asking)"
        )
    if warning:
        out.line(warning, "bold red")
    try:
        answer = typed(question)
    except EOFError:
        answer = ""
    if answer.strip() != expected:
        raise UserError(
            f"declined: nothing changed (replacing needs the stack name {expected!r} typed, not {answer.strip()!r})"
        )


def read_line(question: str) -> str:
    """Ask on the terminal; the line typed. Raises EOFError when there is no answer."""
    print(f"{question} ", end="", flush=True, file=sys.stderr)
    answer = sys.stdin.readline()
    if not answer:
        raise EOFError
    return answer
