"""generate.py --from-copilot as users run it: the config on stdout or in -o FILE, each unconverted field one stderr
line, exit 0; the converted config's templates pass cfn-lint; a broken manifest is one line, exit 2."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, lint, run_tool

DATA = ROOT / "tests" / "data" / "copilot"


@pytest.mark.parametrize(
    ("folder", "service", "env"),
    [
        ("reference", "frontend", "prod"),
        ("reference", "worker-api", "test"),
        ("reference", "orders", "prod"),
        ("public", "web", "staging"),
        ("public", "api", "staging"),
    ],
)
def test_converted_config_lints_clean(tmp_path, folder, service, env):
    config = tmp_path / "converted.toml"
    args = ["--from-copilot", str(DATA / folder), "-o", str(config), "--account", f"{env}=210987654321"]
    result = run_tool("generate.py", *args, *(["--service", service] if service else []))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("not converted: ") for line in lines)
    for chosen in ([], ["--env", env]):
        generated = run_tool("generate.py", "--config", str(config), *chosen)
        assert generated.returncode == 0, generated.stderr
        assert lint(generated.stdout) == []


def test_broken_manifest_is_one_line_exit_2(tmp_path):
    (tmp_path / "copilot" / "svc").mkdir(parents=True)
    (tmp_path / "copilot" / "svc" / "manifest.yml").write_text("name: svc\ntype: 'Load Balanced Web Service\n")
    result = run_tool("generate.py", "--from-copilot", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "not valid YAML" in result.stderr


def test_output_inside_the_copilot_folder_is_refused(tmp_path):
    folder = tmp_path / "app"
    (folder / "copilot" / "svc").mkdir(parents=True)
    (folder / "copilot" / "svc" / "manifest.yml").write_text(
        "name: svc\ntype: Backend Service\nimage:\n  location: nginx\n"
    )
    inside = folder / "copilot" / "svc.toml"
    result = run_tool("generate.py", "--from-copilot", str(folder), "-o", str(inside))
    assert result.returncode == 2 and result.stdout == "" and not inside.exists()
    assert len(result.stderr.splitlines()) == 1 and "the Copilot folder" in result.stderr
    beside = run_tool("generate.py", "--from-copilot", str(folder), "-o", str(folder / "svc.toml"))
    assert beside.returncode == 0, beside.stderr
