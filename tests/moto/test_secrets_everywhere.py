"""Every command run on a stack with NoEcho parameters, each secret searched for in all of its output.

A NoEcho default, a value given with --parameter, a value given to --diff --keep and then executed: none of them
may appear on stdout or stderr, in text, JSON or Markdown, in an error, an event or an output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import deploy

STACK = "secret-stack"
DEFAULT = "dflt-Pa55word-7x"
GIVEN = "given-Api-K3y-9q"
REVIEWED = "reviewed-Api-K3y-4z"
SECRETS = (DEFAULT, GIVEN, REVIEWED)
TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {
        "DbPassword": {"Type": "String", "NoEcho": True, "Default": DEFAULT},
        "ApiKey": {"Type": "String", "NoEcho": True},
    },
    "Resources": {
        "Logs": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "RetentionInDays": 7,
                "Tags": [{"Key": "key", "Value": {"Ref": "ApiKey"}}, {"Key": "db", "Value": {"Ref": "DbPassword"}}],
            },
        }
    },
    "Outputs": {"Db": {"Value": {"Ref": "DbPassword"}}, "Key": {"Value": {"Ref": "ApiKey"}}},
}


def test_no_command_prints_a_secret(aws_env, tmp_path: Path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(TEMPLATE))
    template = ("--template", str(path), "--stack-name", STACK)
    printed: dict[str, str] = {}

    def run(*args: str) -> str:
        result = deploy(aws_env, *args)
        printed[" ".join(args)] = result.stdout + result.stderr
        return result.stdout + result.stderr

    run(*template, "--yes", "--parameter", f"ApiKey={GIVEN}")
    for extra in ((), ("--json",), ("--markdown",), ("--drift",), ("--drift", "--json"), ("--drift", "--markdown")):
        run(*template, "--diff", "--parameter", f"ApiKey={REVIEWED}", *extra)
    run(*template, "--diff", "--parameter", f"ApiKy={GIVEN}")  # a misspelt name
    kept = run(*template, "--diff", "--keep", "--parameter", f"ApiKey={REVIEWED}")
    name = re.search(r"--execute (\S+)", kept)
    assert name, kept
    run("--execute", name.group(1), "--stack-name", STACK, "--yes")
    for command in (("--follow",), ("--status",), ("--status", "--json"), ("--logs",), ("--rollback", "--diff")):
        run("--stack-name", STACK, *command)
    run("--stack-name", STACK, "--destroy", "--diff")
    run("--stack-name", STACK, "--destroy", "--yes")
    leaks = {command: [s for s in SECRETS if s in text] for command, text in printed.items()}
    assert {command: found for command, found in leaks.items() if found} == {}
