"""A private ECR repository for the app's own images."""

from __future__ import annotations

import json

from troposphere import Template, ecr

from container_infra.config import RepositoryConfig
from container_infra.naming import pascal


def lifecycle_policy(keep_images: int) -> str:
    """Expire all but the newest `keep_images` images, tagged or not."""
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": f"Keep only the newest {keep_images} images",
                    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_images},
                    "action": {"type": "expire"},
                }
            ]
        },
        sort_keys=True,
    )


def add_repository(template: Template, config: RepositoryConfig) -> ecr.Repository:
    """Scanned on push, immutable tags (deploys use content-derived tags), retained with its images."""
    return template.add_resource(
        ecr.Repository(
            f"{pascal(config.name)}Repository",
            RepositoryName=config.name,
            ImageScanningConfiguration=ecr.ImageScanningConfiguration(ScanOnPush=True),
            ImageTagMutability="IMMUTABLE",
            EncryptionConfiguration=ecr.EncryptionConfiguration(EncryptionType="KMS"),
            LifecyclePolicy=ecr.LifecyclePolicy(LifecyclePolicyText=lifecycle_policy(config.keep_images)),
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
    )
