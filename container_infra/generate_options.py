"""generate.py's three options, read without argparse when the command line is plain.

argparse costs a generate.py run 5-10 ms (the module, gettext and locale for its messages, shutil for the
help formatter's terminal width): as much as building the template. So the plain forms are read here:
`--config FILE`, `--format json|yaml`, `-o FILE` / `--output FILE` (and `--option=VALUE`), each at most once,
each value non-blank and not starting with '-'. Anything else (--help, an unknown or abbreviated option, a
repeated one, a missing, blank or dash-led value) goes to `cli.parse_generate`, the argparse parser that stays
the one definition of the command line: its help, its errors, its edge cases.
tests/unit/test_generate_options.py checks that the two agree.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from container_infra.options import FORMATS, GenerateOptions

PLAIN_OPTIONS = {"--config": "config", "--format": "format", "-o": "output", "--output": "output"}


def read_generate_options(argv: Sequence[str] | None = None) -> GenerateOptions:
    """generate.py's options: the plain forms here, everything else through argparse (help, errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = parse_plain(args)
    if options is not None:
        return options
    from container_infra.cli import parse_generate

    return parse_generate(args)


def parse_plain(args: Sequence[str]) -> GenerateOptions | None:
    """The options of a plain command line; None when argparse must read it."""
    values: dict[str, str] = {}
    rest = list(args)
    while rest:
        option = rest.pop(0)
        if option.startswith("--") and "=" in option:
            option, value = option.split("=", 1)
        elif rest:
            value = rest.pop(0)
        else:
            return None
        field = PLAIN_OPTIONS.get(option)
        if field is None or field in values or not value.strip() or value.startswith("-"):
            return None
        values[field] = value
    if values.get("format", "json") not in FORMATS:
        return None
    return GenerateOptions(**values)
