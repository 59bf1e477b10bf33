"""A role assumed for a run keeps working past its first session: botocore fetches it again before it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3.session

from container_infra.aws.identity import assumed
from container_infra.aws.session import Aws

ROLE = "arn:aws:iam::210987654321:role/container-infra-deploy"


class RoleSessions:
    """STS's AssumeRole: the first session ends in a minute, every later one in an hour."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def assume_role(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request)
        lasts = timedelta(minutes=1) if len(self.calls) == 1 else timedelta(hours=1)
        return {
            "Credentials": {
                "AccessKeyId": f"ASIA{len(self.calls)}",
                "SecretAccessKey": "secret",
                "SessionToken": "token",
                "Expiration": datetime.now(UTC) + lasts,
            }
        }


def test_the_role_is_assumed_again_before_its_session_expires():
    sts = RoleSessions()
    source = Aws(boto3.session.Session(region_name="eu-west-1"), "eu-west-1", {"sts": sts})
    role = assumed(source, ROLE)
    first = role.session.get_credentials().get_frozen_credentials()
    assert sts.calls[0] == {"RoleArn": ROLE, "RoleSessionName": "container-infra-deploy"}
    # the first session is within botocore's refresh window: the next use fetches a new one
    assert first.access_key in ("ASIA1", "ASIA2")
    later = role.session.get_credentials().get_frozen_credentials()
    assert later.access_key == "ASIA2" and len(sts.calls) == 2
    assert role.region == "eu-west-1"
