"""ACM reads: a certificate's status and where it lives."""

from __future__ import annotations

from typing import Any

import botocore.exceptions

from container_infra.aws.session import error_code


def describe_certificate(acm: Any, arn: str) -> dict[str, Any] | None:
    """The certificate, or None when no such certificate exists (in the client's region)."""
    try:
        return dict(acm.describe_certificate(CertificateArn=arn)["Certificate"])
    except botocore.exceptions.ClientError as error:
        if error_code(error) in ("ResourceNotFoundException", "ValidationException", "InvalidArnException"):
            return None
        raise
