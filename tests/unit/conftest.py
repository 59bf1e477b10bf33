"""The unit tier runs in this process only: a test here that starts a program (generate.py, deploy.py, a probe
interpreter, checkov) or runs cfn-lint fails and says where it belongs, so the tier stays fast."""

from __future__ import annotations

import subprocess
from typing import Any, NoReturn

import pytest

from tests import helpers

ELSEWHERE = "belongs in tests/programs/ (tests/conftest.py names the tiers)"


@pytest.fixture(autouse=True)
def in_process_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_program(args: Any, *_: Any, **__: Any) -> NoReturn:
        raise AssertionError(f"a unit test started a program ({args!r}): it {ELSEWHERE}")

    def no_linter(template_text: str) -> NoReturn:
        raise AssertionError(f"a unit test ran cfn-lint: it {ELSEWHERE}")

    monkeypatch.setattr(subprocess, "Popen", no_program)
    monkeypatch.setattr(helpers, "_findings", no_linter)
