"""The commands a run suggests (follow it, execute the kept change set, stop it) must act on the same stack in the
same account. Under --env that is `--config FILE --env NAME`: `--stack-name` alone would run with the base
credentials, in another account. The run says once which environment it is in; every hint reads it here, so no hint
can forget it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvironmentTarget:
    config: str
    name: str
    account: str


_current: ContextVar[EnvironmentTarget | None] = ContextVar("environment_target", default=None)


@contextmanager
def in_environment(target: EnvironmentTarget | None) -> Iterator[None]:
    """Hints made inside name `target` (None: no --env, the stack by its name and region)."""
    token = _current.set(target)
    try:
        yield
    finally:
        _current.reset(token)


def current_environment() -> EnvironmentTarget | None:
    """The environment this run acts in (None: no --env)."""
    return _current.get()


def stack_flags(stack_name: str, region: str | None = None) -> str:
    """deploy.py's flags that name this stack again: the environment's, or its name (and region)."""
    target = _current.get()
    if target is not None:
        return f"--config {target.config} --env {target.name}"
    return f"--stack-name {stack_name}" + (f" --region {region}" if region else "")


def aws_cli(command: str, stack_name: str, region: str | None = None, extra: str = "") -> str:
    """An aws CLI command on the stack; under --env it says whose credentials it needs, as the CLI uses its own."""
    where = f"--stack-name {stack_name}" + (f" --region {region}" if region else "") + (f" {extra}" if extra else "")
    target = _current.get()
    account = f" with credentials for account {target.account}" if target is not None else ""
    return f"`aws cloudformation {command} {where}`{account}"
