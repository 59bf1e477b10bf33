"""generate.py as a program: only the template on stdout, the same bytes each run, YAML, -o, --help."""

from __future__ import annotations

import json

from tests.helpers import generate, run_tool


def test_stdout_carries_only_the_template_and_ids_are_stable():
    first = run_tool("generate.py")
    second = run_tool("generate.py")
    assert first.stdout == second.stdout
    assert first.stdout.lstrip().startswith("{") and first.stderr == ""


def test_yaml_format_is_the_same_template():
    from cfn_flip import to_json  # understands !Ref and friends

    result = run_tool("generate.py", "--format", "yaml")
    assert result.returncode == 0
    assert "!Ref" in result.stdout
    assert json.loads(to_json(result.stdout)) == generate()


def test_output_file(tmp_path):
    target = tmp_path / "template.json"
    result = run_tool("generate.py", "--output", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(target.read_text()) == generate()


def test_help_shows_examples():
    result = run_tool("generate.py", "--help")
    assert result.returncode == 0
    assert "--config" in result.stdout and "uv run generate.py > template.json" in result.stdout
