"""A deploy's answers agree with each other: on a ROLLBACK_COMPLETE stack --diff --exit-code says there are changes,
as --json's hasChanges does, and --keep says it keeps nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import EXIT_CHANGES
from tests.fakes import stubs
from tests.fakes.stubs import stub_aws


def _run(cf: Any, *argv: str) -> int:
    return run(
        parse_deploy(list(argv)), aws=stub_aws(stubs.REGION, cloudformation=cf), prompt=lambda q: False, tty=False
    )


@pytest.fixture
def failed_first_create() -> Any:
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("ROLLBACK_COMPLETE"), {"StackName": stubs.STACK})
        yield cf
        stub.assert_no_pending_responses()


def test_exit_code_on_a_rollback_complete_stack_agrees_with_the_json(failed_first_create, capsys):
    assert _run(failed_first_create, "--diff", "--exit-code", "--json") == EXIT_CHANGES
    assert json.loads(capsys.readouterr().out)["hasChanges"] is True


def test_keep_on_a_rollback_complete_stack_says_it_keeps_nothing(failed_first_create, capsys):
    _run(failed_first_create, "--diff", "--keep")
    assert "Not keeping a change set: CloudFormation makes none on a ROLLBACK_COMPLETE stack" in capsys.readouterr().out
