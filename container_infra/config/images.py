"""Container image references: validation and the chapter's container-name rule.

The chapter's `_extract_image_name` splits on '/' and ':', which breaks on a registry
with a port (`localhost:5000/app:1`) and on digests (`app@sha256:...`). This follows the
Docker reference grammar instead: [host[:port]/]path[:tag][@digest].
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATH_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
)
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")

IMAGE_RULE = "[registry[:port]/]name[:tag][@digest] with a lowercase name"


@dataclass(frozen=True, slots=True)
class ImageReference:
    """An image reference split as Docker's grammar splits it: [registry/]path[:tag][@digest]."""

    registry: str | None
    path: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """The last path component: `hello-app-runner` for `public.ecr.aws/aws-containers/hello-app-runner:latest`."""
        return self.path.rsplit("/", 1)[-1]


def parse_image(reference: str) -> ImageReference | None:
    """Parse a reference; None when it is not a valid image reference."""
    if not reference or len(reference) > 2048 or reference != reference.strip():
        return None
    rest, digest = reference, None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        if not _DIGEST.fullmatch(digest):
            return None
    tag = None
    last_slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
        if not _TAG.fullmatch(tag):
            return None
    components = rest.split("/")
    registry = None
    if len(components) > 1 and _looks_like_host(components[0]):
        registry = components.pop(0)
        if not _HOST.fullmatch(registry):
            return None
    if not all(_PATH_COMPONENT.fullmatch(part) for part in components):
        return None
    return ImageReference(registry, "/".join(components), tag, digest)


def _looks_like_host(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost" or component != component.lower()
