"""Secrets are never shown: the values of NoEcho parameters, wherever they end up.

A NoEcho parameter's value reaches the diff through `Ref` (a tag, an environment variable, a
`Fn::Join`), and event reasons can echo it back. The diff needs the real values to see *that*
something changes; what it shows, in text, JSON or any later renderer, goes through `mask_diff`
first, and every line deploy.py prints through `Masker.text`.

Dynamic references (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`) are never
resolved here: the diff shows the reference, which names the secret without revealing it.

Masking is by value, longest secret first, everywhere in a string: over-masking (a secret that
also occurs as an ordinary value) is the safe way to be wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Any, TypeVar

from container_infra.cfn.constants import SECRET_MASK, is_list_type, is_secret
from container_infra.diff.model import Diff, ResourceChange, ValueChange

Row = TypeVar("Row")


def secret_values(template: dict[str, Any], values: dict[str, Any]) -> set[str]:
    """The known values of the template's NoEcho parameters: given ones and defaults (not CloudFormation's ****)."""
    found: set[str] = set()
    for name, spec in (template.get("Parameters") or {}).items():
        if not isinstance(spec, dict) or not is_secret(spec):
            continue
        for value in (values.get(name), spec.get("Default")):
            found.update(_texts(value, listed=is_list_type(spec)))
    return {text for text in found if text and text != SECRET_MASK}


def secret_outputs(template: dict[str, Any]) -> set[str]:
    """The outputs whose value is built from a NoEcho parameter: CloudFormation reports them in plain text, and only
    the template says that the text is a secret (a value given at an earlier deploy is not known here)."""
    secrets = {
        n for n, spec in (template.get("Parameters") or {}).items() if isinstance(spec, dict) and is_secret(spec)
    }
    outputs = template.get("Outputs") or {}
    return {
        name
        for name, output in outputs.items()
        if secrets and isinstance(output, dict) and _refers_to(output.get("Value"), secrets)
    }


def _refers_to(value: Any, names: set[str]) -> bool:
    if isinstance(value, dict):
        if value.get("Ref") in names:
            return True
        sub = value.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) and sub else sub
        if isinstance(text, str) and any("${" + name + "}" in text for name in names):
            return True
        return any(_refers_to(item, names) for item in value.values())
    if isinstance(value, list):
        return any(_refers_to(item, names) for item in value)
    return False


def _texts(value: Any, *, listed: bool) -> list[str]:
    """A value as the strings it can appear as: a list parameter's also item by item."""
    if value is None:
        return []
    items = [str(item) for item in value] if isinstance(value, list) else str(value).split(",") if listed else []
    whole = ",".join(items) if isinstance(value, list) else str(value)
    return [whole, *(item.strip() for item in items)]


class Masker:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Hide these too; the longest first, so that a secret containing another is hidden whole. A secret is also
        hidden as JSON writes it inside a string (a quote or a backslash escaped, non-ASCII as \\u escapes)."""
        given = {s for s in secrets if s}
        escaped = {json.dumps(s, ensure_ascii=ascii)[1:-1] for s in given for ascii in (False, True)}
        self.secrets = sorted(set(self.secrets) | given | escaped, key=lambda s: (-len(s), s))

    def text(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, SECRET_MASK)
        return text

    def value(self, value: Any) -> Any:
        """Strings masked inside any structure of dicts and lists (keys too); other values as they are."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(key)): self.value(item) for key, item in value.items()}
        return value

    def row(self, row: Row) -> Row:
        """A frozen dataclass of display strings (an IAM statement, a security-group rule), masked."""
        return replace(row, **{f.name: self.text(getattr(row, f.name)) for f in fields(row)})  # type: ignore[arg-type, type-var]


def mask_diff(diff: Diff, masker: Masker) -> Diff:
    """The same diff with every secret value masked, before any renderer sees it."""
    if not masker.secrets:
        return diff
    return replace(
        diff,
        parameters=[_change(masker, c) for c in diff.parameters],
        iam_added=[masker.row(r) for r in diff.iam_added],
        iam_removed=[masker.row(r) for r in diff.iam_removed],
        rules_added=[masker.row(r) for r in diff.rules_added],
        rules_removed=[masker.row(r) for r in diff.rules_removed],
        resources=[_resource(masker, r) for r in diff.resources],
        outputs=[_change(masker, c) for c in diff.outputs],
    )


def _change(masker: Masker, change: ValueChange) -> ValueChange:
    return ValueChange(masker.text(change.name), masker.value(change.old), masker.value(change.new), change.replacement)


def _resource(masker: Masker, resource: ResourceChange) -> ResourceChange:
    return replace(
        resource,
        properties=[_change(masker, c) for c in resource.properties],
        warning=masker.text(resource.warning) if resource.warning is not None else None,
    )
