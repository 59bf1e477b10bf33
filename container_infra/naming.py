"""Readable, stable CloudFormation logical IDs derived from the config's names.

A logical ID is the resource's identity to CloudFormation: a changed ID replaces the
resource. IDs are therefore a pure function of names and never carry hash suffixes.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")


def pascal(name: str) -> str:
    """`my-test-cluster` -> `MyTestCluster`; `hello_app.v2` -> `HelloAppV2`."""
    return "".join(word[:1].upper() + word[1:] for word in _WORD.findall(name))


def image_parameter_id(container_name: str) -> str:
    """The template parameter that carries a container's image: `web` -> `WebImage`."""
    return f"{pascal(container_name)}Image"


def with_suffix(name: str, suffix: str) -> str:
    """`my-test-cluster` + Cluster -> `MyTestCluster`; `shop` + Cluster -> `ShopCluster`."""
    base = pascal(name)
    return base if base.endswith(suffix) else base + suffix
