"""A real AWS API for the tests: moto's server on 127.0.0.1, reset before each test that uses it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.fakes import moto_shims
from tests.helpers import deploy_environment

REGION = "eu-west-1"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    moto_shims.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # a free port: one server per process
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(moto_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment deploy.py runs in: credentials and region as a user sets them, AWS_ENDPOINT_URL at moto."""
    return deploy_environment(moto_url, tmp_path, REGION)


@pytest.fixture
def aws(aws_env: dict[str, str]):
    """boto3 clients on the same moto server, to look at what deploy.py did."""

    def client(service: str):
        return boto3.client(
            service,
            endpoint_url=aws_env["AWS_ENDPOINT_URL"],
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return client
