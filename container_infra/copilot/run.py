"""The conversion as generate.py runs it: the config's text, and each unconverted field as one stderr line."""

from __future__ import annotations

import sys

from container_infra.copilot import convert
from container_infra.options import CopilotOptions


def converted_config(options: CopilotOptions) -> str:
    conversion = convert(options.directory, options.service, options.accounts)
    for item in conversion.unmapped:
        print(f"not converted: {item.line()}", file=sys.stderr)
    return conversion.text
