"""A bordered table whose every cell fits on one line, as the text rich's `Table(show_lines=True)` prints for it.

rich measures, wraps and pads each cell through its segment machinery: about a millisecond a row. A table
that fits the terminal at its natural widths needs none of that, so it is built here as text, from rich's
own box characters and the console's own escape codes per style. A table that must wrap (or holds tabs,
control or wide characters, whose width rich decides) is left to rich: `table_text` answers None.
"""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.console import Console

Codes = Callable[[str | None], tuple[str, str]]  # a style -> the escape codes before and after text in that style
HEADER_STYLE = "table.header"  # rich's default header style for a Table
PADDING = 1  # rich's default (0, 1): a space left and right of each cell
TABLE_BOX = box.HEAVY_HEAD  # rich's default box


def table_text(console: Console, headers: list[str], rows: list[list[str]], styles: list[str | None], codes: Codes) -> str | None:
    """What `console.print(table, soft_wrap=False)` writes for a default Table(show_lines=True) of these cells, or None."""
    if not rows or not all(_one_cell_per_character(text) for text in (*headers, *(cell for row in rows for cell in row))):
        return None
    widths = [max(len(text) for text in column) + 2 * PADDING for column in zip(headers, *rows, strict=True)]
    if sum(widths) > console.width - _extra_width(len(widths)):
        return None  # rich collapses and wraps the columns
    frame = TABLE_BOX.substitute(console.options, safe=console.safe_box)
    if not all(vertical.strip() for vertical in (frame.head_vertical, frame.mid_vertical, frame.foot_vertical)):
        return None  # a blank divider takes the row's background
    lines = [frame.get_top(widths), _row(headers, widths, codes(HEADER_STYLE), frame.head_left, frame.head_vertical, frame.head_right),
             frame.get_row(widths, "head", edge=True)]
    separator = frame.get_row(widths, "row", edge=True)
    for index, (row, style) in enumerate(zip(rows, styles, strict=True)):
        last = index == len(rows) - 1
        edges = (frame.foot_left, frame.foot_vertical, frame.foot_right) if last else (frame.mid_left, frame.mid_vertical, frame.mid_right)
        lines.append(_row(row, widths, codes(style), *edges))
        if not last:
            lines.append(separator)
    lines.append(frame.get_bottom(widths))
    return "\n".join(lines) + "\n"


def _one_cell_per_character(text: str) -> bool:
    """Printable ASCII: its width is its length, and rich neither expands, strips nor splits anything in it."""
    return text.isascii() and text.isprintable()


def _extra_width(columns: int) -> int:
    return 2 + columns - 1  # the two edges and a divider between columns


def _row(cells: list[str], widths: list[int], codes: tuple[str, str], left: str, divider: str, right: str) -> str:
    before, after = codes
    pad = _styled(" " * PADDING, before, after)
    return left + divider.join(pad + _styled(cell.ljust(width - 2 * PADDING), before, after) + pad
                               for cell, width in zip(cells, widths, strict=True)) + right


def _styled(text: str, before: str, after: str) -> str:
    return before + text + after if text else ""  # rich writes no codes around nothing
