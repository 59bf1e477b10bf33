"""Ctrl-C in the first milliseconds, while generate.py or deploy.py still imports what run_main needs.

A real Ctrl-C lands there by timing (about the first 50 ms, more on a cold cache); here an import hook raises
KeyboardInterrupt exactly when the module loads, as Python's own SIGINT handler does, so the test is deterministic.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

INTERRUPT_ON_IMPORT = """
import runpy, sys

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = [{script!r}]
runpy.run_path({script!r}, run_name="__main__")
"""


@pytest.mark.parametrize(
    ("script", "module"),
    [
        ("generate.py", "container_infra.cli"),
        ("generate.py", "container_infra.cli.process"),
        ("generate.py", "templates"),
        ("deploy.py", "container_infra.cli"),
        ("deploy.py", "container_infra.cli.process"),
    ],
)
def test_ctrl_c_while_the_entry_point_loads_is_one_line_and_exit_130(script, module):
    code = INTERRUPT_ON_IMPORT.format(module=module, script=script)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (130, "interrupted\n")


TERMINATE_ON_IMPORT = INTERRUPT_ON_IMPORT.replace(
    "            raise KeyboardInterrupt",
    "            import os, signal\n            os.kill(os.getpid(), signal.SIGTERM)",
)


@pytest.mark.parametrize(
    ("script", "module"),
    [
        ("generate.py", "container_infra.cli"),
        ("generate.py", "templates"),
        ("generate.py", "troposphere"),
        ("deploy.py", "container_infra.cli"),
        ("deploy.py", "container_infra.commands"),
    ],
)
def test_sigterm_while_the_entry_point_loads_is_one_line_and_exit_143(script, module):
    """A cancelled CI job: SIGTERM lands while the modules load, and still ends the run with its line and code."""
    code = TERMINATE_ON_IMPORT.format(module=module, script=script)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (143, "interrupted by SIGTERM\n")
