"""Answers that are not the API's own (a proxy's or an emulator's HTML page, an empty or truncated body) are one line
with the status and the first words; an optional API that the endpoint does not offer is "not checked", said once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from container_infra.aws.checks import detect_drift, validation_events
from container_infra.aws.errors import NOT_THE_API, describe_error
from container_infra.aws.optional import NotOffered, not_offered
from container_infra.aws.session import Aws
from container_infra.errors import AwsError
from tests.fakes import stubs

FLASK_500 = (
    b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n"
    b"<p>The server encountered an internal error and was unable to complete your request.</p>\n"
)
PROXY_503 = b"<html lang=en><head><title>503 Service Unavailable</title></head><body>upstream down</body></html>"


class _Wire:
    """Every request is answered with `status` and `body`; counts the tries."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body, self.tries = status, body, 0

    def send(self, request: Any, **_: Any) -> AWSResponse:
        self.tries += 1
        return AWSResponse(request.url, self.status, {}, SimpleNamespace(stream=lambda **_: iter([self.body])))


def _client(service: str, status: int, body: bytes, monkeypatch: Any) -> tuple[Any, _Wire]:
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda seconds: None)
    session = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s")
    client, wire = Aws(session, stubs.REGION, {}, say=lambda line: None).client(service), _Wire(status, body)
    client.meta.events.register(f"before-send.{service}", wire.send)
    return client, wire


@pytest.mark.parametrize(("status", "body"), [(500, FLASK_500), (503, PROXY_503), (502, b"<html><body>bad")])
def test_a_5xx_page_is_one_line_with_the_status_and_first_words_after_the_retries(monkeypatch, status, body):
    cf, wire = _client("cloudformation", status, body, monkeypatch)
    with pytest.raises(AwsError) as raised:
        cf.describe_stacks()
    assert wire.tries > 1  # botocore's standard retries still apply to a 5xx
    assert (raised.value.code, raised.value.status) == (NOT_THE_API, status)
    line = str(describe_error(raised.value))
    assert line.startswith(f"DescribeStacks failed: HTTP {status} that is not CloudFormation's answer: ")
    assert "\n" not in line and "<" not in line and len(line) < 200


@pytest.mark.parametrize(
    ("service", "status", "body", "words"),
    [
        ("cloudformation", 403, b"<html><body><h1>Forbidden by proxy</h1></body></html>", "Forbidden by proxy"),
        ("cloudformation", 400, b"", "an empty body"),
        ("cloudformation", 400, b"<ErrorResponse><Error><Code>Throt", "<ErrorResponse>"),
        ("ecs", 400, b"<!doctype html><p>gateway says no</p>", "gateway says no"),
    ],
)
def test_a_4xx_body_that_is_not_the_apis_is_one_line(monkeypatch, service, status, body, words):
    client, _ = _client(service, status, body, monkeypatch)
    with pytest.raises(AwsError) as raised:
        client.describe_clusters() if service == "ecs" else client.describe_stacks()
    assert (raised.value.code, raised.value.status) == (NOT_THE_API, status)
    assert f"HTTP {status} that is not" in str(raised.value)
    assert (words in str(raised.value)) != (words == "<ErrorResponse>")  # tags are dropped from the words


def test_a_truncated_success_is_one_line_not_an_internal_error(monkeypatch):
    cf, _ = _client("cloudformation", 200, b"<DescribeStacksResponse><DescribeStacksResult><Sta", monkeypatch)
    with pytest.raises(AwsError) as raised:
        cf.describe_stacks()
    assert raised.value.code == NOT_THE_API and raised.value.operation == "DescribeStacks"
    assert "\n" not in str(describe_error(raised.value))


def test_the_apis_own_errors_are_unchanged(monkeypatch):
    body = (
        b"<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack x does not exist</Message></Error>"
        b"</ErrorResponse>"
    )
    cf, _ = _client("cloudformation", 400, body, monkeypatch)
    with pytest.raises(AwsError) as raised:
        cf.describe_stacks()
    assert (raised.value.code, str(raised.value)) == ("ValidationError", "Stack x does not exist")


def test_an_endpoint_without_describe_events_is_not_checked_rather_than_a_failure(monkeypatch):
    cf, _ = _client("cloudformation", 500, FLASK_500, monkeypatch)
    with pytest.raises(NotOffered, match="pre-deployment validation .*DescribeEvents answered HTTP 500"):
        validation_events(cf, stubs.CHANGE_SET_ID)


def test_an_endpoint_without_drift_detection_says_so(monkeypatch):
    cf, _ = _client("cloudformation", 500, FLASK_500, monkeypatch)
    with pytest.raises(NotOffered, match="drift detection: DetectStackDrift answered HTTP 500"):
        detect_drift(cf, stubs.STACK_ID, sleep=lambda seconds: None)


@pytest.mark.parametrize(
    ("code", "status", "offered"),
    [
        ("InvalidAction", 400, False),
        ("UnknownOperationException", 400, False),
        ("", 501, False),
        (NOT_THE_API, 500, False),
        (NOT_THE_API, 403, True),  # a proxy refusing is not a missing API
        ("InternalFailure", 500, True),  # AWS's own 5xx is a failure, not a missing API
        ("ValidationError", 400, True),
    ],
)
def test_what_counts_as_not_offered(code, status, offered):
    assert not_offered(AwsError("x", code=code, operation="DescribeEvents", status=status)) is not offered
