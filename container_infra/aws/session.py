"""AWS clients with standard retries, and AWS errors turned into one clear line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.exceptions
from botocore.config import Config

from container_infra.errors import DeployFailed, UserError

# Standard retry mode backs off on throttling (Throttling, TooManyRequests...) and transient faults.
RETRY_CONFIG = Config(retries={"mode": "standard", "max_attempts": 10}, user_agent_extra="container-infra")
EXPIRED_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException"}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}
# What botocore's standard mode retries as throttling; what survives it slows a poll loop down.
THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})


@dataclass
class Aws:
    """The clients one run needs, made once (each client costs start-up time)."""

    session: boto3.Session
    region: str
    _clients: dict[str, Any]

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=self.region, config=RETRY_CONFIG)
        return self._clients[service]

    @property
    def cloudformation(self) -> Any:
        return self.client("cloudformation")


def connect(region: str | None, profile: str | None) -> Aws:
    """A session from --profile/--region or the standard AWS chain (AWS_ENDPOINT_URL works as in the CLI)."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except botocore.exceptions.ProfileNotFound:
        raise UserError(f"--profile {profile}: no such profile in the AWS config files") from None
    # AWS_REGION comes first, as in the AWS CLI v2 (botocore itself reads only AWS_DEFAULT_REGION).
    region = region or os.environ.get("AWS_REGION") or session.region_name
    if not region:
        raise UserError("no AWS region: pass --region, set AWS_REGION, or give the profile a region")
    return Aws(session, region, {})


@contextlib.contextmanager
def aws_errors() -> Iterator[None]:
    """Turn credential, permission and validation errors into one line each."""
    try:
        yield
    except (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError):
        raise UserError("no AWS credentials found: set AWS_PROFILE, run `aws configure`, or `aws sso login`") from None
    except (botocore.exceptions.TokenRetrievalError, botocore.exceptions.SSOTokenLoadError, botocore.exceptions.UnauthorizedSSOTokenError):
        raise UserError("the AWS SSO session has expired: run `aws sso login` and try again") from None
    except botocore.exceptions.EndpointConnectionError as error:
        raise DeployFailed(f"cannot reach AWS at {error.kwargs.get('endpoint_url', '?')}: check the network and the region") from None
    except botocore.exceptions.ClientError as error:
        raise describe_client_error(error) from None


def describe_client_error(error: botocore.exceptions.ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", str(error))
    operation = error.operation_name
    if code in EXPIRED_CODES:
        return UserError(f"AWS rejected the credentials ({code}): they are expired or invalid; refresh them and try again")
    if code in DENIED_CODES:
        return UserError(f"access denied for {operation}: {message}")
    if code == "ValidationError":
        return UserError(f"CloudFormation rejected {operation}: {message}")
    if code in THROTTLING_CODES:
        return DeployFailed(f"AWS kept throttling {operation} after retries: try again in a minute")
    return DeployFailed(f"{operation} failed: {code}: {message}")


def error_code(error: botocore.exceptions.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: botocore.exceptions.ClientError) -> bool:
    return error_code(error) in THROTTLING_CODES
