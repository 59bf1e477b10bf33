"""cfn-lint's findings kept on disk, keyed by what decides them: the template's text, cfn-lint's version (its rules
and schemas), the project's own rules (lint_rules/, every file's content) and the settings they run with.

About a hundred lint calls a run are near-identical templates that did not change since the last run; each costs
cfn-lint a second or more. A changed template, rule file, setting or cfn-lint release is a new key, so a stale entry
is never read, only left behind (the folder can be deleted at any time).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "1"  # the entries' own layout: bump it when what is stored changes


def default_directory() -> Path:
    """$CONTAINER_INFRA_LINT_CACHE, else the user's cache folder (XDG_CACHE_HOME, ~/.cache)/container-infra/cfn-lint."""
    if chosen := os.environ.get("CONTAINER_INFRA_LINT_CACHE"):
        return Path(chosen)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "container-infra" / "cfn-lint"


@dataclass(frozen=True)
class LintCache:
    directory: Path
    version: str  # cfn-lint's
    rules: Path  # the project's rule folder
    settings: Mapping[str, Any]  # what else decides the findings (checks included, regions); no paths

    def key(self, template_text: str) -> str:
        digest = hashlib.sha256()
        for part in (FORMAT, self.version, json.dumps(self.settings, sort_keys=True), *self._rule_files()):
            digest.update(part.encode() + b"\0")
        digest.update(template_text.encode())
        return digest.hexdigest()

    def _rule_files(self) -> list[str]:
        """Each rule file's name and content (read each time: a rule edited during a session counts at once)."""
        files = sorted(p for p in self.rules.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return [f"{p.relative_to(self.rules).as_posix()}\0{p.read_text(encoding='utf-8')}" for p in files]

    def findings(self, template_text: str, run: Callable[[str], list[str]]) -> tuple[str, ...]:
        """The findings for this text: from the cache, or from `run` (then stored)."""
        path = self.directory / f"{self.key(template_text)}.json"
        try:
            return tuple(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass  # not linted yet, or an entry cut short: lint again
        found = tuple(run(template_text))
        self._store(path, list(found))
        return found

    def _store(self, path: Path, found: list[str]) -> None:
        """Written whole, then renamed: parallel workers (xdist) never read half an entry."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(found, file)
        os.replace(temporary, path)
