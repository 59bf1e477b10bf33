"""Template text read as strictly as CloudFormation reads it.

JSON and YAML alike: a key given twice in one mapping is refused (the parsed result would keep the last while the
raw body goes to CloudFormation), and so are NaN and infinities (not JSON). YAML takes only CloudFormation's own short
tags (`!Ref`, `!Sub`, ...), and its aliases may not expand the parsed template past MAX_NODES values: a few hundred
bytes of nested aliases otherwise expand to gigabytes (the "billion laughs").
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml
from cfn_tools.yaml_loader import CfnYamlLoader, construct_getatt

MAX_NODES = 1_000_000  # far above any template CloudFormation takes (1 MB of text), far below an alias bomb
# The intrinsic functions' and condition functions' short forms (CloudFormation's template reference).
SHORT_TAGS = frozenset(
    {
        "Ref",
        "Condition",
        "Base64",
        "Cidr",
        "FindInMap",
        "GetAtt",
        "GetAZs",
        "ImportValue",
        "Join",
        "Select",
        "Split",
        "Sub",
        "Transform",
        "And",
        "Equals",
        "If",
        "Not",
        "Or",
        "ToJsonString",
        "Length",
    }
)
NOT_PREFIXED = ("Ref", "Condition")


class TemplateInputError(ValueError):
    """What makes a template's text unacceptable, in words for the one line the user reads."""


def load_json(body: str) -> Any:
    return check_values(json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_no_constant))


def load_yaml(body: str) -> Any:
    loader = _StrictLoader(body)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return check_values(loader.construct_document(node))
    finally:
        loader.dispose()


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise TemplateInputError(f"the key {key!r} is given twice in one mapping")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise TemplateInputError(f"{name} is not a JSON value")


class _StrictLoader(CfnYamlLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise TemplateInputError(f"the key {key!r} is given twice in one mapping (line {line})")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_tag(loader: _StrictLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if suffix not in SHORT_TAGS:
        line = node.start_mark.line + 1
        raise TemplateInputError(f"!{suffix} (line {line}) is not one of CloudFormation's short forms")
    name = suffix if suffix in NOT_PREFIXED else f"Fn::{suffix}"
    if suffix == "GetAtt":
        return {name: construct_getatt(node)}
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: _construct_mapping(loader, node, deep=True)}  # type: ignore[arg-type]


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_multi_constructor("!", _construct_tag)


def _check_size(root: yaml.Node) -> None:
    """The number of values the document expands to, aliases counted each time they are used (memoized: linear)."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise TemplateInputError("an alias refers to a value that contains it")
        visiting.add(key)
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        visiting.discard(key)
        sizes[key] = min(total, MAX_NODES + 1)
        if total > MAX_NODES:
            raise TemplateInputError(f"its aliases expand it past {MAX_NODES:,} values")
        return sizes[key]

    size(root)


def check_values(value: Any) -> Any:
    """No NaN or infinity anywhere, and a Ref names something (CloudFormation: "Ref must be a string")."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise TemplateInputError(f"{item} is not a number CloudFormation takes")
        if isinstance(item, dict):
            if "Ref" in item and not isinstance(item["Ref"], str):
                raise TemplateInputError(
                    f"a Ref takes the name of a parameter or resource, not {json.dumps(item['Ref'])}"
                )
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value
