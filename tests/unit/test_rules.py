"""The template's Rules, evaluated as CloudFormation would, against the whole Fargate table."""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.fargate import FARGATE_MEMORY_BY_CPU
from tests.helpers import generate


def evaluate(expression: Any, parameters: dict[str, str]) -> Any:
    """A small evaluator of the rule functions CloudFormation supports in Rules."""
    if isinstance(expression, list):
        return [evaluate(item, parameters) for item in expression]
    if not isinstance(expression, dict):
        return expression
    ((function, argument),) = expression.items()
    if function == "Ref":
        return parameters[argument]
    values = evaluate(argument, parameters)
    if function == "Fn::Equals":
        return values[0] == values[1]
    if function == "Fn::Contains":
        return values[1] in values[0]
    if function == "Fn::And":
        return all(values)
    if function == "Fn::Or":
        return any(values)
    if function == "Fn::Not":
        return not values[0]
    raise AssertionError(f"unexpected rule function {function}")


def rules_accept(template: dict, parameters: dict[str, str]) -> bool:
    for rule in template["Rules"].values():
        if "RuleCondition" in rule and not evaluate(rule["RuleCondition"], parameters):
            continue
        if not all(evaluate(a["Assert"], parameters) for a in rule["Assertions"]):
            return False
    return True


@pytest.fixture(scope="module")
def template() -> dict:
    return generate()


def test_one_rule_per_cpu_size(template):
    assert len(template["Rules"]) == len(FARGATE_MEMORY_BY_CPU)
    for rule in template["Rules"].values():
        assert rule["Assertions"][0]["AssertDescription"]


def test_every_allowed_pair_is_judged_like_the_fargate_table(template):
    cpus = template["Parameters"]["TaskCpu"]["AllowedValues"]
    memories = template["Parameters"]["TaskMemory"]["AllowedValues"]
    accepted = {
        (int(c), int(m)) for c in cpus for m in memories if rules_accept(template, {"TaskCpu": c, "TaskMemory": m})
    }
    expected = {(cpu, mem) for cpu, sizes in FARGATE_MEMORY_BY_CPU.items() for mem in sizes}
    assert accepted == expected
    assert len(cpus) * len(memories) > len(expected)  # invalid pairs existed and were refused


@pytest.mark.parametrize(
    ("cpu", "memory", "ok"),
    [
        ("256", "512", True),
        ("256", "3072", False),
        ("512", "512", False),
        ("4096", "30720", True),
        ("4096", "31744", False),
        ("16384", "122880", True),
    ],
)
def test_spot_checks(template, cpu, memory, ok):
    assert rules_accept(template, {"TaskCpu": cpu, "TaskMemory": memory}) is ok


def test_fargate_table_matches_the_published_one():
    assert FARGATE_MEMORY_BY_CPU[256] == (512, 1024, 2048)
    assert FARGATE_MEMORY_BY_CPU[512] == (1024, 2048, 3072, 4096)
    assert FARGATE_MEMORY_BY_CPU[1024][0] == 2048 and FARGATE_MEMORY_BY_CPU[1024][-1] == 8192
    assert len(FARGATE_MEMORY_BY_CPU[2048]) == 13
    assert FARGATE_MEMORY_BY_CPU[4096][-1] == 30720
    assert FARGATE_MEMORY_BY_CPU[8192][1] - FARGATE_MEMORY_BY_CPU[8192][0] == 4096
    assert FARGATE_MEMORY_BY_CPU[16384] == tuple(range(32768, 122881, 8192))
