"""Read the tables rich draws (ASCII in a CI log or a pipe, box-drawing characters on a terminal) back as cells."""

from __future__ import annotations

import re

CELL_EDGE = re.compile("[|│┃]")
RULE = re.compile("[-+|=─━│┃┃┏┓┗┛┡┩╇┼├┤└┘┌┐┳┻┬┴╋]+")  # a border or a line between rows: no cell text, no padding


def table_rows(text: str) -> list[list[str]]:
    """Every table row in `text`, header rows included, as its cells; a cell's wrapped lines joined by a space."""
    rows: list[list[str]] = []
    pieces: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if CELL_EDGE.match(line) and not RULE.fullmatch(line.strip()):
            cells = CELL_EDGE.split(line.strip())[1:-1]
            pieces = pieces or [[] for _ in cells]
            for column, cell in zip(pieces, cells, strict=True):
                column.append(cell.strip())
        elif pieces:  # a rule or the end of the table: the row is complete
            rows.append([" ".join(piece for piece in column if piece) for column in pieces])
            pieces = []
    return rows


def squeezed(text: str) -> str:
    """The text without whitespace: a word folded at a column's edge reads the same as the word."""
    return "".join(text.split())


def has_row(text: str, cells: list[str]) -> bool:
    """Whether a table in `text` has this row, however its cells wrapped."""
    wanted = [squeezed(cell) for cell in cells]
    return any([squeezed(cell) for cell in row] == wanted for row in table_rows(text))
