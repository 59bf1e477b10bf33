"""The conversion as generate.py runs it: the config's text, and each unconverted field as one stderr line."""

from __future__ import annotations

import sys
from pathlib import Path

from container_infra.copilot import convert
from container_infra.copilot.reader import copilot_folder
from container_infra.errors import UserError
from container_infra.options import CopilotOptions


def converted_config(options: CopilotOptions, output: str | None = None) -> str:
    if output is not None:
        _refuse_output_inside(options.directory, output)
    conversion = convert(options.directory, options.service, options.accounts)
    for item in conversion.unmapped:
        print(f"not converted: {item.line()}", file=sys.stderr)
    return conversion.text


def _refuse_output_inside(directory: str, output: str) -> None:
    """The config does not belong among the manifests: Copilot and the next conversion read that folder."""
    folder = copilot_folder(Path(directory)).resolve()
    if Path(output).resolve().is_relative_to(folder):
        raise UserError(
            f"-o {output}: inside {folder}, the Copilot folder that Copilot and --from-copilot read; "
            "write the config outside it"
        )
