"""`[repository]`: a private ECR repository for the app's images."""

from __future__ import annotations

import re
from dataclasses import dataclass

from container_infra.config.tables import Table

REPOSITORY_NAME = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class RepositoryConfig:
    name: str = "webapp"
    keep_images: int = 20


def parse_repository(table: Table) -> RepositoryConfig:
    default = RepositoryConfig()
    name = table.get("name", str, default.name)
    if not (2 <= len(name) <= 256 and REPOSITORY_NAME.fullmatch(name)):
        raise table.fail(
            "name", name, "an ECR repository name: lowercase letters, digits, '.', '_', '-' and '/', 2-256 characters"
        )
    keep = table.int_between("keep_images", default.keep_images, 1, 10000)
    table.done()
    return RepositoryConfig(name, keep)
