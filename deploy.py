"""Deploy the stack with a CloudFormation change set: a precise diff, a question, then follow it to the end.

Exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input, refused or declined,
130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP, 3 --diff --exit-code found changes; with --status,
0 healthy and 1 not healthy.
"""

from __future__ import annotations

import sys

try:
    from container_infra.cli import parse_deploy, run_main
except KeyboardInterrupt:  # Ctrl-C while these load, before run_main routes signals: one line, not a traceback
    print("interrupted", file=sys.stderr)
    sys.exit(130)  # EXIT_INTERRUPTED, written out: importing it could be what was interrupted


def main() -> int:
    options = parse_deploy()
    from container_infra.commands import run

    return run(options)


if __name__ == "__main__":
    run_main(main)
