"""A private ECR repository for the app's own images."""

from __future__ import annotations

import json

from troposphere import Template, ecr

from container_infra.config.repository import RepositoryConfig
from container_infra.naming import pascal


def lifecycle_policy(keep_images: int) -> str:
    """Expire untagged images beyond the newest `keep_images`; never a tagged one.

    Deploys push content-derived tags and the task definition (and a circuit-breaker rollback) names one of them:
    a count over all images could expire the image a running or rolled-back service still points to.
    """
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": f"Expire untagged images beyond the newest {keep_images}; tagged images stay",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "imageCountMoreThan",
                        "countNumber": keep_images,
                    },
                    "action": {"type": "expire"},
                }
            ]
        },
        sort_keys=True,
    )


def add_repository(template: Template, config: RepositoryConfig) -> ecr.Repository:
    """Scanned on push, immutable tags (deploys use content-derived tags), retained with its images.

    Unnamed: `name` names the logical ID (like `cluster.name`) and CloudFormation names the repository. A fixed
    RepositoryName on a retained repository makes the next create (after a destroy, or a second stack in the
    account and Region) fail on the repository left behind; the RepositoryUri output says where it is.
    """
    return template.add_resource(
        ecr.Repository(
            f"{pascal(config.name)}Repository",
            ImageScanningConfiguration=ecr.ImageScanningConfiguration(ScanOnPush=True),
            ImageTagMutability="IMMUTABLE",
            EncryptionConfiguration=ecr.EncryptionConfiguration(EncryptionType="KMS"),
            LifecyclePolicy=ecr.LifecyclePolicy(LifecyclePolicyText=lifecycle_policy(config.keep_images)),
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
    )
