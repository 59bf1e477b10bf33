"""Output that never shows a secret: every line, heading, table cell, document and error message is masked.

This is the one way a command prints: text through `line`/`heading`/`table`, JSON and Markdown through `document`,
errors through `errors_masked`.

deploy.py learns the NoEcho values (given with --parameter, or template defaults) before it prints
anything about them; from then on, whatever it prints goes through the `Masker`: the diff, the
forecast, stack events (a reason can echo a property's value), the ECS rollout and the final error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from container_infra.diff.masking import Masker, secret_values
from container_infra.render.visible import markdown_text, visible
from container_infra.ui.live import LiveRows
from container_infra.ui.output import Output


class MaskedOutput:
    def __init__(self, out: Output, masker: Masker | None = None) -> None:
        self.out = out
        self.masker = masker or Masker()

    def hide(self, template: dict[str, Any], values: dict[str, Any]) -> None:
        """From now on, mask the values of the template's NoEcho parameters."""
        secrets = secret_values(template, values)
        # also as the renderers show them: escaped (a newline as \n), and as Markdown text (HTML inert, pipes escaped)
        self.masker.add(secrets | {visible(s) for s in secrets} | {markdown_text(s) for s in secrets})

    def line(self, text: str = "", style: str | None = None) -> None:
        self.out.line(self.masker.text(text), style)

    def heading(self, text: str) -> None:
        self.out.heading(self.masker.text(text))

    def document(self, text: str) -> None:
        """A JSON or Markdown document on stdout: masked as a whole, after it is rendered."""
        self.out.document(self.masker.text(text))

    def table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        self.out.table(headers, [[self.masker.text(cell) for cell in row] for row in rows], styles)

    def live(self) -> AbstractContextManager[LiveRows | None]:
        return self.out.live(self.masker.text)

    def __getattr__(self, name: str) -> Any:  # whatever else Output offers (is_tty, the stream)
        return getattr(self.out, name)

    @contextmanager
    def errors_masked(self) -> Iterator[None]:
        """An error's one line (printed by the CLI) is masked like everything else."""
        try:
            yield
        except Exception as error:  # ours, an AWS error's message, and a bug's one line alike
            error.args = tuple(self.masker.text(str(arg)) for arg in error.args)
            raise


def hide_secrets(out: Any, template: dict[str, Any], values: dict[str, Any]) -> None:
    """Mask the template's NoEcho values on `out` from now on (a plain Output, in a test, is left as it is)."""
    if isinstance(out, MaskedOutput):
        out.hide(template, values)
