"""An ECR image tag resolved to the digest it points at now (ECR DescribeImages), for promotion by digest."""

from __future__ import annotations

from typing import Any

from container_infra.errors import AwsError


def tag_digest(ecr: Any, repository: str, tag: str, registry: str) -> str | None:
    """The digest `repository:tag` names in `registry` (an account ID); None when there is no such image."""
    try:
        details = ecr.describe_images(registryId=registry, repositoryName=repository, imageIds=[{"imageTag": tag}])
    except AwsError as error:
        if error.code in ("ImageNotFoundException", "RepositoryNotFoundException"):
            return None
        raise
    images = details.get("imageDetails") or []
    return str(images[0]["imageDigest"]) if images and images[0].get("imageDigest") else None
