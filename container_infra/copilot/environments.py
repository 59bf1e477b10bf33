"""Copilot environments -> `[environments.<name>]`: where each lives, and what its overrides change.

Copilot merges a manifest's `environments.<env>` block into the service's fields (maps key by key, anything else
replaced), keeps the account and region in the environment's own stack (made by `copilot env init`), and fills in
`${COPILOT_ENVIRONMENT_NAME}`. Here each environment holds what differs from the base: tables merge key by key, the
containers array is replaced whole, as this project's loader merges them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from container_infra.config.environments import merged as merge_tables
from container_infra.copilot.notes import COMMENTS, Notes, Unmapped, mapping
from container_infra.copilot.service import convert_service
from container_infra.copilot.toml_text import INLINE

TARGETS = {"range", "cpu_percentage", "memory_percentage", "requests", "response_time"}
IMAGE_EXCLUSIVE = (({"location"}, {"build"}), ({"build"}, {"location"}))
COUNT_EXCLUSIVE = (({"spot"}, TARGETS), (TARGETS, {"spot"}))
PLACEHOLDER_ACCOUNT = "000000000000"  # no credentials are ever for it, so deploy.py --env refuses until it is set
Substitute = Callable[[dict[str, Any], str, str], dict[str, Any]]


def environment_tables(
    base: dict[str, Any],
    manifest: dict[str, Any],
    names: list[str],
    accounts: dict[str, str],
    application: str,
    notes: Notes,
    substitute: Substitute,
) -> dict[str, Any]:
    overrides = manifest.get("environments") or {}
    plain = {k: v for k, v in manifest.items() if k != "environments"}
    known = {item.line() for item in notes.items}
    converted: dict[str, dict[str, Any]] = {}
    own_notes: dict[str, Notes] = {}
    for name in names:
        own_notes[name] = Notes(notes.source, prefix=f"environments.{name}.")
        override = mapping(overrides.get(name), f"environments.{name}", notes, "manifest fields to override")
        override = _without_identity(override, own_notes[name])
        merged = substitute(merge_tables(_unset(plain, override), override), application, name)
        converted[name] = convert_service(merged, own_notes[name], [])
    for other in converted.values():
        _drop_missing(base, other)
    tables = {}
    for name in names:
        own = own_notes[name]
        table: dict[str, Any] = {COMMENTS: []}
        if name in accounts:
            table["account"] = accounts[name]
        else:
            table[COMMENTS].extend(
                [
                    f"a placeholder account: Copilot keeps {name}'s account and region in the SSM parameter "
                    f"/copilot/applications/{application}/environments/{name}",
                    f"(JSON accountID and region, in the application's account and Region; "
                    f"`copilot env show -n {name}` prints them): set account and region here, or convert with "
                    f"--account {name}=ID",
                ]
            )
            table["account"] = PLACEHOLDER_ACCOUNT
        table["stack_name"] = f"{manifest['name']}-{name}"
        table["cluster"] = {"name": f"{manifest['name']}-{name}"}
        table.update(_differences(base, converted[name]))
        for item in own.items:
            if item.line().replace(own.prefix, "", 1) not in known:
                notes.items.append(item)
                table[COMMENTS].append(f"not converted: {item.line()}")
        tables[name] = table
    return tables


def _unset(plain: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """What an override takes away from the base, as Copilot's merge does (manifest/transform.go): an image's
    location unsets its build and the other way round; in count, spot unsets range and targets, and those unset
    spot. Without it, a base build with a location for prod would read as both, which Copilot refuses."""
    base = copy.deepcopy(plain)
    for field, pairs in (("image", IMAGE_EXCLUSIVE), ("count", COUNT_EXCLUSIVE)):
        mine, theirs = base.get(field), override.get(field)
        if not isinstance(mine, dict) or not isinstance(theirs, dict):
            continue
        for given, unset in pairs:
            if given & set(theirs):
                for key in unset:
                    mine.pop(key, None)
    return base


def _drop_missing(base: dict[str, Any], other: dict[str, Any], path: str = "") -> None:
    """An override can change a key but not remove it: a key some environment goes without (desired_count where it
    autoscales) leaves the base, and each environment that has it sets it itself. The comments of a table that
    leaves stay, on the table that held it: a 'not converted' note is never lost from the file."""
    for key in list(base):
        if key in (COMMENTS, "stack_name", "cluster", "environments", "repository"):
            continue
        where = f"{path}.{key}" if path else key
        if key not in other:
            moved = _comments(base.pop(key), where)
            if moved:
                base.setdefault(COMMENTS, []).extend(moved)
        elif isinstance(base[key], dict) and isinstance(other[key], dict) and key not in INLINE:
            _drop_missing(base[key], other[key], where)


def _comments(item: Any, path: str) -> list[str]:
    """The comment lines of a table and of the tables inside it, each saying which table it was on."""
    if not isinstance(item, dict):
        return []
    found = [f"on [{path}], which each environment that has it sets: {line}" for line in item.get(COMMENTS, [])]
    for key, inner in item.items():
        if key != COMMENTS:
            found += _comments(inner, f"{path}.{key}")
    return found


def _differences(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """What `other` sets differently from `base`."""
    result: dict[str, Any] = {}
    for key, value in other.items():
        if key in (COMMENTS, "stack_name", "cluster"):
            continue
        mine = base.get(key)
        if isinstance(value, dict) and isinstance(mine, dict) and key not in INLINE:
            inner = _differences(mine, value)
            if inner:
                result[key] = inner
        elif _clean(value) != _clean(mine):
            result[key] = _clean(value)
    return result


def _clean(item: Any) -> Any:
    if isinstance(item, dict):
        return {k: _clean(v) for k, v in item.items() if k != COMMENTS}
    if isinstance(item, list):
        return [_clean(v) for v in item]
    return item


ENVIRONMENT_STACK = (
    "set in Copilot's environment stack (its VPC, load balancer, certificates and more), which this service's stack "
    "does not take over: check that the converted config does the same"
)
SOURCE_IPS = (
    "Copilot's load balancer admitted only these sources; the converted load balancer admits the internet: restrict "
    "its security group before traffic moves to it"
)


def environment_fields(path: Path, manifest: dict[str, Any]) -> list[Unmapped]:
    """Every setting of an environment's manifest, one line each: none of it is converted, and some of it (who may
    reach the load balancer, its certificates, the VPC) decides what a service is exposed to."""
    return [
        Unmapped(f"{path}: {name}", value, SOURCE_IPS if name.endswith("ingress.source_ips") else ENVIRONMENT_STACK)
        for name, value in _leaves(manifest, "")
        if name not in ("name", "type")
    ]


def _leaves(value: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in _leaves(item, f"{prefix}{key}.")]
    return [(prefix.removesuffix("."), value)]


def _without_identity(override: dict[str, Any], notes: Notes) -> dict[str, Any]:
    """An override's `name` or `type`: Copilot's per-environment overrides have neither (a service is one service of
    one type everywhere), so they are listed and left out rather than renaming or retyping one environment."""
    for key in ("name", "type"):
        if key in override:
            notes.items.append(Unmapped(f"{notes.prefix}{key}", override[key], IDENTITY))
    return {key: value for key, value in override.items() if key not in ("name", "type")}


IDENTITY = "an environment cannot override the service's name or type (Copilot has no such override); left out"
