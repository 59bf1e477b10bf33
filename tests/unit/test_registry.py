"""The stack's ECR repository: a lifecycle policy that never expires a deployed image."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.render import one, template_for, web_config

# Amazon ECR User Guide, "Lifecycle policy properties": tagStatus tagged|untagged|any; tagged needs tagPrefixList or
# tagPatternList, untagged must have neither; countType imageCountMoreThan|sinceImagePushed (the latter with
# countUnit days); countNumber a positive integer; action type expire; rulePriority unique.
SELECTION_KEYS = {
    "tagStatus",
    "tagPatternList",
    "tagPrefixList",
    "countType",
    "countUnit",
    "countNumber",
    "storageClass",
}


def lifecycle_rules(keep_images: int = 20) -> list[dict[str, Any]]:
    template = template_for(web_config(repository={"name": "webapp", "keep_images": keep_images}))
    _, repository = one(template, "AWS::ECR::Repository")
    return json.loads(repository["LifecyclePolicy"]["LifecyclePolicyText"])["rules"]


def check_against_the_documented_schema(rule: dict[str, Any]) -> None:
    selection = rule["selection"]
    assert isinstance(rule["rulePriority"], int) and set(rule) <= {"rulePriority", "description", "selection", "action"}
    assert set(selection) <= SELECTION_KEYS and selection["tagStatus"] in ("tagged", "untagged", "any")
    if selection["tagStatus"] == "untagged":
        assert "tagPrefixList" not in selection and "tagPatternList" not in selection
    assert selection["countType"] in ("imageCountMoreThan", "sinceImagePushed")
    assert isinstance(selection["countNumber"], int) and selection["countNumber"] >= 1
    assert rule["action"] == {"type": "expire"}


@pytest.mark.parametrize("keep", [1, 20, 10000])
def test_only_untagged_images_expire(keep):
    rules = lifecycle_rules(keep)
    assert [r["selection"]["tagStatus"] for r in rules] == ["untagged"]
    assert rules[0]["selection"]["countType"] == "imageCountMoreThan" and rules[0]["selection"]["countNumber"] == keep
    for rule in rules:
        check_against_the_documented_schema(rule)


def test_the_repository_is_unnamed_so_a_retained_one_never_blocks_the_next_create():
    template = template_for(web_config(repository={"name": "shop/web-app"}))
    logical_id, repository = one(template, "AWS::ECR::Repository")
    assert logical_id == "ShopWebAppRepository"  # `name` names the logical ID, like cluster.name
    assert "RepositoryName" not in repository
    assert template["Resources"][logical_id]["DeletionPolicy"] == "Retain"
    assert template["Outputs"]["RepositoryUri"]["Value"] == {"Fn::GetAtt": [logical_id, "RepositoryUri"]}
