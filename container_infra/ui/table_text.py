"""A bordered table as the text rich's `Table(show_lines=True)` prints for it, built without rich's layout engine.

rich measures, wraps and pads each cell through its segment machinery: about a millisecond a row, which made
the IAM and security-group tables most of a terminal diff's render time. For cells of printable ASCII (one
terminal cell a character; nothing rich expands, strips or splits) the layout is plain arithmetic, done here
exactly as rich 13-15 does it: natural widths; over the terminal's width, the widest columns shrink first
(`Table._collapse_widths`, `ratio_reduce`); each cell word-wrapped, a word longer than its
column folded (`divide_line`, overflow "fold"); the header aligned to the bottom, the cells to the top. The
box characters are rich's own and the escape codes the console's own. Anything else (wide or control
characters, a column narrower than its padding) is left to rich: `table_text` answers None.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich import box
from rich.console import Console

Codes = Callable[[str | None], tuple[str, str]]  # a style -> the escape codes before and after text in that style
HEADER_STYLE = "table.header"  # rich's default header style for a Table
PADDING = 1  # rich's default (0, 1): a space left and right of each cell
TABLE_BOX = box.HEAVY_HEAD  # rich's default box
WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word: a word with the whitespace around it


def table_text(
    console: Console, headers: list[str], rows: list[list[str]], styles: list[str | None], codes: Codes
) -> str | None:
    """What `console.print(table, soft_wrap=False)` writes for a default Table(show_lines=True) of these cells, or None."""
    # no column left (each was empty in every row and had a header): nothing to measure, rich draws its empty frame
    if (
        not rows
        or not headers
        or not all(_one_cell_per_character(text) for text in (*headers, *(cell for row in rows for cell in row)))
    ):
        return None
    widths = column_widths([headers, *rows], console.width - _extra_width(len(headers)))
    frame = TABLE_BOX.substitute(console.options, safe=console.safe_box)
    if widths is None or not all(
        vertical.strip() for vertical in (frame.head_vertical, frame.mid_vertical, frame.foot_vertical)
    ):
        return None  # too narrow for rich's padding, or a blank divider (it would take the row's background)
    lines = [
        frame.get_top(widths),
        *_row(
            headers, widths, codes(HEADER_STYLE), (frame.head_left, frame.head_vertical, frame.head_right), bottom=True
        ),
        frame.get_row(widths, "head", edge=True),
    ]
    separator = frame.get_row(widths, "row", edge=True)
    for index, (row, style) in enumerate(zip(rows, styles, strict=True)):
        last = index == len(rows) - 1
        edges = (
            (frame.foot_left, frame.foot_vertical, frame.foot_right)
            if last
            else (frame.mid_left, frame.mid_vertical, frame.mid_right)
        )
        lines += _row(row, widths, codes(style), edges, bottom=False)
        if not last:
            lines.append(separator)
    lines.append(frame.get_bottom(widths))
    return "\n".join(lines) + "\n"


def column_widths(rows: list[list[str]], available: int) -> list[int] | None:
    """Each column's width, padding included, as rich computes it; None where rich's padding would not fit."""
    if available < 3:
        return None
    widths = [min(max(len(text) for text in column) + 2 * PADDING, available) for column in zip(*rows, strict=True)]
    if sum(widths) > available:
        widths = _collapse(widths, available)
    # rich's last resort (all columns reduced evenly) only follows a collapse that left the table too wide
    return widths if min(widths) > 2 * PADDING and sum(widths) <= available else None


def _collapse(widths: list[int], available: int) -> list[int]:
    """rich's Table._collapse_widths, every column wrappable: shrink the widest columns to the next widest, in turn."""
    excess = sum(widths) - available
    while excess > 0:
        widest = max(widths)
        difference = widest - max((width for width in widths if width != widest), default=0)
        if not difference:
            break
        widths = _ratio_reduce(
            excess, [1 if width == widest else 0 for width in widths], [min(excess, difference)] * len(widths), widths
        )
        excess = sum(widths) - available
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, result = total, []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def wrap(text: str, width: int) -> list[str]:
    """The cell's lines, each exactly `width` long: rich's word wrap with overflow "fold", justified left."""
    bounds = [0, *_breaks(text, width), len(text)]
    # rich first strips the whitespace past the width (`rstrip_end`) then crops: for ASCII, the same as cropping
    return [text[start:end][:width].ljust(width) for start, end in zip(bounds, bounds[1:])]


def _breaks(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line for text whose characters are one cell wide: where the lines break."""
    breaks: list[int] = []
    offset = 0
    for match in WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # folded across lines
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _one_cell_per_character(text: str) -> bool:
    """Printable ASCII: its width is its length, and rich neither expands, strips nor splits anything in it."""
    return text.isascii() and text.isprintable()


def _extra_width(columns: int) -> int:
    return 2 + columns - 1  # the two edges and a divider between columns


def _row(
    cells: list[str], widths: list[int], codes: tuple[str, str], edges: tuple[str, str, str], *, bottom: bool
) -> list[str]:
    """A row's lines; its cells aligned to the top (to the bottom in the header, as rich does)."""
    before, after = codes
    pad = _styled(" " * PADDING, before, after)
    wrapped = [wrap(cell, width - 2 * PADDING) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    columns = []
    for lines, width in zip(wrapped, widths, strict=True):
        texts = [pad + _styled(line, before, after) + pad for line in lines]
        blanks = [_styled(" " * width, before, after)] * (height - len(lines))
        columns.append(blanks + texts if bottom else texts + blanks)
    left, divider, right = edges
    return [left + divider.join(parts) + right for parts in zip(*columns, strict=True)]


def _styled(text: str, before: str, after: str) -> str:
    return before + text + after if text else ""  # rich writes no codes around nothing
