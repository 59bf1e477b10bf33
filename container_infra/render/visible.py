"""Values shown so that they cannot forge what is around them.

A value is data from a template, a change set, an event or an app's log line. Shown raw, a newline in it starts a
line that looks like any other diff line, a terminal escape clears the screen or retitles the window, a bidi
override reorders what is read, and in Markdown a backtick run or `<!--` ends the code around it and hides the rest
of a pull-request comment. Here every such character is shown as a visible escape, and Markdown code gets a fence
longer than any backtick run it holds (CommonMark's rule for code spans and fenced blocks).
"""

from __future__ import annotations

import re

# C0 and C1 controls (but the tab, which a terminal and rich turn into spaces), DEL, and the invisible characters
# that change how a line reads: zero-width ones, line and paragraph separators, bidi embeddings, overrides and
# isolates, the byte-order mark.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r"}
_BACKTICKS = re.compile("`+")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def visible(text: str) -> str:
    """`text` on one line, every control or invisible character written as an escape (`\\n`, `\\x1b`, `\\u202e`)."""
    return _INVISIBLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def code_span(text: str) -> str:
    """Inline code that shows `text` as it is: delimited by one backtick more than its longest run, padded with a
    space where it starts or ends with a backtick (CommonMark strips one such space on each side)."""
    shown = visible(text)
    fence = "`" * (_longest_backtick_run(shown) + 1)
    padded = f" {shown} " if shown.startswith("`") or shown.endswith("`") or shown.startswith(" ") else shown
    return f"{fence}{padded}{fence}"


def code_fence(lines: list[str]) -> str:
    """A fence for a code block holding `lines`: at least three backticks, and longer than any run inside."""
    return "`" * max(3, max((_longest_backtick_run(line) for line in lines), default=0) + 1)


def markdown_text(text: str) -> str:
    """Plain text in Markdown (a table cell, a list item): visible, HTML inert, a table's pipes escaped."""
    return visible(text).translate(_HTML).replace("|", "\\|")


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)
