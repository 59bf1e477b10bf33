"""The diff built as text and written once (issue 14) prints exactly the bytes rich printed line by line before it.

`RichPerLine` is the old path: every line a `Console.print`, every table a rich `Table`. The new `Output`
must match it byte for byte on every console the project meets: a pipe, a terminal without colour, with
8, 256 or true colours, NO_COLOR, an ASCII-only terminal, and widths from 60 columns up, where tables wrap.
"""

from __future__ import annotations

import io
import random
from contextlib import nullcontext

import pytest
from rich.console import Console
from rich.table import Table

from container_infra.diff.drift import drifted_resources
from container_infra.diff.masking import Masker
from container_infra.diff.model import Diff, GuardedChange, ResourceChange, ValueChange
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.diff.validation import validations
from container_infra.render.text import render_diff
from container_infra.ui.masked_output import MaskedOutput
from container_infra.ui.output import Output
from container_infra.ui.table_text import table_text, wrap


class RichPerLine(Output):
    """The renderer before issue 14: rich prints each line and each table itself."""

    def line(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style if self.is_tty else None)

    def table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        if not self.is_tty:
            super().table(headers, rows, styles)  # plain lines, through line() above
            return
        shown = [i for i, header in enumerate(headers) if not header or any(row[i].strip() for row in rows)]
        table = Table(show_lines=True)
        for i in shown:
            table.add_column(headers[i], overflow="fold")
        for row, style in zip(rows, styles, strict=True):
            table.add_row(*(row[i] for i in shown), style=style)
        self.console.print(table, soft_wrap=False)

    def batch(self):
        return nullcontext()


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


def _printed(output_class: type[Output], kind: str, width: int, draw) -> str:
    stream = AsciiTerminal() if kind == "ascii" else io.StringIO()
    out = output_class(stream)
    out.console = _console(stream, kind, width)
    draw(out)
    return stream.getvalue()


KINDS = ["pipe", "none", "standard", "256", "truecolor", "no-color", "ascii"]


@pytest.mark.parametrize("width", [60, 61, 72, 80, 100, 120, 160, 250])
@pytest.mark.parametrize("kind", KINDS)
def test_the_diff_is_the_same_text_as_printed_line_by_line(kind, width):
    def draw(out: Output) -> None:
        render_diff(out, varied_diff(), stack_name="my-stack", region="eu-west-1", new_stack=False)

    expected = _printed(RichPerLine, kind, width, draw)
    assert _printed(Output, kind, width, draw) == expected
    assert ("┏" in expected) is (
        kind not in ("pipe", "ascii")
    )  # the tables are there, drawn as this console draws them


@pytest.mark.parametrize("kind", KINDS)
def test_random_tables_are_the_same_text_as_rich_draws_them(kind):
    """Tables that fit and tables that wrap and fold, at random widths and contents, built as text: rich's bytes."""
    chance = random.Random(14)
    alphabet = "abcdefghijklmnopqrstuvwxyz:*/${}.-   "
    shapes = {"fit": 0, "wrapped": 0, "left to rich": 0}
    for _ in range(200):
        columns = chance.randint(2, 6)
        headers = [""] + [
            chance.choice(["Resource", "Effect", "Action", "Principal", "Condition", "Peer"])
            for _ in range(columns - 1)
        ]
        rows = [
            [chance.choice("+-")]
            + ["".join(chance.choice(alphabet) for _ in range(chance.randint(0, 40))) for _ in range(columns - 1)]
            for _ in range(chance.randint(1, 5))
        ]
        styles = [chance.choice([None, "green", "red", "bold red", "yellow"]) for _ in rows]
        width = chance.randint(12, 160)

        def draw(out: Output) -> None:
            out.table(headers, rows, styles)

        assert _printed(Output, kind, width, draw) == _printed(RichPerLine, kind, width, draw), (
            headers,
            rows,
            styles,
            width,
        )
        text = table_text(_console(io.StringIO(), kind, width), headers, rows, styles, lambda style: ("", ""))
        shapes["left to rich" if text is None else "fit" if text.count("\n") == 2 * len(rows) + 3 else "wrapped"] += 1
    assert shapes["fit"] >= 20 and shapes["wrapped"] >= 20 and shapes["left to rich"] >= 1, (
        shapes
    )  # every path was taken


def test_a_table_too_narrow_for_its_padding_or_with_wide_characters_is_left_to_rich():
    console = Console(file=io.StringIO(), force_terminal=True, width=60)
    assert (
        table_text(console, ["", "Name"], [["+", "wide 日本"]], ["green"], lambda style: ("", "")) is None
    )  # rich decides its width
    assert table_text(console, ["", "Name"], [["+", "tab\there"]], ["green"], lambda style: ("", "")) is None
    narrow = Console(file=io.StringIO(), force_terminal=True, width=12)
    assert (
        table_text(
            narrow, ["", "A", "B", "C", "D"], [["+", "aaaa", "bbbb", "cccc", "dddd"]], ["green"], lambda style: ("", "")
        )
        is None
    )
    assert (
        table_text(console, ["", "Action"], [["+", LONG_ACTIONS]], ["green"], lambda style: ("", "")) is not None
    )  # wraps, built here


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_whose_every_column_is_empty_is_drawn_as_rich_draws_it(kind):
    """Every column hidden (a header, and blank in every row): no column is left to measure; was a ValueError from min()."""

    def draw(out: Output) -> None:
        out.table(["Resource", "Condition"], [["", "  "], ["", ""]], ["green", None])

    assert _printed(Output, kind, 60, draw) == _printed(RichPerLine, kind, 60, draw)


def test_wrap_folds_a_word_longer_than_its_column_and_breaks_lines_between_words():
    assert wrap("kms:Decrypt, kms:Encrypt", 14) == ["kms:Decrypt,  ", "kms:Encrypt   "]
    assert wrap("arn:aws:s3:::a-very-long-bucket", 10) == ["arn:aws:s3", ":::a-very-", "long-bucke", "t         "]
    assert wrap("", 3) == ["   "]


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
