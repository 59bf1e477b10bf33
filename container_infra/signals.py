"""SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal) take the same path as Ctrl-C.

Each raises KeyboardInterrupt (as `Terminated` for the two), so every `except KeyboardInterrupt` that
cleans up runs for all three; the exit code is the shell's 128 + the signal: 130 (SIGINT), 143
(SIGTERM), 129 (SIGHUP). Cleanup itself runs under `held()`, so a second signal cannot cut it short;
calls that must not be torn in half (creating or executing a change set) run under `deferred()`,
so a signal takes effect when the call has returned and its outcome is known.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(NAMES.get(signum, str(signum)))
        self.signum = signum


class _State:
    received: int | None = None  # the last signal, for the exit code
    holding: int = 0  # how deep in held() blocks
    pending: int | None = None  # a signal that arrived while held


_state = _State()


def install() -> None:
    """Route SIGINT, SIGTERM and SIGHUP through `_handle` (main thread only, as Python requires)."""
    for signum in HANDLED:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, _handle)


def _handle(signum: int, frame: FrameType | None) -> None:
    _state.received = signum
    if _state.holding:
        _state.pending = _state.pending or signum
        return
    raise _interrupt(signum)


def _interrupt(signum: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def received() -> int | None:
    """The last signal received, if any."""
    return _state.received


def exit_code(default: int) -> int:
    signum = received()
    return 128 + signum if signum else default


def name() -> str:
    signum = received()
    return NAMES.get(signum, "a signal") if signum else "Ctrl-C"


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Signals wait while cleanup runs, and are then dropped: the run is already ending for one."""
    _state.holding += 1
    try:
        yield
    finally:
        _state.holding -= 1
        if not _state.holding:
            _state.pending = None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Signals wait until the block is done, then take effect (the block's outcome is known by then)."""
    with held():
        _state.pending = None
        yield
        pending = _state.pending
    if pending is not None:
        raise _interrupt(pending)
