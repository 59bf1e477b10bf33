"""Print the stack's CloudFormation template: upload it in the console or hand it to deploy.py."""

from __future__ import annotations

import sys

try:
    # Signals first: a SIGTERM while the rest loads then ends the run like one later on, with its line and code.
    from container_infra import signals

    signals.install()
    from container_infra.cli import parse_generate, run_main
except KeyboardInterrupt as stop:  # before run_main can say it: one line, not a traceback
    print(f"interrupted by {stop}" if stop.args else "interrupted", file=sys.stderr)
    sys.exit(128 + getattr(stop, "signum", 2))


def main() -> int:
    options = parse_generate()
    # The builder loads once the command line is read, so --help and usage errors answer without it.
    from container_infra.config import load_config
    from container_infra.output_file import write_atomically, write_stdout
    from templates import render, render_template

    if options.from_copilot is not None:
        from container_infra.copilot.run import converted_config

        text = converted_config(options.from_copilot, options.output)
    elif options.deploy_role is not None:
        from templates.deploy_role import deploy_role_template

        role = options.deploy_role
        text = render_template(deploy_role_template(role.trust_account, cfn_role=role.cfn_role), options.format)
    else:
        text = render(load_config(options.config, options.env), options.format)
    if options.output:
        write_atomically(options.output, text)
    else:
        write_stdout(text)
    return 0


if __name__ == "__main__":
    run_main(main)
