"""generate.py -o: the whole template or nothing, like `>` in what it keeps (mode, symlinks), never half a file."""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING

from container_infra.errors import UserError

if TYPE_CHECKING:
    from pathlib import Path


def write_atomically(output: str, text: str) -> None:
    """Write the whole file or nothing: a half-written file is never left behind.

    Like a shell redirect, an existing file keeps its permission bits, a new one gets the umask's
    (0666 & ~umask), and a symlink is written through (its target is replaced, the link stays).

    tempfile and pathlib are imported here: the run that prints to stdout (most runs) does not pay for them."""
    import tempfile
    from pathlib import Path

    path = Path(output)
    if path.is_dir():
        raise UserError(f"--output {output}: is a directory; give a file name")
    if _is_special(path):
        _write_in_place(output, text)  # a device or a pipe (/dev/stdout) cannot be replaced, only written to, as by '>'
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"--output {output}: directory {directory} does not exist")
    mode = _mode_for(target)
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fchmod(out.fileno(), mode)
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise UserError(f"--output {output}: cannot write ({error.strerror or error}); nothing was written") from None
    finally:
        if temp is not None:
            _remove(temp)


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)  # follows symlinks
    except OSError:
        return False


def _write_in_place(output: str, text: str) -> None:
    try:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as error:
        raise UserError(f"--output {output}: cannot write ({error.strerror or error})") from None


def write_stdout(text: str) -> None:
    """The template on stdout; a full disk or a closed pipe is one line, not a traceback at exit."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise
    except OSError as error:
        _silence_stdout()
        raise UserError(
            f"stdout: cannot write the template ({error.strerror or error}); use -o FILE or free some space"
        ) from None


def _silence_stdout() -> None:
    """What is still buffered for stdout must not fail again when Python exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
