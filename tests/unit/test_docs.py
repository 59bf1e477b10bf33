"""The docs are true: every TOML block in README.md and docs/ is a config generate.py takes, and the options tables
of docs/deploy.md and docs/generate.md name every option of the tools' --help."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from container_infra.cli import deploy_parser, generate_parser
from container_infra.config import load_config
from templates import render
from tests.helpers import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOML_BLOCK = re.compile(r"^```toml\n(.*?)^```", re.MULTILINE | re.DOTALL)
LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def toml_blocks() -> list[tuple[str, str]]:
    """(where, text) of each ```toml block: where is the doc's path and the line of its opening fence."""
    blocks = []
    for doc in DOCS:
        text = doc.read_text()
        for block in TOML_BLOCK.finditer(text):
            line = text.count("\n", 0, block.start()) + 1
            blocks.append((f"{doc.relative_to(ROOT)}:{line}", block.group(1)))
    return blocks


BLOCKS = toml_blocks()


def test_the_docs_have_toml_blocks():
    assert len(BLOCKS) >= 4, BLOCKS  # config.md and web-service.md's references at least: the search finds them


@pytest.mark.parametrize("where, text", BLOCKS, ids=[where for where, _ in BLOCKS])
def test_every_toml_block_is_a_config_generate_py_takes(where, text, tmp_path):
    config = tmp_path / "doc.toml"
    config.write_text(text)
    try:
        template = render(load_config(str(config)))
    except Exception as error:  # the doc's place first: that is what to fix
        pytest.fail(f"{where}: the block does not load as a config: {error}")
    assert '"Resources"' in template


def options(parser: argparse.ArgumentParser) -> set[str]:
    """The long options --help shows (argparse's own --help aside)."""
    return set(LONG_OPTION.findall(parser.format_help())) - {"--help"}


def documented(doc: Path) -> set[str]:
    """The long options named in the first cell of the doc's table rows (its options table)."""
    cells = [line.split("|")[1] for line in doc.read_text().splitlines() if line.startswith("| `-")]
    return {option for cell in cells for option in LONG_OPTION.findall(cell)}


@pytest.mark.parametrize(
    "parser, doc",
    [(deploy_parser, "docs/deploy.md"), (generate_parser, "docs/generate.md")],
    ids=["deploy", "generate"],
)
def test_the_options_table_names_every_option(parser, doc):
    shown = options(parser())
    assert len(shown) >= 3
    assert sorted(shown - documented(ROOT / doc)) == [], f"{doc}: options --help shows that the table leaves out"
    assert sorted(documented(ROOT / doc) - shown) == [], f"{doc}: the table names options --help does not know"
