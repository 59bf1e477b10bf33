"""A real AWS API for the tests: moto's server on 127.0.0.1, reset before each test that uses it."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"


def _lowercase_generated_repository_names() -> None:
    """CloudFormation names an unnamed AWS::ECR::Repository in lowercase, the only case ECR allows; moto 5 keeps the
    logical ID's case and then refuses its own name (its CreateRepository check, getmoto/moto#6479). Do as AWS does.
    The server runs in this process, so patching its name generator here reaches it."""
    from moto.cloudformation import parsing

    generate = parsing.generate_resource_name

    def generate_like_aws(resource_type: str, stack_name: str, logical_id: str) -> str:
        name = generate(resource_type, stack_name, logical_id)
        return name.lower() if resource_type == "AWS::ECR::Repository" else name

    parsing.generate_resource_name = generate_like_aws


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    _lowercase_generated_repository_names()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(moto_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment deploy.py runs in: credentials and region as a user sets them, AWS_ENDPOINT_URL at moto."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).close()
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_COLOR": "1",
    }


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
