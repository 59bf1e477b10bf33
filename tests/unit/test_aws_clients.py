"""The clients' one policy: botocore's standard retries, a line for a lost connection and for the first throttling,
the project's errors instead of botocore's, a deadline for the end of a run, and client tokens that make a repeated
create, execute or delete harmless."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import boto3
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse
from botocore.hooks import first_non_none_response
from botocore.stub import Stubber

from container_infra.aws import stacks
from container_infra.aws.changesets import execute
from container_infra.aws.session import Aws, aws_errors, request_token, retried_by_caller
from container_infra.cfn.changeset import ChangeSet
from container_infra.errors import AwsError, ConnectionLost, DeployFailed, UserError
from tests.fakes import stubs
from tests.fakes.clock import Clock

THROTTLED = (
    SimpleNamespace(status_code=400, headers={}),
    {"Error": {"Code": "Throttling", "Message": "Rate exceeded"}},
)
ANSWERED = (SimpleNamespace(status_code=200, headers={}), {"Stacks": []})


def _aws(said: list[str]) -> Aws:
    session = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s")
    return Aws(session, stubs.REGION, {}, say=said.append)


def _needs_retry(client: Any, attempts: int = 1, **answer: Any) -> Any:
    """What botocore's retry handlers of `client` answer, the first answer that is not None deciding."""
    answers = client.meta.events.emit(
        "needs-retry.cloudformation.DescribeStacks",
        endpoint=None,
        operation=client.meta.service_model.operation_model("DescribeStacks"),
        attempts=attempts,
        request_dict={"context": {}, "url": "https://cloudformation.eu-west-1.amazonaws.com/"},
        **{"response": None, "caught_exception": None, **answer},
    )
    return first_non_none_response(answers)


def test_clients_come_from_the_boto3_session_in_standard_retry_mode():
    aws = _aws([])
    client = aws.client("cloudformation")
    assert client is aws.client("cloudformation")  # made once
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.region_name == stubs.REGION


def test_an_error_answer_is_the_projects_own_error():
    client = _aws([]).client("cloudformation")
    with Stubber(client) as stub:
        stub.add_client_error("describe_stacks", "AccessDenied", "not authorized", 403)
        with pytest.raises(AwsError) as raised:
            client.describe_stacks(StackName=stubs.STACK)
    error = raised.value
    assert not isinstance(error, botocore.exceptions.BotoCoreError | botocore.exceptions.ClientError)
    assert (str(error), error.code, error.operation, error.status) == (
        "not authorized",
        "AccessDenied",
        "DescribeStacks",
        403,
    )


def test_throttling_is_left_to_standard_mode_and_said_once():
    said: list[str] = []
    client = _aws(said).client("cloudformation")
    assert _needs_retry(client, response=THROTTLED) > 0  # standard mode's own back-off
    assert _needs_retry(client, attempts=2, response=THROTTLED) > 0
    assert said == ["AWS is throttling CloudFormation calls (DescribeStacks): slowing down and retrying"]


def test_within_retried_by_caller_botocore_retries_no_answered_error():
    """The caller's loop retries, and can stop at its deadline; these rules speak before standard mode does."""
    client = _aws([]).client("cloudformation")
    with retried_by_caller():
        assert _needs_retry(client, response=THROTTLED) is False
        assert _needs_retry(client, response=ANSWERED) is False
    assert _needs_retry(client, response=ANSWERED) is None


def test_a_lost_connection_is_said_retried_briefly_then_the_projects_error():
    said: list[str] = []
    client = _aws(said).client("cloudformation")
    timeout = botocore.exceptions.ReadTimeoutError(endpoint_url="https://cloudformation.eu-west-1.amazonaws.com/")
    assert _needs_retry(client, caught_exception=timeout) == 0.5
    assert said == ["cannot reach cloudformation.eu-west-1.amazonaws.com (no answer within 4 s), retrying 2/3"]
    with pytest.raises(botocore.exceptions.ReadTimeoutError):  # botocore's last attempt: after-call-error follows
        _needs_retry(client, attempts=3, caught_exception=timeout)
    with pytest.raises(ConnectionLost, match="cannot reach cloudformation.eu-west-1.amazonaws.com .* after 3 tries"):
        client.meta.events.emit("after-call-error.cloudformation.DescribeStacks", exception=timeout, context={})


def test_no_credentials_is_a_user_error():
    client = _aws([]).client("cloudformation")
    with pytest.raises(UserError, match="no AWS credentials found"):
        client.meta.events.emit(
            "after-call-error.cloudformation.DescribeStacks", exception=botocore.exceptions.NoCredentialsError()
        )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AwsError("Rate exceeded", code="Throttling", operation="DescribeStacks", status=400), DeployFailed),
        (AwsError("Stack [x] does not exist", code="ValidationError", operation="DescribeStacks"), UserError),
        (ConnectionLost("cannot reach AWS (no connection) after 3 tries"), DeployFailed),
    ],
)
def test_what_escapes_a_run_is_one_line(error, expected):
    with pytest.raises(expected) as raised, aws_errors():
        raise error
    assert "\n" not in str(raised.value) and str(raised.value)


def test_the_outputs_read_stops_at_its_deadline_when_aws_keeps_throttling():
    cf, clock = stubs.cloudformation_client(), Clock()
    with Stubber(cf) as stub:
        for _ in range(4):
            stub.add_client_error("describe_stacks", "Throttling", "Rate exceeded", 400)
        stack = stacks.read_when_done(cf, stubs.STACK_ID, 2.5, sleep=clock.sleep, clock=clock)
        stub.assert_no_pending_responses()
    assert stack is None
    assert clock.sleeps == [0.25, 0.5, 1.0]  # the next pause would end after the deadline: none starts


def test_the_outputs_read_retries_a_throttled_read_and_other_errors_end_it():
    cf, clock = stubs.cloudformation_client(), Clock()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", "Throttling", "Rate exceeded", 400)
        stub.add_response("describe_stacks", stubs.stack("CREATE_COMPLETE", outputs={"Url": "http://x"}))
        stub.add_client_error("describe_stacks", "AccessDenied", "not authorized", 403)
        assert stacks.read_when_done(cf, stubs.STACK_ID, sleep=clock.sleep, clock=clock)["Outputs"]
        with pytest.raises(AwsError, match="not authorized"):
            stacks.read_when_done(cf, stubs.STACK_ID, sleep=clock.sleep, clock=clock)
    assert clock.sleeps == [0.25]


def test_client_tokens_are_new_for_each_operation_and_cloudformations_shape():
    tokens = {request_token() for _ in range(3)}
    assert len(tokens) == 3
    assert all(token == stubs.A_TOKEN and len(token) <= 128 for token in tokens)


class _Wire:
    """The HTTP side: the first ExecuteChangeSet times out after it was sent, the second is answered."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, list[str]]] = []

    def send(self, request: Any, **_: Any) -> AWSResponse:
        self.bodies.append(parse_qs(request.body.decode() if isinstance(request.body, bytes) else request.body))
        if len(self.bodies) == 1:
            raise botocore.exceptions.ReadTimeoutError(endpoint_url=request.url)
        body = b"<ExecuteChangeSetResponse><ExecuteChangeSetResult/></ExecuteChangeSetResponse>"
        return AWSResponse(request.url, 200, {}, SimpleNamespace(stream=lambda **_: iter([body])))


def test_a_retried_execute_sends_the_same_token_so_aws_executes_once(monkeypatch):
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda seconds: None)
    said: list[str] = []
    client, wire = _aws(said).client("cloudformation"), _Wire()
    client.meta.events.register("before-send.cloudformation", wire.send)
    execute(client, ChangeSet(stubs.CHANGE_SET_ID, stubs.STACK_ID, "UPDATE", {}))
    first, retried = (body["ClientRequestToken"][0] for body in wire.bodies)
    assert first == retried == stubs.A_TOKEN
    assert said == [f"cannot reach cloudformation.{stubs.REGION}.amazonaws.com (no answer within 4 s), retrying 2/3"]


def test_a_waiter_still_sees_the_answers_its_acceptors_match():
    """stack_delete_complete counts ValidationError (no such stack) as success: inside a waiter it stays botocore's."""
    cf = stubs.cloudformation_client()
    deleted = {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN}
    with Stubber(cf) as stub:
        stub.add_response("delete_stack", {}, deleted)
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        stub.add_response("delete_stack", {}, deleted)
        failed = stubs.stack("DELETE_FAILED")
        failed["Stacks"][0]["StackStatusReason"] = "The bucket you tried to delete is not empty"
        stub.add_response("describe_stacks", failed)
        stub.add_response("delete_stack", {}, deleted)
        stub.add_client_error("describe_stacks", "AccessDenied", "not authorized", 403)
        stacks.delete_and_wait(cf, stubs.STACK_ID)
        with pytest.raises(
            DeployFailed, match="could not delete stack .*: The bucket you tried to delete is not empty"
        ):
            stacks.delete_and_wait(cf, stubs.STACK_ID)
        with pytest.raises(AwsError, match="not authorized") as raised:
            stacks.delete_and_wait(cf, stubs.STACK_ID)
        stub.assert_no_pending_responses()
    assert (raised.value.code, raised.value.operation) == ("AccessDenied", "DescribeStacks")


def test_a_value_awss_rules_refuse_is_a_user_error_before_any_request():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub, pytest.raises(UserError, match="AWS would refuse the request: .*ChangeSetName"):
        stub.add_response("execute_change_set", {})  # never answered: the request is refused before it is sent
        cf.execute_change_set(ChangeSetName=7)  # a name, not a number


def test_a_passing_server_error_after_the_operation_costs_the_outputs_read_one_retry_not_the_run():
    """After the stack's final event, a 503 on DescribeStacks is retried like throttling (botocore does not retry
    inside the read's deadline); the stack comes back on the next look."""
    from botocore.stub import Stubber

    from container_infra.aws.stacks import read_when_done
    from tests.fakes import stubs

    cf = stubs.cloudformation_client()
    pauses: list[float] = []
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", service_error_code="ServiceUnavailable", http_status_code=503)
        stub.add_response("describe_stacks", stubs.stack("CREATE_COMPLETE"))
        stack = read_when_done(cf, "my-container-infra", sleep=pauses.append, clock=lambda: 0.0)
    assert stack is not None and stack["StackStatus"] == "CREATE_COMPLETE"
    assert len(pauses) == 1
