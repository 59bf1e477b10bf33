"""ECR reads for --build: where a repository is, whether it holds a tag, and a docker login password."""

from __future__ import annotations

import base64
from typing import Any

from container_infra.errors import AwsError


def repository_uri(ecr: Any, name: str) -> str | None:
    try:
        return str(ecr.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryUri"])
    except AwsError as error:
        if error.code == "RepositoryNotFoundException":
            return None
        raise


def has_tag(ecr: Any, repository: str, tag: str) -> bool:
    return has_image(ecr, repository, {"imageTag": tag})


def has_image(ecr: Any, repository: str, image_id: dict[str, str], registry: str | None = None) -> bool:
    """The repository holds the image (`{"imageTag": ...}` or `{"imageDigest": ...}`); False without a repository."""
    try:
        ecr.describe_images(
            repositoryName=repository, imageIds=[image_id], **({"registryId": registry} if registry else {})
        )
        return True
    except AwsError as error:
        if error.code in ("ImageNotFoundException", "RepositoryNotFoundException"):
            return False
        raise


def login_password(ecr: Any) -> str:
    """GetAuthorizationToken's password (the token is base64 of `AWS:<password>`)."""
    data = ecr.get_authorization_token()["authorizationData"][0]
    _, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    return password
