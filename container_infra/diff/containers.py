"""A diff that speaks ECS: container definitions matched by name, not by list index.

Per container: the image (tag or digest as written, or as CloudFormation resolved it when it says),
environment variables and secrets added, removed and changed (a secret's value and reference are
never shown), CPU and memory, ports, the health check, anything else by key. Reordering containers
changes nothing here.
"""

from __future__ import annotations

from typing import Any

from container_infra.diff.model import ValueChange

PROPERTY = "ContainerDefinitions"
TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition"
RESOLVABLE_KEYS = ("Image", "Cpu", "Memory", "MemoryReservation")  # scalars, whose resolved value is worth showing
SECRET = "(secret)"
SECRET_CHANGED = "(secret, another source)"
FIRST_KEYS = ("Image", "Cpu", "Memory", "MemoryReservation", "PortMappings", "HealthCheck", "Environment", "Secrets")


def refine_containers(
    resource_type: str,
    old: dict[str, Any],
    new: dict[str, Any],
    rows: list[ValueChange],
    known: dict[str, tuple[Any, Any]] | None = None,
) -> list[ValueChange]:
    """Replace the index-based ContainerDefinitions rows of a task definition by name-based ones (when every container
    has a name)."""
    if resource_type != TASK_DEFINITION_TYPE:
        return rows
    before = (old.get("Properties") or {}).get(PROPERTY)
    after = (new.get("Properties") or {}).get(PROPERTY)
    if not _named_list(before) or not _named_list(after):
        return rows
    ours = [r for r in rows if _is_container_row(r)]
    if not ours:
        return rows
    replacement = next((r.replacement for r in ours if r.replacement), None)
    changes = container_changes(before, after, known or {})
    if not changes:
        changes = [ValueChange(PROPERTY, "(the same containers)", "reordered only: no container changed")]
    for change in changes:
        change.replacement = replacement
    return [r for r in rows if not _is_container_row(r)] + changes


def container_changes(
    before: list[dict[str, Any]], after: list[dict[str, Any]], known: dict[str, tuple[Any, Any]]
) -> list[ValueChange]:
    old = {c["Name"]: (i, c) for i, c in enumerate(before)}
    new = {c["Name"]: (i, c) for i, c in enumerate(after)}
    changes: list[ValueChange] = []
    for name in [c["Name"] for c in after] + [c["Name"] for c in before if c["Name"] not in new]:
        prefix = f"{PROPERTY}[{name}]"
        if name not in old:
            changes.append(ValueChange(prefix, None, f"new container, image {_image(new[name][1].get('Image'))}"))
        elif name not in new:
            changes.append(ValueChange(prefix, f"container, image {_image(old[name][1].get('Image'))}", None))
        else:
            changes += _one_container(prefix, old[name], new[name], known)
    return changes


def _one_container(
    prefix: str, old: tuple[int, dict], new: tuple[int, dict], known: dict[str, tuple[Any, Any]]
) -> list[ValueChange]:
    (_, before), (new_index, after) = old, new
    changes: list[ValueChange] = []
    keys = [k for k in FIRST_KEYS if k in before or k in after] + sorted(
        (set(before) | set(after)) - set(FIRST_KEYS) - {"Name"}
    )
    for key in keys:
        old_value, new_value = before.get(key), after.get(key)
        resolved = known.get(f"/Properties/{PROPERTY}/{new_index}/{key}")
        if resolved and resolved[0] != resolved[1] and key in RESOLVABLE_KEYS:
            old_value, new_value = (
                resolved  # what CloudFormation resolved (IncludePropertyValues), e.g. an SSM parameter
            )
        if key == "Environment":
            changes += _named_values(f"{prefix}.Environment", old_value, new_value, secret=False)
        elif key == "Secrets":
            changes += _named_values(f"{prefix}.Secrets", old_value, new_value, secret=True)
        elif key == "PortMappings":
            if _ports(old_value) != _ports(new_value):
                changes.append(
                    ValueChange(f"{prefix}.PortMappings", _ports(old_value) or None, _ports(new_value) or None)
                )
        elif old_value != new_value:
            changes.append(ValueChange(f"{prefix}.{key}", _shown(key, old_value), _shown(key, new_value)))
    return changes


def _named_values(prefix: str, before: Any, after: Any, *, secret: bool) -> list[ValueChange]:
    """Environment variables or secrets by name; a secret shows that it changed, never its value or where it comes
    from."""
    field = "ValueFrom" if secret else "Value"
    old = {e.get("Name"): e.get(field) for e in before or [] if isinstance(e, dict)}
    new = {e.get("Name"): e.get(field) for e in after or [] if isinstance(e, dict)}
    changes = []
    for name in sorted(set(old) | set(new), key=str):
        if name in old and name in new and old[name] == new[name]:
            continue
        if secret:
            changes.append(
                ValueChange(
                    f"{prefix}.{name}",
                    SECRET if name in old else None,
                    (SECRET_CHANGED if name in old else SECRET) if name in new else None,
                )
            )
        else:
            changes.append(
                ValueChange(
                    f"{prefix}.{name}", old.get(name) if name in old else None, new.get(name) if name in new else None
                )
            )
    return changes


def _ports(mappings: Any) -> str:
    if not isinstance(mappings, list):
        return "" if mappings is None else str(mappings)
    shown = [
        f"{m.get('ContainerPort')}/{str(m.get('Protocol', 'tcp')).lower()}" for m in mappings if isinstance(m, dict)
    ]
    return ", ".join(sorted(shown))


def _shown(key: str, value: Any) -> Any:
    return _image(value) if key == "Image" and value is not None else value


def _image(value: Any) -> Any:
    """An image as written: repository:tag or repository@sha256:digest (both are shown in full)."""
    return value


def _is_container_row(row: ValueChange) -> bool:
    return row.name == PROPERTY or row.name.startswith(PROPERTY + "[") or row.name.startswith(PROPERTY + ".")


def _named_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(c, dict) and isinstance(c.get("Name"), str) for c in value)
        and len({c["Name"] for c in value}) == len(value)
    )


def known_values(details: list[dict[str, Any]]) -> dict[str, tuple[Any, Any]]:
    """Target.Path -> (BeforeValue, AfterValue), where the change set was described with IncludePropertyValues."""
    values = {}
    for detail in details:
        target = detail.get("Target") or {}
        if target.get("Path") and ("BeforeValue" in target or "AfterValue" in target):
            values[str(target["Path"])] = (target.get("BeforeValue"), target.get("AfterValue"))
    return values
