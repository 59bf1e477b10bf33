"""Print the stack's CloudFormation template: upload it in the console or hand it to deploy.py."""

from __future__ import annotations

import sys

from container_infra.cli import parse_generate, run_main


def main() -> int:
    options = parse_generate()
    from container_infra.config import load_config
    from container_infra.output_file import write_atomically
    from templates import render

    text = render(load_config(options.config), options.format)
    if options.output:
        write_atomically(options.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    run_main(main)
