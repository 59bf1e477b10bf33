"""Approval tables wrap instead of cutting, at any width down to 60; plain tables have a header row (#10 item 7)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from container_infra.diff.model import Diff
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.render.text import render_diff
from container_infra.ui.output import Output

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
    for line in text.splitlines():
        if line.startswith(("│", "┃")):
            for index, cell in enumerate(line.replace("┃", "│").strip("│").split("│")):
                columns[index] = columns.get(index, "") + "".join(cell.split())
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
        squeezed = "".join(cell.split())
        assert any(squeezed in column for column in joined), (width, cell, text)


def test_plain_tables_have_a_header_row_and_no_dangling_separator(capsys):
    buffer = io.StringIO()
    render_diff(Output(buffer), DIFF, stack_name="s", region="eu-west-1", new_stack=False)
    lines = buffer.getvalue().splitlines()
    iam = lines[lines.index("IAM Statement Changes") + 1 :]
    assert iam[0] == "+/- | Resource | Effect | Action | Principal | Condition"
    assert (
        iam[2]
        == "+ | ${TaskdefWebappExecutionRole} | Allow | sts:AssumeRole | AWS:${TaskdefWebappExecutionRole.Arn} | -"
    )
    groups = lines[lines.index("Security Group Changes") + 1 :]
    assert groups[0] == "+/- | Group | Direction | Protocol/Port | Peer | Description"
    assert not any(line.rstrip().endswith("|") for line in lines)
