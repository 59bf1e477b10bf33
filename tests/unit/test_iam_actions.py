"""Every IAM action the templates grant is a real one: templates/iam.py builds actions by name (awacs.aws.Action)
instead of importing awacs' action modules (2-4 ms each at start-up), so a misspelt name would no longer fail at
import. awacs' modules list each service's actions as AWS documents them: the check is against those."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from container_infra.config import load_config
from templates import build_template
from tests.helpers import ROOT
from tests.render import template_for, web_config

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def granted_actions(template: dict[str, Any]) -> Iterator[str]:
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        properties = resource["Properties"]
        documents = [
            properties["AssumeRolePolicyDocument"],
            *(p["PolicyDocument"] for p in properties.get("Policies", [])),
        ]
        for statement in (s for document in documents for s in document["Statement"]):
            yield from statement["Action"]


def all_templates() -> Iterator[dict[str, Any]]:
    for path in EXAMPLES:
        yield build_template(load_config(path)).to_dict()
    yield template_for(web_config(service={"enable_execute_command": True}))  # ECS Exec: ssmmessages and logs


@pytest.fixture(scope="module")
def actions() -> set[str]:
    return {action for template in all_templates() for action in granted_actions(template)}


def test_the_examples_grant_every_kind_of_action(actions):
    services = {action.split(":")[0] for action in actions}
    assert {"sts", "ecr", "logs", "ssmmessages", "secretsmanager", "ssm", "kms"} <= services


def test_each_granted_action_is_one_awacs_knows(actions):
    unknown = [
        action
        for action in sorted(actions)
        if not hasattr(importlib.import_module(f"awacs.{action.split(':')[0]}"), action.split(":")[1])
    ]
    assert unknown == []
