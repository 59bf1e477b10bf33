"""Print the stack's CloudFormation template: upload it in the console or hand it to deploy.py."""

from __future__ import annotations

from container_infra.cli import parse_generate, run_main


def main() -> int:
    options = parse_generate()
    from container_infra.config import load_config
    from container_infra.output_file import write_atomically, write_stdout
    from templates import render

    text = render(load_config(options.config), options.format)
    if options.output:
        write_atomically(options.output, text)
    else:
        write_stdout(text)
    return 0


if __name__ == "__main__":
    run_main(main)
