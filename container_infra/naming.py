"""Readable, stable CloudFormation logical IDs derived from the config's names.

A logical ID is the resource's identity to CloudFormation: a changed ID replaces the
resource. IDs are therefore a pure function of names. CloudFormation allows 255 characters,
and the config allows names as long as ECS and ECR do (255, 256): a name whose ID part would
leave no room for the longest suffix the templates add is shortened, as CDK does, to a prefix
and a hash of the whole name. Names of ordinary length never change.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_LOGICAL_ID = 255
# cfn-lint reports IDs past 90% of the limit (I3012): stay under that with the longest suffix the templates add.
QUIET_LOGICAL_ID = 229
LONGEST_SUFFIX = 30  # ServiceIngressFromLoadBalancer
MAX_BASE = QUIET_LOGICAL_ID - LONGEST_SUFFIX
HASH_LENGTH = 8


def pascal(name: str) -> str:
    """`my-test-cluster` -> `MyTestCluster`; `hello_app.v2` -> `HelloAppV2`; at most MAX_BASE characters."""
    base = "".join(word[:1].upper() + word[1:] for word in _WORD.findall(name))
    return base if len(base) <= MAX_BASE else base[: MAX_BASE - HASH_LENGTH] + stable_hash(name).upper()


def stable_hash(text: str) -> str:
    """Only long names need it, so hashlib (~4 ms to import, OpenSSL) is imported here, not at the top."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def clip(text: str, limit: int) -> str:
    """A name or description cut to what AWS allows, keeping a hash of the whole so that it stays unique and stable."""
    return text if len(text) <= limit else text[: limit - HASH_LENGTH - 1] + "-" + stable_hash(text)


def image_parameter_id(container_name: str) -> str:
    """The template parameter that carries a container's image: `web` -> `WebImage`."""
    return f"{pascal(container_name)}Image"


def with_suffix(name: str, suffix: str) -> str:
    """`my-test-cluster` + Cluster -> `MyTestCluster`; `shop` + Cluster -> `ShopCluster`."""
    base = pascal(name)
    return base if base.endswith(suffix) else base + suffix


MAX_LOGICAL_ID = (
    255  # CloudFormation's limit on a logical ID (cfn-lint E3001 and E2011; troposphere refuses longer titles)
)
# The longest text the templates add to each name's PascalCase form, e.g. `WebappServiceIngressFromLoadBalancer`,
# `MyTestCluster`, `WebImage`, `WebappRepository`.
LONGEST_ID_SUFFIX = {
    "family": len("ServiceIngressFromLoadBalancer"),
    "cluster": len("Cluster"),
    "container": len("Image"),
    "repository": len("Repository"),
}


def logical_id_room(kind: str) -> int:
    """How many letters and digits a name of this kind may have so that every logical ID built from it fits."""
    return MAX_LOGICAL_ID - LONGEST_ID_SUFFIX[kind]


def fits_logical_ids(kind: str, name: str) -> bool:
    return len(pascal(name)) <= logical_id_room(kind)


def id_room_rule(kind: str) -> str:
    """What a config error says when a name is too long for its logical IDs."""
    return (
        f"too long for the template's logical IDs: at most {logical_id_room(kind)} letters and digits (a CloudFormation "
        f"logical ID holds 255 characters, and the longest built from this name adds {LONGEST_ID_SUFFIX[kind]})"
    )


def within(text: str, limit: int, name: str) -> str:
    """`text` (which contains `name` once) at most `limit` characters, by shortening the name to fit, with '...'."""
    excess = len(text) - limit
    if excess <= 0:
        return text
    return text.replace(name, name[: max(len(name) - excess - 3, 0)] + "...", 1)
