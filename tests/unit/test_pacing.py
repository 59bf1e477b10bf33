"""Client-side pacing under throttling: calls slow down, throttled retries stay short, a deadline caps them, one line is said."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
from botocore.hooks import first_non_none_response

from container_infra.aws import pacing
from container_infra.aws.pacing import FIRST_SPACING, MAX_SPACING, PATIENT_SPACING, THROTTLE_ATTEMPTS, Pacer
from container_infra.aws.session import Aws
from tests.fakes.clock import Clock

THROTTLED = (
    SimpleNamespace(status_code=400, headers={}),
    {"Error": {"Code": "Throttling", "Message": "Rate exceeded"}},
)
ANSWERED = (SimpleNamespace(status_code=200, headers={}), {"Stacks": []})
OPERATION = SimpleNamespace(name="DescribeStackEvents")


def _pacer(clock: Clock, said: list[str]) -> Pacer:
    return Pacer("CloudFormation", said.append, clock=clock, sleep=clock.sleep, jitter=lambda: 1.0)


def test_throttling_spaces_the_calls_out_and_answers_bring_the_pace_back():
    clock, said = Clock(), []
    pacer = _pacer(clock, said)
    delays = [pacer.needs_retry(attempts=n, response=THROTTLED, operation=OPERATION) for n in (1, 2, 3, 4)]
    assert delays == [FIRST_SPACING, 2 * FIRST_SPACING, 4 * FIRST_SPACING, MAX_SPACING]  # doubling, capped
    pacer.before_send()
    pacer.before_send()
    assert clock.sleeps == [MAX_SPACING]  # the second request waits for the spacing
    for _ in range(12):
        assert (
            pacer.needs_retry(attempts=1, response=ANSWERED, operation=OPERATION) is None
        )  # botocore decides the rest
    assert pacer.spacing == 0.0  # AWS answers again: full speed
    pacer.before_send()
    assert clock.sleeps == [MAX_SPACING]


def test_a_call_throttled_again_and_again_waits_longer_then_gives_up_as_botocore_would():
    clock, said = Clock(), []
    pacer = _pacer(clock, said)
    delays = [
        pacer.needs_retry(attempts=n, response=THROTTLED, operation=OPERATION) for n in range(1, THROTTLE_ATTEMPTS + 1)
    ]
    assert delays[-1] is False  # the Throttling error goes to the caller
    assert max(d for d in delays if d is not False) == PATIENT_SPACING
    assert 10 < sum(d for d in delays if d is not False) < 30  # patient, but not forever
    assert said == [
        "AWS is throttling CloudFormation calls (DescribeStackEvents): slowing down and retrying"
    ]  # once, not a storm


def test_no_throttled_retry_starts_after_the_deadline():
    clock, said = Clock(), []
    client = boto3.client("cloudformation", region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s")
    pacer = pacing.install(client, "CloudFormation", said.append)
    pacer.clock, pacer.jitter = clock, lambda: 1.0
    with pacing.deadline(client, 0.25):
        assert pacer.needs_retry(attempts=1, response=THROTTLED, operation=OPERATION) == FIRST_SPACING
        clock.now = 0.2
        assert pacer.needs_retry(attempts=2, response=THROTTLED, operation=OPERATION) is False  # 0.2 + 0.2 > 0.25
    assert pacer.deadline is None
    assert pacer.needs_retry(attempts=3, response=THROTTLED, operation=OPERATION) == 4 * FIRST_SPACING


def test_the_pace_decides_before_botocores_standard_backoff():
    """botocore takes the first answer of the needs-retry handlers, the service-specific ones first."""
    aws = Aws(boto3.Session(aws_access_key_id="k", aws_secret_access_key="s"), "eu-west-1", {}, say=lambda text: None)
    client = aws.client("cloudformation")
    pacing.pacer_of(client).jitter = lambda: 1.0
    answers = client.meta.events.emit(
        "needs-retry.cloudformation.DescribeStacks",
        response=THROTTLED,
        endpoint=None,
        operation=client.meta.service_model.operation_model("DescribeStacks"),
        attempts=1,
        caught_exception=None,
        request_dict={"context": {}},
    )
    assert first_non_none_response(answers) == FIRST_SPACING  # standard mode would say rand(0, 1) x 1 s


def test_a_client_without_a_pacer_has_no_deadline():
    client = boto3.client("cloudformation", region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s")
    with pacing.deadline(client, 1.0):
        assert pacing.pacer_of(client) is None
