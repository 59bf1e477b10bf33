"""ACM reads: a certificate's status and where it lives."""

from __future__ import annotations

from typing import Any

from container_infra.errors import AwsError


def describe_certificate(acm: Any, arn: str) -> dict[str, Any] | None:
    """The certificate, or None when no such certificate exists (in the client's region)."""
    try:
        return dict(acm.describe_certificate(CertificateArn=arn)["Certificate"])
    except AwsError as error:
        if error.code in ("ResourceNotFoundException", "ValidationException", "InvalidArnException"):
            return None
        raise
