"""Run deploy.py on a pseudo-terminal, as a person at a keyboard: read the prompt, answer or press Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from tests.helpers import ROOT


def _default_signals() -> None:
    """A person's shell starts deploy.py with Ctrl-C live, even when pytest runs as a background job
    (which starts with SIGINT ignored, and children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class TerminalRun:
    output: str
    returncode: int


def run_on_terminal(
    env: dict[str, str],
    *args: str,
    answer: str | None = None,
    interrupt: bool = False,
    wait_for: str = "[y/N]",
    signal_number: int = signal.SIGINT,
) -> TerminalRun:
    """Start deploy.py with a terminal as stdin/stdout/stderr; at `wait_for`, type `answer` or send `signal_number`."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy.py"), *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=ROOT,
        close_fds=True,
        preexec_fn=_default_signals,
    )
    os.close(terminal)
    output = b""
    answered = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        if not answered and wait_for.encode() in output:
            answered = True
            if interrupt:
                process.send_signal(signal_number)
            elif answer is not None:
                os.write(controller, (answer + "\n").encode())
        if process.poll() is not None and not ready:
            break
    process.wait(timeout=60)
    os.close(controller)
    return TerminalRun(output.decode(errors="replace").replace("\r\n", "\n"), process.returncode)
