"""What both command-line tools share: one-line errors and exit codes, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import NoReturn

from container_infra.errors import EXIT_FAILED, EXIT_OK, EXIT_INTERRUPTED, EXIT_USAGE, DeployFailed, Interrupted, UserError


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit 2), not usage plus error."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def run_main(main: Callable[[], int]) -> NoReturn:
    """Run a CLI entry point, mapping known errors to one line on stderr and an exit code."""
    try:
        code = main()
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        code = error.exit_code
    except DeployFailed as error:
        print(f"failed: {error}", file=sys.stderr)
        code = error.exit_code
    except Interrupted as error:
        print(f"interrupted: {error}", file=sys.stderr)
        code = error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as error:  # a bug of ours: still one line, the traceback on request
        if os.environ.get("CONTAINER_INFRA_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error} (set CONTAINER_INFRA_DEBUG=1 for the traceback)", file=sys.stderr)
        code = EXIT_FAILED
    sys.exit(code)
