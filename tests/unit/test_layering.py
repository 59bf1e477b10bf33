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


AWS_SDK = ("boto3", "botocore")


# Still allowed to import botocore until the deploy steps land (removed when the deploy steps land).
def sdk_imports_outside_aws() -> list[str]:
    """Every module outside container_infra/aws (the tools' scripts and templates too) importing boto3 or botocore."""
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "templates").rglob("*.py"), *ROOT.glob("*.py")]
    bad = []
    for path in sorted(sources):
        name = str(path.relative_to(ROOT))
        if path.is_relative_to(PACKAGE / "aws"):
            continue
        for module in sorted(imported_modules(path)):
            if any(module == sdk or module.startswith(sdk + ".") for sdk in AWS_SDK):
                bad.append(f"{name} imports {module}")
    return bad


def test_only_the_aws_package_imports_boto3_or_botocore():
    """AWS's errors become the project's own inside container_infra/aws: nothing else needs the SDK."""
    assert sdk_imports_outside_aws() == []


def test_the_sdk_check_sees_an_import_outside_aws(tmp_path, monkeypatch):
    (tmp_path / "container_infra" / "watch").mkdir(parents=True)
    (tmp_path / "container_infra" / "aws").mkdir()
    (tmp_path / "container_infra" / "watch" / "leaky.py").write_text("from botocore.exceptions import ClientError\n")
    (tmp_path / "container_infra" / "aws" / "session.py").write_text("import boto3.session\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "container_infra")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert sdk_imports_outside_aws() == ["container_infra/watch/leaky.py imports botocore.exceptions"]


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
