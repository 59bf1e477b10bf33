"""Who the credentials are (STS GetCallerIdentity), and a role assumed for one run (STS AssumeRole)."""

from __future__ import annotations

from typing import Any

import boto3.session
import botocore.session
from botocore.credentials import CredentialProvider, RefreshableCredentials

from container_infra.aws.session import Aws

SESSION_NAME = "container-infra-deploy"  # seen in the target account's CloudTrail as the role session's name


def caller_account(aws: Aws) -> str:
    """The account the credentials act in: asked of AWS, since a profile's name says nothing certain."""
    return str(aws.client("sts").get_caller_identity()["Account"])


def assumed(aws: Aws, role_arn: str) -> Aws:
    """Clients of the same region acting as `role_arn` for this run. botocore renews the role's credentials before
    they expire, as it does for a profile with role_arn: a blue/green bake or a long rollout outlasts one session."""
    core = botocore.session.Session()
    core.get_component("credential_provider").insert_before("env", _AssumedRole(aws.client("sts"), role_arn))
    return Aws(boto3.session.Session(botocore_session=core, region_name=aws.region), aws.region, {}, aws.say)


class _AssumedRole(CredentialProvider):
    """The role's credentials, fetched with the run's own (source) credentials, and fetched again when near expiry."""

    METHOD = "container-infra-assume-role"

    def __init__(self, sts: Any, role_arn: str) -> None:
        super().__init__()
        self._sts, self._role_arn = sts, role_arn

    def load(self) -> RefreshableCredentials:
        return RefreshableCredentials.create_from_metadata(self._fetch(), refresh_using=self._fetch, method=self.METHOD)

    def _fetch(self) -> dict[str, str]:
        answer = self._sts.assume_role(RoleArn=self._role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
        expiry = answer["Expiration"]
        return {
            "access_key": answer["AccessKeyId"],
            "secret_key": answer["SecretAccessKey"],
            "token": answer["SessionToken"],
            "expiry_time": expiry.isoformat() if hasattr(expiry, "isoformat") else str(expiry),
        }
