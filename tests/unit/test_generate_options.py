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
    assert parse_plain(["--config", "a.toml", "--format", "yaml", "-o", "t.yaml"]) == GenerateOptions(
        "a.toml", "yaml", "t.yaml"
    )
    assert parse_plain([]) == GenerateOptions(None, "json", None)


@pytest.mark.parametrize("argv", FOR_ARGPARSE, ids=" ".join)
def test_everything_else_is_left_to_argparse(argv):
    assert parse_plain(argv) is None


def test_a_repeated_option_is_refused_by_both_readers(capsys):
    """The plain reader hands a repeat to argparse, which refuses it: the last one silently winning would write (or,
    in deploy.py, deploy) something other than what half the command line says."""
    with pytest.raises(SystemExit) as refused:
        read_generate_options(["--format", "json", "--format", "yaml"])
    assert refused.value.code == 2
    assert (
        capsys.readouterr().err
        == "error: argument --format: given twice ('json', then 'yaml'); give it once (see generate.py --help)\n"
    )


def test_a_dash_led_value_goes_through_argparse():
    assert read_generate_options(["--config=-weird.toml"]) == GenerateOptions(config="-weird.toml")


@pytest.mark.parametrize(
    "args", [["--config", "a.toml", "--config", "b.toml"], ["--stack-name", "a", "--stack-name=b"]]
)
def test_deploy_refuses_a_repeated_single_value_option(args, capsys):
    from container_infra.cli import parse_deploy

    with pytest.raises(SystemExit) as refused:
        parse_deploy(args)
    assert refused.value.code == 2
    assert "given twice" in capsys.readouterr().err


def test_deploy_still_takes_repeatable_options():
    from container_infra.cli import parse_deploy

    options = parse_deploy(["--parameter", "A=1", "--parameter", "B=2", "--tag", "x=1", "--tag", "y=2"])
    assert options.parameters == {"A": "1", "B": "2"} and options.tags == {"x": "1", "y": "2"}


def test_a_blank_value_is_still_refused():
    with pytest.raises(UserError, match="--config"):
        read_generate_options(["--config", " "])
