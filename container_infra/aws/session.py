"""AWS clients with standard retries and paced throttling (pacing.py), and AWS errors turned into one clear line."""

from __future__ import annotations

import contextlib
import html
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions
import botocore.session
from botocore.config import Config

from container_infra.aws import pacing
from container_infra.aws.pacing import THROTTLING_CODES
from container_infra.aws.regions import REGION_SHAPE, check_region, endpoint_url, is_known
from container_infra.errors import DeployFailed, UserError

# Connection problems are visible and bounded: short timeouts, CONNECTION_ATTEMPTS tries a call with a line
# for each retry, so an endpoint that does not answer fails within about 3 x 4 s + 2 x 0.5 s.
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 4
CONNECTION_ATTEMPTS = 3
CONNECTION_RETRY_DELAY = 0.5
# Standard retry mode backs off on transient 5xx faults; throttling (Throttling, TooManyRequests...) is paced and
# retried by pacing.py, which slows a client down instead of letting its retries wait up to 7 s each.
RETRY_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    user_agent_extra="container-infra",
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
)
# What "cannot reach AWS" is: no connection, a timeout, a connection dropped mid-answer.
CONNECTION_ERRORS = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)
EXPIRED_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}


@dataclass
class Aws:
    """The clients one run needs, made once (each client costs start-up time)."""

    session: (
        Any  # botocore's Session (boto3's is not needed: importing boto3 costs ~50 ms a run); tests may pass boto3's
    )
    region: str
    _clients: dict[str, Any]
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))

    def client(self, service: str) -> Any:
        if service not in self._clients:
            core = getattr(self.session, "_session", self.session)  # a boto3.Session wraps a botocore one
            client = core.create_client(service, region_name=self.region, config=RETRY_CONFIG)
            client.meta.events.register_first("needs-retry", self._on_retry)
            pacing.install(client, client.meta.service_model.service_id, self.say)
            self._clients[service] = client
        return self._clients[service]

    def _on_retry(
        self,
        *,
        attempts: int,
        caught_exception: Exception | None = None,
        request_dict: dict[str, Any] | None = None,
        **_: Any,
    ) -> float | None:
        """botocore's needs-retry hook: a connection failure is said out loud, and retried only a few times, briefly."""
        if not isinstance(caught_exception, CONNECTION_ERRORS):
            return None  # throttling: pacing.py; 5xx: botocore's standard mode
        if attempts >= CONNECTION_ATTEMPTS:
            raise caught_exception
        where = _host((request_dict or {}).get("url", ""))
        self.say(f"cannot reach {where} ({_reason(caught_exception)}), retrying {attempts + 1}/{CONNECTION_ATTEMPTS}")
        return CONNECTION_RETRY_DELAY

    @property
    def cloudformation(self) -> Any:
        return self.client("cloudformation")


def connect(region: str | None, profile: str | None, say: Callable[[str], None] | None = None) -> Aws:
    """A session from --profile/--region or the standard AWS chain (AWS_ENDPOINT_URL works as in the CLI)."""
    custom_endpoint = endpoint_url() is not None
    try:
        session = botocore.session.Session(profile=profile)
        configured_region = session.get_config_variable("region")  # reads the profile: an unknown one is refused here
    except botocore.exceptions.ProfileNotFound as error:
        origin = "--profile" if profile else "AWS_PROFILE"
        raise UserError(
            f"{origin} {error.kwargs.get('profile', profile)}: no such profile in the AWS config files"
        ) from None
    # AWS_REGION comes first, as in the AWS CLI v2 (botocore itself reads only AWS_DEFAULT_REGION).
    origin = "--region" if region else "AWS_REGION" if os.environ.get("AWS_REGION") else "the configured region"
    region = region or os.environ.get("AWS_REGION") or configured_region
    if not region:
        raise UserError("no AWS region: pass --region, set AWS_REGION, or give the profile a region")
    check_region(region, origin, custom_endpoint=custom_endpoint)
    return Aws(session, region, {}, say) if say else Aws(session, region, {})


@contextlib.contextmanager
def aws_errors() -> Iterator[None]:
    """Turn credential, permission and validation errors into one line each."""
    try:
        yield
    except (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError):
        raise UserError("no AWS credentials found: set AWS_PROFILE, run `aws configure`, or `aws sso login`") from None
    except (
        botocore.exceptions.TokenRetrievalError,
        botocore.exceptions.SSOTokenLoadError,
        botocore.exceptions.UnauthorizedSSOTokenError,
    ):
        raise UserError("the AWS SSO session has expired: run `aws sso login` and try again") from None
    except CONNECTION_ERRORS as error:
        raise cannot_reach(error) from None
    except botocore.exceptions.ParamValidationError as error:  # a value of the user's that AWS's own rules refuse
        raise UserError(f"AWS would refuse the request: {summary(str(error), 40)}") from None
    except botocore.exceptions.ClientError as error:
        raise describe_client_error(error) from None


def describe_client_error(error: botocore.exceptions.ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", str(error))
    operation = error.operation_name
    if code in EXPIRED_CODES:
        return UserError(
            f"AWS rejected the credentials ({code}): they are expired or invalid; refresh them and try again"
        )
    if code in DENIED_CODES:
        return UserError(f"access denied for {operation}: {message}")
    if code == "ValidationError":
        return UserError(f"CloudFormation rejected {operation}: {message}")
    if code in THROTTLING_CODES:
        return DeployFailed(f"AWS kept throttling {operation} after retries: try again in a minute")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if status and int(status) >= 500:
        return DeployFailed(
            f"{operation} failed: AWS answered HTTP {status}"
            + (f" {code}" if code and code != str(status) else "")
            + f": {summary(message)} (after retries; try again later)"
        )
    return DeployFailed(f"{operation} failed: {code}: {summary(message)}")


def summary(text: str, words: int = 16) -> str:
    """A server's message as one short line: tags dropped (an HTML error page), whitespace folded, the first words."""
    plain = html.unescape(re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", str(text), flags=re.S | re.I))
    parts = plain.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "") if parts else "no message"


def cannot_reach(error: Exception) -> Exception:
    where = getattr(error, "kwargs", {}).get("endpoint_url") or "AWS"
    labels = _host(where).split(":")[0].split(".")
    region = next((label for label in labels if REGION_SHAPE.fullmatch(label)), None)
    if region and labels[-2:] == ["amazonaws", "com"] and not is_known(region):
        return UserError(
            f"region {region}: not a region this botocore knows, and {_host(where)} cannot be reached "
            f"({_reason(error)}): check the spelling of the region"
        )
    return DeployFailed(
        f"cannot reach {_host(where)} ({_reason(error)}) after {CONNECTION_ATTEMPTS} tries: "
        "check the network, the proxy settings and the region"
    )


def _host(url: str) -> str:
    match = re.match(r"[a-z]+://([^/?#]+)", str(url))
    return match.group(1) if match else str(url) or "AWS"


def _reason(error: Exception) -> str:
    if isinstance(error, botocore.exceptions.ConnectTimeoutError):
        return "no answer to the connection"
    if isinstance(error, botocore.exceptions.ReadTimeoutError):
        return f"no answer within {READ_TIMEOUT_SECONDS} s"
    if isinstance(error, botocore.exceptions.ConnectionClosedError):
        return "the connection was closed"
    if isinstance(error, botocore.exceptions.EndpointConnectionError):
        return "no connection"
    return type(error).__name__


def error_code(error: botocore.exceptions.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: botocore.exceptions.ClientError) -> bool:
    return error_code(error) in THROTTLING_CODES
