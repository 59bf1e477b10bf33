"""The suite in three tiers, one folder each, by what the tests need (README, "Development"):

- tests/unit/: in-process only (no subprocess, no external linter); tests/unit/conftest.py enforces it;
- tests/programs/: generate.py and deploy.py run as programs, and the external linters (cfn-lint, checkov);
- tests/moto/: deploy.py against moto's server (tests/moto/conftest.py starts it).
"""

from __future__ import annotations

import pytest

from tests.fakes.clock import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()
