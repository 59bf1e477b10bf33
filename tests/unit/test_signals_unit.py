"""container_infra.signals: SIGTERM/SIGHUP raise like Ctrl-C; held() and deferred() keep cleanup whole."""

from __future__ import annotations

import os
import signal

import pytest

from container_infra import signals


@pytest.fixture
def installed():
    saved = {s: signal.getsignal(s) for s in signals.HANDLED}
    signals.install()
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)
    signals._state.received = None


def test_sigterm_raises_a_keyboard_interrupt_with_the_shell_exit_code(installed):
    with pytest.raises(KeyboardInterrupt) as raised:
        os.kill(os.getpid(), signal.SIGTERM)
    assert isinstance(raised.value, signals.Terminated)
    assert signals.exit_code(130) == 143 and signals.name() == "SIGTERM"


def test_held_keeps_a_block_whole_and_drops_the_signal(installed):
    finished = False
    with signals.held():
        os.kill(os.getpid(), signal.SIGHUP)
        finished = True
    assert finished and signals.exit_code(130) == 129


def test_deferred_raises_after_the_block(installed):
    done = []
    with pytest.raises(signals.Terminated):
        with signals.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("the call returned")
    assert done == ["the call returned"]
