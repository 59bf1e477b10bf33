"""deploy.py's API calls as AWS sees them: how many per deploy, and how it behaves when AWS throttles.

deploy.py runs as a subprocess against moto's server through tests/fakes/aws_proxy.py, which counts each
call and, for the throttling tests, answers a seeded half of the CloudFormation calls with CloudFormation's
own Throttling error (HTTP 400, the Query protocol's XML body), as AWS does under load. moto runs a stack
operation to its end inside ExecuteChangeSet (or DeleteStack): the proxy's timestamp of that answer is the time
of the operation's terminal event. After it the run only reads what it needs, once each: the throttled reads are
retried (botocore's jittered backoff), never a new round of polling. Counted, not timed: the wall time of a
throttled run is botocore's random backoff plus a loaded machine's process start, so a time bound could only flake.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.fakes.aws_proxy import CountingProxy
from tests.helpers import deploy, stack_or_none

STACK = "my-container-infra"
# Seeds whose throttling falls on the end too (checked below: a seed that throttles nothing there proves nothing), and
# that throttle no single call through all of botocore's standard-mode attempts: such a run fails at that call, saying
# "AWS kept throttling <call> after retries: try again in a minute" (seed 18 does that to CreateChangeSet).
SEEDS = [14, 15, 17]


def test_a_create_reads_its_change_set_once(aws_env):
    with CountingProxy(aws_env["AWS_ENDPOINT_URL"]) as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--yes")
    assert result.returncode == 0, result.stderr
    assert (
        proxy.calls["DescribeChangeSet"] == 1
    )  # the look that saw it complete was the read (the waiter + a read were 2)
    assert proxy.calls["DescribeStacks"] == 2  # does it exist? then its outputs, once the terminal event told the end
    assert sum(proxy.calls.values()) <= 8


def _reads_after_the_end(proxy: CountingProxy, action: str, *, throttled_at_the_end: int = 2) -> Counter[str]:
    """The answered (not throttled) calls after the answer that ended the operation in moto, by action."""
    terminal = proxy.first(action).at
    after = [call for call in proxy.log if call.at > terminal]
    throttled = [call for call in after if call.throttled]
    assert len(throttled) >= throttled_at_the_end, f"seed throttles {len(throttled)} after the end: pick another"
    answered = Counter(call.action for call in after if not call.throttled)
    assert all(answered[call.action] for call in throttled), "a throttled read was given up instead of retried"
    return answered


def _throttling_lines(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "throttl" in line.lower()]


@pytest.mark.parametrize("seed", SEEDS)
def test_under_half_throttling_a_deploy_reads_the_end_once_and_stops(aws_env, seed):
    with CountingProxy(aws_env["AWS_ENDPOINT_URL"], throttle_fraction=0.5, seed=seed) as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"✓ {STACK}: CREATE_COMPLETE" in result.stdout
    # the events that told the end, then the outputs: no further polling
    assert _reads_after_the_end(proxy, "ExecuteChangeSet") == Counter(DescribeStackEvents=1, DescribeStacks=1)
    assert sum(proxy.throttled.values()) >= 5
    assert _throttling_lines(result) == [
        f"AWS is throttling CloudFormation calls ({_first_throttled(proxy)}): slowing down and retrying"
    ]  # one line, not a storm


def _first_throttled(proxy: CountingProxy) -> str:
    return next(call.action for call in proxy.log if call.throttled)


def test_under_half_throttling_a_destroy_reads_the_end_once_and_stops(aws_env, aws):
    assert deploy(aws_env, "--yes").returncode == 0
    with CountingProxy(aws_env["AWS_ENDPOINT_URL"], throttle_fraction=0.5, seed=SEEDS[0]) as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--destroy", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert stack_or_none(aws("cloudformation"), STACK) is None
    # only the events are read
    assert _reads_after_the_end(proxy, "DeleteStack", throttled_at_the_end=1) == Counter(DescribeStackEvents=1)
    assert len(_throttling_lines(result)) == 1
