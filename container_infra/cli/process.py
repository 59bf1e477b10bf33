"""How both tools run as a process: known errors become one line on stderr and an exit code."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

from container_infra import signals
from container_infra.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, DeployFailed, Interrupted, UserError
from container_infra.render.visible import visible


def run_main(main: Callable[[], int]) -> NoReturn:
    """Run a CLI entry point, mapping known errors to one line on stderr and an exit code.

    SIGTERM and SIGHUP are handled like Ctrl-C (see `container_infra.signals`): exit 143 and 129, Ctrl-C 130."""
    signals.install()
    _never_fail_on_encoding()
    try:
        code = main()
    except UserError as error:
        _say(f"error: {error}", error.details)
        code = error.exit_code
    except DeployFailed as error:
        _say(f"failed: {error}")
        code = error.exit_code
    except Interrupted as error:
        _say(f"{_interrupted(signals.received())}: {error}")
        code = signals.exit_code(error.exit_code)
    except KeyboardInterrupt:
        _say(_interrupted(signals.received()))
        code = signals.exit_code(EXIT_INTERRUPTED)
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as error:  # a bug of ours: still one line, the traceback on request
        if os.environ.get("CONTAINER_INFRA_DEBUG"):
            raise
        print(
            f"internal error: {type(error).__name__}: {error} (set CONTAINER_INFRA_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        code = EXIT_FAILED
    _skip_the_last_collection()
    sys.exit(code)


def _never_fail_on_encoding() -> None:
    """An output that cannot encode a character (PYTHONIOENCODING=ascii, a latin-1 terminal) shows it as an escape
    (`\u2192`) instead of ending the run: what was done in AWS must still be reported."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (OSError, ValueError):
                pass


def _skip_the_last_collection() -> None:
    """Freeze every object out of the garbage collection Python runs as it ends.

    That last walk visits every object troposphere, botocore and rich made, a visible part of a short run
    (bench/generate and bench/deploy show it). The process is ending and the OS takes the memory back, so the walk
    buys nothing. Files are still flushed and closed as usual."""
    gc.freeze()


def _say(line: str, items: tuple[str, ...] = ()) -> None:
    """The last line, on one line, and the items it refers to as a list under it; a terminal that is gone (SIGHUP)
    must not turn it into a traceback."""
    try:
        listed = "".join(f"\n  - {visible(' '.join(item.split()))}" for item in items)
        print(visible(" ".join(line.split("\n"))) + listed, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _interrupted(signum: int | None) -> str:
    return (
        "interrupted"
        if signum in (None, signals.signal.SIGINT)
        else f"interrupted by {signals.NAMES.get(signum, signum)}"
    )
