"""Connection problems are visible and bounded; the region and the endpoint are checked before any call."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator

import pytest

from container_infra.aws.errors import CONNECTION_ATTEMPTS, READ_TIMEOUT_SECONDS
from container_infra.aws.regions import check_region
from container_infra.aws.session import CONNECTION_RETRY_DELAY
from container_infra.errors import ConnectionLost, UserError
from tests.fakes.aws_proxy import CountingProxy, Failure
from tests.helpers import deploy, one_error_line

HTML_502 = b"""<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def _without_endpoint(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"}


@contextlib.contextmanager
def _silent_listener() -> Iterator[tuple[int, Callable[[], int]]]:
    """A port that takes connections (the kernel's backlog) and never answers; and how many it has taken so far."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(50)
        silent.setblocking(False)
        taken: list[socket.socket] = []

        def connections() -> int:
            with contextlib.suppress(BlockingIOError):
                while True:
                    taken.append(silent.accept()[0])
            return len(taken)

        try:
            yield silent.getsockname()[1], connections
        finally:
            for connection in taken:
                connection.close()


def test_an_endpoint_that_does_not_answer_fails_clearly_after_a_bounded_number_of_tries(aws_env):
    """Bounded by configuration, not measured: CONNECTION_ATTEMPTS connections, each given up after the read
    timeout, with a short pause between."""
    with _silent_listener() as (port, connections):
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}, "--diff")
        assert connections() == CONNECTION_ATTEMPTS == 3
    bound = CONNECTION_ATTEMPTS * READ_TIMEOUT_SECONDS + (CONNECTION_ATTEMPTS - 1) * CONNECTION_RETRY_DELAY
    assert bound <= 15, bound  # what a person waits for at most, before the one line
    line = one_error_line(result, code=1)
    assert "cannot reach 127.0.0.1:" in line and "after 3 tries" in line
    assert "retrying 2/3" in result.stdout and "retrying 3/3" in result.stdout
    assert result.stdout.index("retrying 2/3") < result.stdout.index("retrying 3/3")


def test_a_refused_connection_says_so_per_retry(aws_env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    result = deploy({**aws_env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}, "--diff")
    assert "no connection" in one_error_line(result, code=1)
    assert result.stdout.count(f"cannot reach 127.0.0.1:{port} (no connection), retrying") == 2  # then it stops


def test_an_unknown_region_is_refused_before_any_call(aws_env):
    """No endpoint given: a call would go out through the proxy, which counts every connection."""
    with _silent_listener() as (port, connections):
        proxy = f"http://127.0.0.1:{port}"
        env = {**_without_endpoint(aws_env), "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy}
        line = one_error_line(deploy(env, "--diff", "--region", "mars-central-9"))
        assert connections() == 0
    assert "--region mars-central-9: not an AWS region" in line


@pytest.mark.parametrize("region", ["eu west 1/../", "EU-WEST-1", "eu-west-1 ", "../../etc"])
def test_a_malformed_region_is_one_line(aws_env, region):
    assert "not a region name" in one_error_line(deploy(aws_env, "--diff", "--region", region))


def test_a_malformed_region_in_the_environment_is_one_line(aws_env):
    assert "AWS_REGION 'eu west 1'" in one_error_line(deploy({**aws_env, "AWS_REGION": "eu west 1"}, "--diff"))


def test_an_opt_in_region_works_when_the_endpoint_answers(aws_env):
    result = deploy(aws_env, "--diff", "--region", "me-central-1")
    assert result.returncode == 0, result.stderr
    assert "in me-central-1 (new stack)" in result.stdout


def test_region_check_uses_botocores_partitions():
    check_region("eu-west-1", "--region", custom_endpoint=False)
    check_region("eu-south-9", "--region", custom_endpoint=False)  # newer than botocore, but the aws partition's shape
    check_region("cn-north-1", "--region", custom_endpoint=False)
    with pytest.raises(UserError, match="not an AWS region"):
        check_region("mars-central-9", "--region", custom_endpoint=False)
    check_region("mars-central-9", "--region", custom_endpoint=True)  # an emulator signs with any region


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com", "http://", "http://localhost:99999"])
def test_a_bad_endpoint_url_is_one_line(aws_env, url):
    line = one_error_line(deploy({**aws_env, "AWS_ENDPOINT_URL": url}, "--diff"))
    assert "AWS_ENDPOINT_URL=" in line and "internal error" not in line


def test_an_unknown_profile_from_the_environment_names_it(aws_env):
    line = one_error_line(deploy({**aws_env, "AWS_PROFILE": "ghost"}, "--diff"))
    assert "AWS_PROFILE ghost: no such profile" in line and "None" not in line


def test_an_html_error_page_is_summarised_in_one_line(aws_env):
    with CountingProxy(aws_env["AWS_ENDPOINT_URL"], fail={"DescribeStacks": Failure(502, HTML_502)}) as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--diff")
    line = one_error_line(result, code=1)
    assert "DescribeStacks failed: HTTP 502 that is not CloudFormation's answer" in line and "Bad Gateway" in line
    assert "<" not in line and "internal error" not in line
    assert proxy.failed["DescribeStacks"] == 5  # botocore's standard mode retried the 5xx (max_attempts counts retries)


@pytest.mark.parametrize(
    ("url", "kind", "fragment"),
    [
        (
            "https://cloudformation.eu-nowhere-9.amazonaws.com",
            UserError,
            "region eu-nowhere-9: not a region this botocore knows",
        ),
        (
            "https://my-bucket.s3.eu-west-1.amazonaws.com",
            ConnectionLost,
            "cannot reach my-bucket.s3.eu-west-1.amazonaws.com (no connection)",
        ),
        ("http://127.0.0.1:4566", ConnectionLost, "cannot reach 127.0.0.1:4566 (no connection) after 3 tries"),
    ],
)
def test_a_connection_failure_names_the_host_and_blames_the_region_only_when_unknown(url, kind, fragment):
    import botocore.exceptions

    from container_infra.aws.errors import cannot_reach

    error = cannot_reach(botocore.exceptions.EndpointConnectionError(endpoint_url=url))
    assert isinstance(error, kind) and fragment in str(error)
