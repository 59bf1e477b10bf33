"""AWS's errors in the project's words.

Every client this package makes raises `AwsError` (AWS answered with an error), `ConnectionLost` (no answer) or
`UserError` (no credentials, or a region that does not exist), never a botocore exception: botocore's event hooks
translate them once for every call, so a test can still put botocore's Stubber on the client. `describe_error`
says a failed call in one line (session.aws_errors, at the top of a run).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import botocore.exceptions
from botocore.parsers import ResponseParserError
from botocore.validate import validate_parameters

from container_infra.aws.regions import REGION_SHAPE, is_known
from container_infra.errors import AwsError, ConnectionLost, DeployFailed, UserError

READ_TIMEOUT_SECONDS = 4
CONNECTION_ATTEMPTS = 3
# What "cannot reach AWS" is: no connection, a timeout, a connection dropped mid-answer.
CONNECTION_ERRORS = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)
CREDENTIAL_ERRORS = (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError)
SSO_ERRORS = (
    botocore.exceptions.TokenRetrievalError,
    botocore.exceptions.SSOTokenLoadError,
    botocore.exceptions.UnauthorizedSSOTokenError,
)
EXPIRED_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}
# The code of an AwsError whose answer was not the API's own (an HTML page, an empty or truncated body): a proxy, a
# load balancer, or an endpoint (an emulator, an older partition) that does not implement the call.
NOT_THE_API = "NotTheApisAnswer"
XML_PROTOCOLS = frozenset({"query", "ec2", "rest-xml"})
JSON_PROTOCOLS = frozenset({"json", "rest-json"})
NO_CREDENTIALS = "no AWS credentials found: set AWS_PROFILE, run `aws configure`, or `aws sso login`"
SSO_EXPIRED = "the AWS SSO session has expired: run `aws sso login` and try again"

# Inside a botocore waiter the answered errors stay botocore's: its acceptors match on them.
_FOR_A_WAITER: ContextVar[bool] = ContextVar("container_infra_for_a_waiter", default=False)


def translate_errors(client: Any) -> Any:
    """Make `client` raise the project's errors (registering twice is harmless); returns the client."""
    events = client.meta.events
    events.register_last("before-parameter-build", _check_parameters, unique_id="container-infra-parameters")
    events.register_last("before-parse", _on_foreign_answer, unique_id="container-infra-foreign-answer")
    events.register_last("after-call", _on_answer, unique_id="container-infra-answered-error")
    events.register_last("after-call-error", _on_no_answer, unique_id="container-infra-no-answer")
    return client


@contextlib.contextmanager
def for_a_waiter() -> Iterator[None]:
    """Within this block AWS's answered errors stay botocore's, for a botocore waiter to match (the caller then
    turns a `WaiterError` into the project's words). No answer at all is still `ConnectionLost`."""
    token = _FOR_A_WAITER.set(True)
    try:
        yield
    finally:
        _FOR_A_WAITER.reset(token)


def _check_parameters(*, params: dict[str, Any], model: Any, **_: Any) -> None:
    """botocore checks the parameters against AWS's rules right after this hook point and raises its own error:
    checked here first (the last of these hooks, once botocore's own ones have filled in what they fill in), a
    value those rules refuse is the user's error, said in one line."""
    if model.input_shape is None:
        return
    try:
        validate_parameters(params, model.input_shape)
    except botocore.exceptions.ParamValidationError as error:
        raise UserError(f"AWS would refuse the request: {summary(str(error), 40)}") from None


def _on_foreign_answer(
    *, operation_model: Any, response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """botocore's before-parse hook: an error answer whose body is not the API's own would end in botocore's
    ResponseParserError (it takes only a bare `<html>` 5xx page for a generic error). A 5xx is handed to botocore as
    its generic (empty) error, so its retries still apply; the status and the body's first words become the error."""
    status = int(response_dict.get("status_code") or 0)
    body = response_dict.get("body") or b""
    if status < 300 or _FOR_A_WAITER.get() or is_the_apis_own(body, operation_model.metadata.get("protocol", "")):
        return
    message = f"HTTP {status} that is not {operation_model.service_model.service_id}'s answer: {first_words(body)}"
    if status >= 500:
        response_dict["body"] = b""
        customized_response_dict["Error"] = {"Code": NOT_THE_API, "Message": message}
        return
    raise AwsError(message, code=NOT_THE_API, operation=operation_model.name, status=status)


def is_the_apis_own(body: bytes, protocol: str) -> bool:
    """Whether an error body is one the API's protocol writes: XML that is not an HTML page, or a JSON object.
    An empty body is the API's own only for rest-xml (S3 answers HEAD without a body)."""
    text = body.strip()
    if not text:
        return protocol == "rest-xml"
    if protocol in XML_PROTOCOLS:
        try:
            return ElementTree.fromstring(text).tag.lower() != "html"
        except ElementTree.ParseError:
            return False
    if protocol in JSON_PROTOCOLS:
        try:
            return isinstance(json.loads(text), dict)
        except ValueError:
            return False
    return True


def first_words(body: bytes | str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return summary(text, 12) if text.strip() else "an empty body"


def _on_answer(*, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
    """botocore's after-call hook: an error answer becomes AwsError (botocore would raise ClientError next)."""
    if http_response.status_code < 300 or _FOR_A_WAITER.get():
        return
    raise answered_error(parsed, model.name, http_response.status_code, context.get("error_code_override"))


def answered_error(parsed: dict[str, Any], operation: str, status: int, code: str | None = None) -> AwsError:
    """AWS's error answer (botocore's parsed form) as AwsError."""
    error = parsed.get("Error") or {}
    code = str(code or error.get("Code") or "")
    message = str(error.get("Message") or f"{code or 'HTTP ' + str(status)} on {operation}")
    return AwsError(message, code=code, operation=operation, status=int(status or 0))


def _on_no_answer(*, exception: Exception, event_name: str = "", **_: Any) -> None:
    """botocore's after-call-error hook: no answer after the retries is ConnectionLost, no credentials UserError."""
    if isinstance(exception, CONNECTION_ERRORS):
        raise cannot_reach(exception) from exception
    if isinstance(exception, CREDENTIAL_ERRORS):
        raise UserError(NO_CREDENTIALS) from None
    if isinstance(exception, SSO_ERRORS):
        raise UserError(SSO_EXPIRED) from None
    if isinstance(exception, ResponseParserError):  # a successful answer botocore cannot read
        operation = str(event_name).rsplit(".", 1)[-1]
        raise AwsError(
            f"an answer that is not the API's own: {first_words(_parser_body(str(exception)))}",
            code=NOT_THE_API,
            operation=operation,
        ) from None


def _parser_body(message: str) -> str:
    """The body botocore quotes in a ResponseParserError (after its first line), without the bytes literal's b'."""
    quoted = message.split("\n", 1)[-1].strip()
    body = quoted[2:-1] if quoted[:2] in ("b'", 'b"') else quoted
    return body.replace("\\n", " ")


def describe_error(error: AwsError) -> UserError | DeployFailed:
    """A failed call as the line a person reads: credentials and permissions, a rejected request, or a failure."""
    code, operation, message = error.code, error.operation, str(error)
    if code in EXPIRED_CODES:
        return UserError(
            f"AWS rejected the credentials ({code}): they are expired or invalid; refresh them and try again"
        )
    if code in DENIED_CODES:
        return UserError(f"access denied for {operation}: {message}")
    if code == "ValidationError":
        return UserError(f"CloudFormation rejected {operation}: {message}")
    if code == NOT_THE_API:
        return DeployFailed(f"{operation} failed: {message}")
    if error.throttled:
        return DeployFailed(f"AWS kept throttling {operation} after retries: try again in a minute")
    if error.status >= 500:
        return DeployFailed(
            f"{operation} failed: AWS answered HTTP {error.status}"
            + (f" {code}" if code and code != str(error.status) else "")
            + f": {summary(message)} (after retries; try again later)"
        )
    return DeployFailed(f"{operation} failed: {code}: {summary(message)}")


def summary(text: str, words: int = 16) -> str:
    """A server's message as one short line: tags dropped (an HTML error page), whitespace folded, the first words."""
    plain = html.unescape(re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", str(text), flags=re.S | re.I))
    parts = plain.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "") if parts else "no message"


def cannot_reach(error: Exception) -> ConnectionLost | UserError:
    """No answer after the retries: a lost connection, or (for an amazonaws.com host) a region that does not exist."""
    where = getattr(error, "kwargs", {}).get("endpoint_url") or "AWS"
    labels = host(where).split(":")[0].split(".")
    region = next((label for label in labels if REGION_SHAPE.fullmatch(label)), None)
    if region and labels[-2:] == ["amazonaws", "com"] and not is_known(region):
        return UserError(
            f"region {region}: not a region this botocore knows, and {host(where)} cannot be reached "
            f"({reason(error)}): check the spelling of the region"
        )
    return ConnectionLost(
        f"cannot reach {host(where)} ({reason(error)}) after {CONNECTION_ATTEMPTS} tries: "
        "check the network, the proxy settings and the region"
    )


def host(url: str) -> str:
    match = re.match(r"[a-z]+://([^/?#]+)", str(url))
    return match.group(1) if match else str(url) or "AWS"


def reason(error: Exception) -> str:
    if isinstance(error, botocore.exceptions.ConnectTimeoutError):
        return "no answer to the connection"
    if isinstance(error, botocore.exceptions.ReadTimeoutError):
        return f"no answer within {READ_TIMEOUT_SECONDS} s"
    if isinstance(error, botocore.exceptions.ConnectionClosedError):
        return "the connection was closed"
    if isinstance(error, botocore.exceptions.EndpointConnectionError):
        return "no connection"
    return type(error).__name__
