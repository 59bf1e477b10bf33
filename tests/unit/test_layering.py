"""The deploy side's layering holds: pure CloudFormation logic never talks to AWS, and only commands combine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "container_infra"
# layer -> module prefixes it must not import
PURE = ("boto3", "botocore", "container_infra.aws", "container_infra.commands", "container_infra.ui", "rich")
FORBIDDEN = {
    "cfn": PURE,
    "diff": PURE + ("container_infra.render", "container_infra.watch"),
    "render": ("boto3", "botocore", "container_infra.aws", "container_infra.commands"),
    "aws": ("container_infra.commands", "container_infra.ui", "container_infra.render", "rich"),
    "watch": ("container_infra.commands",),
    "steps": ("container_infra.commands",),
    "ui": ("boto3", "botocore", "container_infra.aws", "container_infra.commands"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if any(module == prefix or module.startswith(prefix + ".") for prefix in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer):
    assert (PACKAGE / layer).is_dir()
    assert violations(layer) == []


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    """Not a rubber stamp: a cfn module that imports boto3 (even inside a function) is caught."""
    layer = tmp_path / "container_infra" / "cfn"
    layer.mkdir(parents=True)
    (layer / "leaky.py").write_text(
        "def f():\n    import botocore.exceptions\n    from container_infra.aws.session import Aws\n"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "container_infra")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert violations("cfn") == [
        "container_infra/cfn/leaky.py imports botocore.exceptions",
        "container_infra/cfn/leaky.py imports container_infra.aws.session",
    ]


def test_no_production_module_mentions_an_emulator():
    """Workarounds for moto live in tests/fakes, never in the tools."""
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "templates").rglob("*.py"), ROOT / "generate.py", ROOT / "deploy.py"]
    assert [str(p.relative_to(ROOT)) for p in sources if "moto" in p.read_text().lower()] == []
