"""How Output prints: rich draws every line and table, on every console the project meets (a pipe, a terminal
without colour, with 8, 256 or true colours, NO_COLOR, an ASCII-only terminal), at any width; a diff is written once.
"""

from __future__ import annotations

import io
import random
from functools import partial

import pytest
from rich.console import Console
from rich.text import Text

from container_infra.diff.drift import drifted_resources
from container_infra.diff.masking import Masker
from container_infra.diff.model import Diff, GuardedChange, ResourceChange, ValueChange
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.diff.validation import validations
from container_infra.render.text import render_diff
from container_infra.ui.masked_output import MaskedOutput
from container_infra.ui.output import Output
from tests.tables import squeezed, table_rows


class AsciiTerminal(io.StringIO):
    encoding = "ascii"  # rich draws its boxes in ASCII


class CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += bool(text)  # rich's capture writes nothing through an empty write
        return super().write(text)


LONG_ACTIONS = (
    "kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, s3:GetObject, s3:PutObject"
)
ODD_TEXTS = [
    "tab\there",
    "two\nlines",
    "carriage\rreturn",
    "bell\x07",
    "wide 日本語 text",
    "[bold]not markup[/bold]",
    ":smile:",
    "trailing spaces   ",
    "",
    "   ",
    "→ arrow",
    "esc \x1b[31m raw",
]


def varied_diff() -> Diff:
    """Every section of the diff, with the texts rich treats specially."""
    diff = Diff(
        parameters=[
            ValueChange("Image", "app:v1", "app:v2"),
            ValueChange("New", None, "x"),
            ValueChange("Gone", "y", None),
        ],
        iam_added=[
            IamStatement(
                "${Key.Arn}",
                "Allow",
                LONG_ACTIONS,
                "Service:logs.${AWS::Region}.amazonaws.com",
                '{"Bool": {"aws:SecureTransport": "true"}}',
            ),
            IamStatement("*", "Allow", "sts:AssumeRole", "AWS:${Role}", ""),
        ],
        iam_removed=[
            IamStatement(
                "arn:${AWS::Partition}:s3:::a-very-long-bucket-name-without-any-space-in-it-at-all/*",
                "Deny",
                "s3:*",
                "*",
                "",
            )
        ],
        rules_added=[SecurityGroupRule("${Group.GroupId}", "ingress", "tcp/443", "0.0.0.0/0", "https")],
        rules_removed=[SecurityGroupRule("${Group.GroupId}", "egress", "-1", "0.0.0.0/0", "")],
        resources=[
            ResourceChange(
                "Remove",
                "Bucket",
                "AWS::S3::Bucket",
                warning="DATA LOSS: AWS::S3::Bucket Bucket will be DELETED with its data",
            ),
            ResourceChange("Add", "Queue", "AWS::SQS::Queue"),
            ResourceChange(
                "Modify",
                "Task",
                "AWS::ECS::TaskDefinition",
                "replace",
                [
                    ValueChange("Memory", "512", "1024"),
                    ValueChange("ContainerDefinitions[web].Image", "a:1", "a:2", "replace"),
                ]
                + [ValueChange(f"Odd{i}", "old", text) for i, text in enumerate(ODD_TEXTS)],
            ),
            ResourceChange(
                "Modify", "Service", "AWS::ECS::Service", "may be replaced", [ValueChange("DesiredCount", 2, 4)]
            ),
        ],
        outputs=[ValueChange("Url", "http://a", "https://a")],
        guarded=[GuardedChange("Bucket", "AWS::S3::Bucket", "removed", "holds data")],
    )
    diff.drift = drifted_resources(
        [
            {
                "LogicalResourceId": "Service",
                "ResourceType": "AWS::ECS::Service",
                "StackResourceDriftStatus": "MODIFIED",
                "PropertyDifferences": [
                    {
                        "PropertyPath": "/DesiredCount",
                        "ExpectedValue": "2",
                        "ActualValue": "5",
                        "DifferenceType": "NOT_EQUAL",
                    }
                ],
            }
        ],
        changing={"Service"},
        reverting=False,
    )
    diff.validations = validations(
        [
            {
                "EventType": "VALIDATION_ERROR",
                "ValidationFailureMode": "WARN",
                "ValidationName": "PropertyValidation",
                "ValidationStatus": "FAILED",
                "ValidationStatusReason": "Port 80 is unusual",
                "LogicalResourceId": "Listener",
            }
        ]
    )
    return diff


def _console(stream: io.StringIO, kind: str, width: int) -> Console:
    options = {
        "force_terminal": kind != "pipe",
        "width": width,
        "highlight": False,
        "markup": False,
        "soft_wrap": True,
        "emoji": False,
    }
    if kind in ("none", "standard", "256", "truecolor"):
        options["color_system"] = None if kind == "none" else kind
    elif kind == "no-color":
        options.update(color_system="truecolor", no_color=True)
    elif kind == "ascii":
        options["color_system"] = "standard"
    return Console(file=stream, **options)


def _printed(kind: str, width: int, draw) -> str:
    stream = AsciiTerminal() if kind == "ascii" else io.StringIO()
    out = Output(stream)
    out.console = _console(stream, kind, width)
    draw(out)
    return stream.getvalue()


KINDS = ["pipe", "none", "standard", "256", "truecolor", "no-color", "ascii"]
COLOURED = {"standard", "256", "truecolor", "ascii"}  # the ASCII-only terminal has 8 colours


@pytest.mark.parametrize("width", [60, 61, 72, 80, 100, 120, 160, 250])
@pytest.mark.parametrize("kind", KINDS)
def test_the_diff_prints_on_every_console_at_every_width(kind, width):
    def draw(out: Output) -> None:
        render_diff(out, varied_diff(), stack_name="my-stack", region="eu-west-1", new_stack=False)

    text = _printed(kind, width, draw)
    green = "\x1b[32m"  # an added row's colour
    assert (green in text) is (kind in COLOURED)  # colour on a colour terminal only; none in a pipe or with NO_COLOR
    assert ("\x1b[1m" in text) is (kind not in ("pipe", "none"))  # bold (headings) on any terminal that has styles
    assert ("┏" in text) is (kind not in ("pipe", "ascii"))  # box drawing where the terminal has it, else ASCII
    assert ("---+---" in text) is (kind in ("pipe", "ascii"))
    assert "Odd0: old → tab here" in text and "\t" not in text  # rich expands the tab (to its next stop)
    assert "[bold]not markup[/bold]" in text and ":smile:" in text  # neither markup nor emoji codes are read
    rows = [[squeezed(cell) for cell in row] for row in table_rows(Text.from_ansi(text).plain)]
    assert ["", "Group", "Direction", "Protocol/Port", "Peer", "Description"] in rows
    assert ["+", "${Group.GroupId}", "ingress", "tcp/443", "0.0.0.0/0", "https"] in rows
    assert ["-", "${Group.GroupId}", "egress", "-1", "0.0.0.0/0", ""] in rows
    assert squeezed(LONG_ACTIONS) in [row[3] for row in rows]  # wrapped, never cut
    assert "…" not in text


def _random_table(chance: random.Random) -> tuple[list[str], list[list[str]], list[str | None]]:
    alphabet = "abcdefghijklmnopqrstuvwxyz:*/${}.-   "
    columns = chance.randint(2, 6)
    headers = [""] + [
        chance.choice(["Resource", "Effect", "Action", "Principal", "Condition", "Peer"]) for _ in range(columns - 1)
    ]
    rows = [
        [chance.choice("+-")]
        + ["".join(chance.choice(alphabet) for _ in range(chance.randint(0, 40))) for _ in range(columns - 1)]
        for _ in range(chance.randint(1, 5))
    ]
    return headers, rows, [chance.choice([None, "green", "red", "bold red", "yellow"]) for _ in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_random_tables_at_any_width_down_to_12_columns_stay_within_it_and_keep_every_cell_from_40(kind):
    """Below about 4 columns a column, rich has no room even for the borders and padding: it still draws, narrower."""
    chance = random.Random(14)
    for _ in range(100):
        headers, rows, styles = _random_table(chance)
        width = chance.randint(12, 160)
        text = Text.from_ansi(
            _printed(kind, width, partial(Output.table, headers=headers, rows=rows, styles=styles))
        ).plain
        assert all(len(line) <= width for line in text.splitlines()), (headers, rows, width, text)
        assert "…" not in text
        if width < 40:
            continue
        drawn = table_rows(text)
        for row in rows:  # a row's cells, in order, among its drawn columns (columns empty in every row are left out)
            shown = [squeezed(cell) for cell in row if squeezed(cell)]
            assert any([cell for cell in map(squeezed, found) if cell] == shown for found in drawn), (row, text)


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_whose_every_column_is_empty_is_an_empty_line(kind):
    """Every column hidden (a header, and blank in every row): no column is left to measure, and nothing fails."""
    text = _printed(kind, 60, lambda out: out.table(["Resource", "Condition"], [["", "  "], ["", ""]], ["green", None]))
    assert text == "\n"


def test_the_diff_is_written_at_once():
    stream = CountingStream()
    out = Output(stream)
    out.console = Console(
        file=stream,
        force_terminal=True,
        width=100,
        color_system="truecolor",
        highlight=False,
        markup=False,
        soft_wrap=True,
        emoji=False,
    )
    render_diff(out, varied_diff(), stack_name="my-stack", region="eu-west-1", new_stack=False)
    assert stream.writes == 1
    assert stream.getvalue().count("\n") > 40


def test_what_was_collected_is_written_when_an_error_cuts_the_batch_short():
    stream = io.StringIO()
    out = Output(stream)
    with pytest.raises(RuntimeError), out.batch():
        out.line("first")
        with out.batch():  # nested: the outer one writes
            out.line("second")
        assert stream.getvalue() == ""
        raise RuntimeError("cut short")
    assert stream.getvalue() == "first\nsecond\n"
    out.line("after")  # not batching any more: written at once
    assert stream.getvalue() == "first\nsecond\nafter\n"


def test_a_batched_diff_still_masks_secrets():
    stream = io.StringIO()
    out = MaskedOutput(Output(stream), Masker({"hunter2-secret"}))
    diff = Diff(
        parameters=[ValueChange("DbPassword", "old", "hunter2-secret")],
        iam_added=[IamStatement("*", "Allow", "s3:GetObject", "hunter2-secret", "")],
        resources=[
            ResourceChange(
                "Modify", "Task", "AWS::ECS::TaskDefinition", None, [ValueChange("Env.PASSWORD", "a", "hunter2-secret")]
            )
        ],
    )
    render_diff(out, diff, stack_name="s", region="eu-west-1", new_stack=False)
    text = stream.getvalue()
    assert "hunter2-secret" not in text
    assert text.count("****") == 3


@pytest.mark.parametrize("width", [12, 16, 20])
@pytest.mark.parametrize("kind", ["pipe", "truecolor"])
def test_a_table_that_cannot_fit_is_a_list_with_every_cell(kind, width):
    headers = ["", "Resource", "Effect", "Action", "Principal"]
    rows = [["+", "${Bucket.Arn}/*", "Allow", "s3:GetObject", "AWS:${TaskRole}"], ["-", "*", "Deny", "s3:*", ""]]
    text = Text.from_ansi(
        _printed(kind, width, partial(Output.table, headers=headers, rows=rows, styles=["green", None]))
    )
    plain = text.plain
    assert all(len(line) <= width for line in plain.splitlines()), plain
    squeezed_text = squeezed(plain)
    for row in rows:
        for header, cell in zip(headers, row, strict=True):
            if cell:
                assert squeezed(f"{header}: {cell}" if header else cell) in squeezed_text, (cell, plain)
    assert squeezed_text.startswith("*+")  # each row is one item
