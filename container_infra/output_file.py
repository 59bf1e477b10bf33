"""generate.py -o: the whole template or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from container_infra.errors import UserError


def write_atomically(output: str, text: str) -> None:
    """Write the whole file or nothing: a half-written file is never left behind."""
    path = Path(output)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"--output {path}: directory {directory} does not exist")
    handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError as error:
        os.unlink(temp)
        raise UserError(f"--output {path}: cannot write ({error.strerror})") from None
