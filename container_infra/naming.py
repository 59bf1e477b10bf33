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


MAX_LOGICAL_ID = 255  # CloudFormation's limit on a logical ID (cfn-lint E3001 and E2011; troposphere refuses longer titles)
# The longest text the templates add to each name's PascalCase form, e.g. `WebappServiceIngressFromLoadBalancer`,
# `MyTestCluster`, `WebImage`, `WebappRepository`.
LONGEST_ID_SUFFIX = {"family": len("ServiceIngressFromLoadBalancer"), "cluster": len("Cluster"), "container": len("Image"),
                     "repository": len("Repository")}


def logical_id_room(kind: str) -> int:
    """How many letters and digits a name of this kind may have so that every logical ID built from it fits."""
    return MAX_LOGICAL_ID - LONGEST_ID_SUFFIX[kind]


def fits_logical_ids(kind: str, name: str) -> bool:
    return len(pascal(name)) <= logical_id_room(kind)


def id_room_rule(kind: str) -> str:
    """What a config error says when a name is too long for its logical IDs."""
    return (f"too long for the template's logical IDs: at most {logical_id_room(kind)} letters and digits (a CloudFormation "
            f"logical ID holds 255 characters, and the longest built from this name adds {LONGEST_ID_SUFFIX[kind]})")


def within(text: str, limit: int, name: str) -> str:
    """`text` (which contains `name` once) at most `limit` characters, by shortening the name to fit, with '...'."""
    excess = len(text) - limit
    if excess <= 0:
        return text
    return text.replace(name, name[: max(len(name) - excess - 3, 0)] + "...", 1)
