"""Print the stack's CloudFormation template: upload it in the console or hand it to deploy.py."""

from __future__ import annotations

import sys

try:
    from container_infra.cli import parse_generate, run_main
    from container_infra.config import load_config
    from container_infra.output_file import write_atomically, write_stdout
    from templates import render
except KeyboardInterrupt:  # Ctrl-C while these load, before run_main routes signals: one line, not a traceback
    print("interrupted", file=sys.stderr)
    sys.exit(130)  # EXIT_INTERRUPTED, written out: importing it could be what was interrupted


def main() -> int:
    options = parse_generate()
    if options.deploy_role is not None:
        from templates import render_template
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
