"""Approval tables wrap instead of cutting, at any width down to 60; plain tables are the same tables in ASCII."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from container_infra.diff.model import Diff
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.render.text import render_diff
from container_infra.ui.output import Output
from tests.tables import has_row, squeezed, table_rows

KMS_ACTIONS = "kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*"
DIFF = Diff(
    iam_added=[
        IamStatement(
            "${WebappLogKey.Arn}",
            "Allow",
            KMS_ACTIONS,
            "Service:logs.${AWS::Region}.amazonaws.com",
            '{"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:${AWS::Partition}:logs:*"}}',
        ),
        IamStatement(
            "${TaskdefWebappExecutionRole}", "Allow", "sts:AssumeRole", "AWS:${TaskdefWebappExecutionRole.Arn}", ""
        ),
    ],
    rules_added=[
        SecurityGroupRule(
            "${WebappServiceSecurityGroup.GroupId}",
            "ingress",
            "tcp/8000-8100",
            "${WebappLoadBalancerSecurityGroup.GroupId}",
            "",
        )
    ],
)
CELLS = [s for st in DIFF.iam_added for s in (st.resource, st.action, st.principal, st.condition)] + [
    r for rule in DIFF.rules_added for r in (rule.group, rule.protocol_port, rule.peer)
]


def _terminal(width: int) -> tuple[Output, io.StringIO]:
    buffer = io.StringIO()
    out = Output(buffer)
    out.console = Console(
        file=buffer,
        force_terminal=True,
        width=width,
        color_system=None,
        highlight=False,
        markup=False,
        soft_wrap=True,
        emoji=False,
    )
    return out, buffer


def _columns(text: str) -> list[str]:
    """Each table column's text, its wrapped lines joined and all whitespace dropped."""
    columns: dict[int, str] = {}
    for row in table_rows(text):
        for index, cell in enumerate(row):
            columns[index] = columns.get(index, "") + squeezed(cell)
    return list(columns.values())


@pytest.mark.parametrize("width", [60, 61, 72, 80, 100, 120, 160])
def test_nothing_approved_is_ever_cut(width):
    out, buffer = _terminal(width)
    render_diff(out, DIFF, stack_name="s", region="eu-west-1", new_stack=False)
    text = buffer.getvalue()
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    joined = _columns(text)
    for cell in CELLS:
        assert any(squeezed(cell) in column for column in joined), (width, cell, text)


def _plain(width: int) -> str:
    buffer = io.StringIO()
    out = Output(buffer)
    out.console = Console(file=buffer, width=width, highlight=False, markup=False, soft_wrap=True, emoji=False)
    render_diff(out, DIFF, stack_name="s", region="eu-west-1", new_stack=False)
    return buffer.getvalue()


def test_plain_tables_are_ascii_with_a_header_row_and_no_colour():
    """A CI log or a pipe: the terminal's table in ASCII, at the console's width, a header row above the rows."""
    text = _plain(80)
    assert "\x1b" not in text and text.isascii()
    iam = text[text.index("IAM Statement Changes") :].splitlines()
    assert iam[1] == "+---+---------------+--------+----------------+---------------+----------------+"
    assert iam[2] == "|   | Resource      | Effect | Action         | Principal     | Condition      |"
    assert all(len(line) <= 80 for line in text.splitlines())
    assert table_rows(text)[0] == ["", "Resource", "Effect", "Action", "Principal", "Condition"]
    assert has_row(
        text,
        ["+", "${TaskdefWebappExecutionRole}", "Allow", "sts:AssumeRole", "AWS:${TaskdefWebappExecutionRole.Arn}", ""],
    )
    assert ["", "Group", "Direction", "Protocol/Port", "Peer"] in table_rows(text)  # Description: empty everywhere


@pytest.mark.parametrize("width", [40, 80, 200])
def test_nothing_is_cut_in_plain_tables_either(width):
    text = _plain(width)
    assert "…" not in text
    joined = _columns(text)
    for cell in CELLS:
        assert any(squeezed(cell) in column for column in joined), (width, cell, text)
