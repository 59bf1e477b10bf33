"""Print the stack's CloudFormation template: upload it in the console or hand it to deploy.py."""

from __future__ import annotations

import sys
from pathlib import Path

from argparse import Namespace, RawDescriptionHelpFormatter

from container_infra.cli import ArgumentParser, run_main
from container_infra.errors import UserError

EXAMPLES = """examples:
  uv run generate.py > template.json             the chapter's stack, built-in defaults
  uv run generate.py --config app.toml           your own app
  uv run generate.py --format yaml -o stack.yaml YAML, written to a file
"""


def parse_args(argv: list[str] | None = None) -> Namespace:
    parser = ArgumentParser(
        prog="generate.py",
        description="Emit the CloudFormation template of an ECS Fargate web app.",
        epilog=EXAMPLES,
        formatter_class=RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", metavar="FILE", help="TOML config file (default: the chapter's stack)")
    parser.add_argument("--format", choices=("json", "yaml"), default="json", help="template format (default: json)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return parser.parse_args(argv)


def render(config_path: str | None, fmt: str) -> str:
    from container_infra.config import load_config
    from templates import build_template

    template = build_template(load_config(config_path))
    return template.to_yaml() if fmt == "yaml" else template.to_json(indent=2) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write the whole template or nothing: a half-written file is never left behind."""
    import os
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"--output {path}: directory {directory} does not exist")
    handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError as error:
        os.unlink(temp)
        raise UserError(f"--output {path}: cannot write ({error.strerror})") from None


def main() -> int:
    args = parse_args()
    text = render(args.config, args.format)
    if args.output:
        write_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    run_main(main)
