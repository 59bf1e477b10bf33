"""Deploy the stack with a CloudFormation change set: a precise diff, a question, then follow it to the end.

Exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input, refused or declined,
130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP, 3 --diff --exit-code found changes; with --status,
0 healthy and 1 not healthy.
"""

from __future__ import annotations

import sys

try:
    # Signals first: a SIGTERM while the rest loads then ends the run like one later on, with its line and code.
    from container_infra import signals

    signals.install()
    from container_infra.cli import parse_deploy, run_main
except KeyboardInterrupt as stop:  # before run_main can say it: one line, not a traceback
    print(f"interrupted by {stop}" if stop.args else "interrupted", file=sys.stderr)
    sys.exit(128 + getattr(stop, "signum", 2))


def main() -> int:
    options = parse_deploy()
    from container_infra.commands import run

    return run(options)


if __name__ == "__main__":
    run_main(main)
