"""Summarise mutmut's results (mutants/**/*.py.meta) per module, name every survivor, and mark those that
bench/equivalent.txt explains (a mutant no test can tell apart from the code); the last line says how many survivors
are not explained.

A mutant no selected test reaches ("no tests") is counted as survived: nothing would notice it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

EQUIVALENT = Path(__file__).with_name("equivalent.txt")

STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "survived",
    33: "survived",
    None: "not checked",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
}


def main(patterns: list[str]) -> int:
    per_module: dict[str, Counter[str]] = {}
    survivors: list[str] = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if patterns and not any(fnmatch(key, p) for p in patterns):
                continue
            module = key.split(".x_")[0].split(".xǁ")[0]
            status = STATUS.get(code, "suspicious")
            per_module.setdefault(module, Counter())[status] += 1
            if status == "survived":
                survivors.append(key)
    if not per_module:
        print("no mutants found: did mutmut run? (see mutants.log)")
        return 1
    print(f"{'module':40} {'generated':>9} {'killed':>7} {'survived':>9} {'timeout':>8} {'unchecked':>9}")
    for module, counts in sorted(per_module.items()):
        print(
            f"{module:40} {sum(counts.values()):9} {counts['killed']:7} {counts['survived']:9} {counts['timeout']:8} "
            f"{counts['not checked']:9}"
        )
    explained = equivalents()
    if survivors:
        print("survivors (inspect one with: uv run --with mutmut==3.8.1 mutmut show NAME):")
        for name in survivors:
            reason = explained.get(name)
            print(f"  {name}" + (f"  [equivalent: {reason}]" if reason else "  [UNEXPLAINED]"))
    short = ", ".join(
        f"{m.removeprefix('container_infra.')} {c['killed']}/{c['survived']}" for m, c in sorted(per_module.items())
    )
    print(f"killed/survived per module: {short}")
    unexplained = [name for name in survivors if name not in explained]
    print(
        f"unexplained survivors: {len(unexplained)} (of {len(survivors)} survivors; "
        f"{len(survivors) - len(unexplained)} explained in bench/equivalent.txt)"
    )
    return 0


def equivalents() -> dict[str, str]:
    """bench/equivalent.txt: a mutant's name, then why no test can tell it apart; '#' starts a comment."""
    if not EQUIVALENT.exists():
        return {}
    found = {}
    for line in EQUIVALENT.read_text().splitlines():
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if line:
            name, _, reason = line.partition(" ")
            found[name] = reason.strip()
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
