"""Whether the installed SDK knows CreateChangeSet's DeploymentConfig (CloudFormation's express mode)."""

from __future__ import annotations

from typing import Any


def knows_deployment_config(cloudformation: Any) -> bool:
    """botocore validates parameters against its own model: an older one refuses DeploymentConfig outright."""
    shape = cloudformation.meta.service_model.operation_model("CreateChangeSet").input_shape
    return "DeploymentConfig" in shape.members
