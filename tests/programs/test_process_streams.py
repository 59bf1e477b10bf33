"""The process's own streams: an output that cannot encode a character, and a reader that goes away, never end a
run that did its work in AWS."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

REPORT = """
import time
from container_infra.cli.process import run_main
from container_infra.ui.output import Output

def main():
    out = Output()
    out.line("Stack web: CREATE_IN_PROGRESS → …")
    time.sleep(float({pause}))
    for n in range(2000):
        out.line(f"[{{n}}] ✓ CREATE_COMPLETE")
    out.document('{{"done": "✓"}}\\n')
    return 0

run_main(main)
"""


def _child(encoding: str | None, pause: float = 0) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONIOENCODING", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.Popen(
        [sys.executable, "-c", REPORT.format(pause=pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_an_output_that_cannot_encode_a_character_shows_an_escape(encoding):
    child = _child(encoding)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode(encoding, "replace")
    text = out.decode(encoding)
    assert text.startswith("Stack web: CREATE_IN_PROGRESS \\u2192 ") and "[1999] \\u2713 CREATE_COMPLETE" in text
    assert err == b""


def test_a_reader_that_goes_away_leaves_the_run_to_finish_with_its_own_exit_code():
    """`deploy.py --yes | head -1`: the rest of the report goes nowhere, stderr says so, the run ends 0."""
    child = _child(None, pause=0.5)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith(b"Stack web")
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0
    assert err == "note: stdout was closed; the rest of the report is not shown, the run goes on\n"
