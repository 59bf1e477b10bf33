"""AWS clients from a boto3 session: botocore's standard retries, short timeouts, the project's errors.

The one throttling policy: botocore's `standard` retry mode retries a throttled or failed call with its jittered
back-off; a poll loop whose look stays throttled through those retries looks again later, at its own slower pace;
and where the end of a run must not wait (`retried_by_caller`), botocore does not retry and the caller's loop
keeps a deadline.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import boto3.session
import botocore.exceptions
from botocore.config import Config

from container_infra.aws.errors import (
    CONNECTION_ATTEMPTS,
    CONNECTION_ERRORS,
    CREDENTIAL_ERRORS,
    NO_CREDENTIALS,
    READ_TIMEOUT_SECONDS,
    SSO_ERRORS,
    SSO_EXPIRED,
    describe_error,
    host,
    reason,
    translate_errors,
)
from container_infra.aws.regions import check_region, endpoint_url
from container_infra.errors import THROTTLING_CODES, AwsError, ConnectionLost, DeployFailed, UserError

# Connection problems are visible and bounded: short timeouts, CONNECTION_ATTEMPTS tries a call with a line
# for each retry, so an endpoint that does not answer fails within about 3 x 4 s + 2 x 0.5 s.
CONNECT_TIMEOUT_SECONDS = 3
CONNECTION_RETRY_DELAY = 0.5
RETRY_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},  # retries: 5 attempts in all
    user_agent_extra="container-infra",
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
)
TOKEN_PREFIX = "container-infra-"

_RETRIED_BY_CALLER: ContextVar[bool] = ContextVar("container_infra_retried_by_caller", default=False)


@dataclass
class Aws:
    """The clients one run needs, made once (each client costs start-up time)."""

    session: boto3.session.Session
    region: str
    _clients: dict[str, Any]
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))

    def client(self, service: str) -> Any:
        if service not in self._clients:
            client = self.session.client(service, region_name=self.region, config=RETRY_CONFIG)
            self._clients[service] = prepare(client, self.say)
        return self._clients[service]

    @property
    def cloudformation(self) -> Any:
        return self.client("cloudformation")


def prepare(client: Any, say: Callable[[str], None]) -> Any:
    """The project's errors, and its retry rules on top of botocore's standard mode (see `Retries`)."""
    service_id = client.meta.service_model.service_id
    # botocore asks the handlers of the most specific event name first and takes the first answer that is not
    # None: registered first under the service's own name, these rules speak before standard mode does.
    client.meta.events.register_first(
        f"needs-retry.{service_id.hyphenize()}", Retries(str(service_id), say), unique_id="container-infra-retries"
    )
    return translate_errors(client)


@dataclass
class Retries:
    """botocore's needs-retry hook for one client: a connection failure is said out loud and retried briefly; the
    first throttled answer is said once; inside `retried_by_caller` an answered error is not retried here."""

    service: str
    say: Callable[[str], None]
    throttled: bool = False

    def __call__(
        self,
        *,
        attempts: int,
        response: tuple[Any, dict[str, Any]] | None = None,
        caught_exception: Exception | None = None,
        request_dict: dict[str, Any] | None = None,
        operation: Any = None,
        **_: Any,
    ) -> float | bool | None:
        if response is not None:
            code = str((response[1] or {}).get("Error", {}).get("Code", ""))
            if code in THROTTLING_CODES and not self.throttled:
                self.throttled = True
                self.say(
                    f"AWS is throttling {self.service} calls ({getattr(operation, 'name', 'a call')}): "
                    "slowing down and retrying"
                )
            return False if _RETRIED_BY_CALLER.get() else None  # else botocore's standard mode decides
        if not isinstance(caught_exception, CONNECTION_ERRORS):
            return None
        if attempts >= CONNECTION_ATTEMPTS:
            raise caught_exception
        where = host((request_dict or {}).get("url", ""))
        self.say(f"cannot reach {where} ({reason(caught_exception)}), retrying {attempts + 1}/{CONNECTION_ATTEMPTS}")
        return CONNECTION_RETRY_DELAY


@contextlib.contextmanager
def retried_by_caller() -> Iterator[None]:
    """Within this block botocore does not retry an error AWS answered (a throttled call fails at once): the
    caller's own loop retries, and can stop at a deadline that botocore's back-off knows nothing of."""
    token = _RETRIED_BY_CALLER.set(True)
    try:
        yield
    finally:
        _RETRIED_BY_CALLER.reset(token)


def request_token() -> str:
    """A client token for one create, execute or delete: a repeat of the same request (botocore's retry after a read
    timeout) is then recognised by CloudFormation and harmless. 52 characters of `[a-zA-Z0-9][-a-zA-Z0-9]*`."""
    return TOKEN_PREFIX + str(uuid.uuid4())


def connect(region: str | None, profile: str | None, say: Callable[[str], None] | None = None) -> Aws:
    """A session from --profile/--region or the standard AWS chain (AWS_ENDPOINT_URL works as in the CLI)."""
    custom_endpoint = endpoint_url() is not None
    try:
        session = boto3.session.Session(profile_name=profile)
        configured_region = session.region_name  # reads the profile: an unknown one is refused above
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
    """Turn what reaches the top of a run into one line: a failed call, no connection, no credentials."""
    try:
        yield
    except ConnectionLost as error:
        raise DeployFailed(str(error)) from None
    except AwsError as error:
        raise describe_error(error) from None
    except CREDENTIAL_ERRORS:  # raised while a client is made, before any call
        raise UserError(NO_CREDENTIALS) from None
    except SSO_ERRORS:
        raise UserError(SSO_EXPIRED) from None
