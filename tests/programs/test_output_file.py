"""generate.py -o behaves like `>` (mode, symlinks) and stays all-or-nothing; stdout errors are one line."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys

import pytest

from container_infra.errors import UserError
from container_infra.output_file import write_atomically
from tests.helpers import ROOT, one_error_line, run_tool


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "template.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    assert run_tool("generate.py", "-o", str(target)).returncode == 0
    assert _mode(target) == 0o644
    assert json.loads(target.read_text())["Resources"]
    os.chmod(target, 0o640)
    assert run_tool("generate.py", "-o", str(target)).returncode == 0
    assert _mode(target) == 0o640


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_file_gets_the_umask_mode_like_a_redirect(tmp_path, umask):
    redirected, written = tmp_path / "redirected.json", tmp_path / "written.json"
    script = (
        f"umask {umask:03o}; {sys.executable} {ROOT / 'generate.py'} > {redirected}; "
        f"{sys.executable} {ROOT / 'generate.py'} -o {written}"
    )
    subprocess.run(["sh", "-c", script], check=True, cwd=ROOT)
    assert _mode(written) == _mode(redirected) == 0o666 & ~umask


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_tool("generate.py", "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["Resources"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    assert run_tool("generate.py", "-o", str(link)).returncode == 0
    assert link.is_symlink() and json.loads((tmp_path / "new.json").read_text())["Resources"]


def test_a_directory_is_one_line(tmp_path):
    line = one_error_line(run_tool("generate.py", "-o", str(tmp_path)))
    assert f"--output {tmp_path}" in line and "directory" in line


def test_a_read_only_filesystem_is_one_line_and_nothing_is_left(tmp_path, monkeypatch):
    """The old 'internal error': mkstemp's EROFS escaped as an OSError."""

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    with pytest.raises(UserError, match="Read-only file system"):
        write_atomically(str(tmp_path / "t.json"), "{}")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "t.json"
    target.write_text("old")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("os.replace", full)
    with pytest.raises(UserError, match="No space left on device"):
        write_atomically(str(target), "{}")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["t.json"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_one_line():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, str(ROOT / "generate.py")], stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
    result.stdout = ""
    line = one_error_line(result)
    assert line.startswith("error: stdout: cannot write the template (No space left on device)")


def test_a_pipe_or_device_is_written_to_not_replaced(tmp_path):
    """`-o /dev/stdout` or a named pipe: written like `>`; replacing it (as root, even /dev/null) would be a
    disaster."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    result = run_tool("generate.py", "-o", str(fifo))
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["Resources"]
