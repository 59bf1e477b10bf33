"""generate.py reads plain command lines without argparse, and agrees with argparse on every one of them."""

from __future__ import annotations

import pytest

from container_infra.cli import parse_generate
from container_infra.errors import UserError
from container_infra.generate_options import GenerateOptions, parse_plain, read_generate_options

PLAIN = [
    [],
    ["--config", "app.toml"],
    ["--config=app.toml"],
    ["--format", "yaml"],
    ["--format=json"],
    ["-o", "out.json"],
    ["--output", "dir/out file.yaml", "--format", "yaml"],
    ["--output=out.json", "--config", "examples/web-service.toml"],
    ["--config", "a=b.toml", "-o", "x"],
]
# Forms argparse must judge: help, unknown or abbreviated options, repeats, missing, blank or dash-led values.
FOR_ARGPARSE = [
    ["--help"],
    ["-h"],
    ["--conf", "app.toml"],
    ["--config", "a.toml", "--config", "b.toml"],
    ["--config"],
    ["--config", ""],
    ["--config", "  "],
    ["--config=-weird.toml"],
    ["-o", "-"],
    ["-oout.json"],
    ["--format", "xml"],
    ["app.toml"],
    ["--", "--config", "a.toml"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_command_lines_read_as_argparse_reads_them(argv):
    plain = parse_plain(argv)
    assert plain is not None
    assert plain == parse_generate(argv)


def test_the_values_land_in_their_fields():
    assert parse_plain(["--config", "a.toml", "--format", "yaml", "-o", "t.yaml"]) == GenerateOptions("a.toml", "yaml", "t.yaml")
    assert parse_plain([]) == GenerateOptions(None, "json", None)


@pytest.mark.parametrize("argv", FOR_ARGPARSE, ids=" ".join)
def test_everything_else_is_left_to_argparse(argv):
    assert parse_plain(argv) is None


def test_repeated_options_read_as_argparse_reads_them():
    """The last one wins, as in argparse: the fallback is argparse itself."""
    assert read_generate_options(["--format", "json", "--format", "yaml"]) == GenerateOptions(format="yaml")
    assert read_generate_options(["--config=-weird.toml"]) == GenerateOptions(config="-weird.toml")


def test_a_blank_value_is_still_refused():
    with pytest.raises(UserError, match="--config"):
        read_generate_options(["--config", " "])
