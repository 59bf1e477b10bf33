"""[environments.<name>]: the merge, the environment's own keys, and every bad input as one line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from container_infra.cli import parse_deploy
from container_infra.config import load_config, parse_config
from container_infra.config.environments import merged
from container_infra.errors import ConfigError, UserError
from tests.helpers import ROOT

STAGING = '[environments.staging]\naccount = "123456789012"\nregion = "eu-west-1"\nstack_name = "app-staging"\n'
PROD = '[environments.prod]\naccount = "210987654321"\nregion = "us-east-1"\n'


def test_merge_is_deep_for_tables_and_whole_for_arrays():
    base = {"task": {"cpu": 256, "memory_mib": 512}, "tags": [1, 2], "service": {"desired_count": 2}}
    result = merged(base, {"task": {"memory_mib": 2048}, "tags": [3]})
    assert result == {"task": {"cpu": 256, "memory_mib": 2048}, "tags": [3], "service": {"desired_count": 2}}
    assert base["task"] == {"cpu": 256, "memory_mib": 512}  # the base is not changed under the other environments


def test_an_environment_overrides_the_base_and_names_its_account():
    data = tomllib.loads(STAGING + "[environments.staging.task]\nmemory_mib = 2048\n" + PROD)
    staging = parse_config({**data, "task": {"cpu": 512}}, "app.toml", "staging")
    assert (staging.stack_name, staging.task.cpu, staging.task.memory_mib) == ("app-staging", 512, 2048)
    assert staging.environment is not None and staging.environment.account == "123456789012"
    prod = parse_config({**data, "task": {"cpu": 512}}, "app.toml", "prod")
    assert (prod.stack_name, prod.task.memory_mib, prod.environment.region) == ("my-container-infra", 1024, "us-east-1")
    base = parse_config({**data, "task": {"cpu": 512}}, "app.toml")
    assert base.environment is None and base.environment_names == ("staging", "prod")


def test_containers_are_replaced_whole():
    base = '[[task.containers]]\nname = "web"\nimage = "a:1"\n[[task.containers]]\nname = "side"\nimage = "b:1"\n'
    data = tomllib.loads(base + STAGING + '[[environments.staging.task.containers]]\nname = "web"\nimage = "c:2"\n')
    config = parse_config(data, "app.toml", "staging")
    assert [(c.name, c.image) for c in config.task.containers] == [("web", "c:2")]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        (STAGING, "nope", "--env nope: app.toml has no such environment; it has staging"),
        ('[environments.staging]\nregion = "eu-west-1"\n', None, "app.toml: [environments.staging] has no account"),
        (
            STAGING + "[environments.staging.task]\nmemroy_mib = 1\n",
            "staging",
            "app.toml [environments.staging]: task.memroy_mib = 1: unknown key; allowed in [task]:",
        ),
        (STAGING + "colour = 1\n", None, "app.toml [environments.staging]: colour = 1: unknown key"),
        ('stack_name = "a"\n', "staging", "--env staging: app.toml has no [environments.<name>] tables"),
        ('[environments.x]\naccount = "12345"\n', None, 'environments.x.account = "12345": must be the 12-digit'),
        ("[environments.x]\naccount = 123456789012\n", None, "environments.x.account = 123456789012: must be a string"),
        ('[environments.all]\naccount = "123456789012"\n', None, "'all' is kept for --env all"),
        (
            '[environments.x]\naccount = "123456789012"\nrole_arn = "arn:aws:iam::210987654321:role/deploy"\n',
            None,
            "is a role in account 210987654321, not in the environment's 123456789012",
        ),
        (
            STAGING
            + '[environments.again]\naccount = "123456789012"\nregion = "eu-west-1"\nstack_name = "app-staging"\n',
            None,
            "[environments.staging] and [environments.again] both deploy stack app-staging",
        ),
    ],
)
def test_bad_environments_are_one_clear_error(text, env, expected):
    with pytest.raises(ConfigError) as raised:
        parse_config(tomllib.loads(text), "app.toml", env)
    assert expected in str(raised.value) and "\n" not in str(raised.value)


def test_env_without_a_config_file_is_refused():
    with pytest.raises(ConfigError, match="environments live in a config file; pass --config FILE"):
        load_config(None, "prod")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--config", "a.toml", "--env", "prod", "--promote-from", "prod"],
            "--promote-from prod: the same environment",
        ),
        (["--config", "a.toml", "--env", "a,b"], "--env a,b goes with --diff"),
        (["--config", "a.toml", "--env", "a,a", "--diff"], "names an environment twice"),
        (["--config", "a.toml", "--env", "all,a", "--diff"], "'all' already means every environment"),
        (["--config", "a.toml", "--env", "Prod"], "--env 'Prod': not an environment name"),
        (["--config", "a.toml", "--env", "a,b", "--diff", "--promote-from", "c"], "promotes to one environment"),
    ],
)
def test_bad_env_flags(argv, expected):
    with pytest.raises(UserError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_deploy(argv)


def test_env_with_stack_name_is_refused():
    with pytest.raises(UserError, match="it takes no --stack-name"):
        parse_deploy(["--config", "a.toml", "--env", "prod", "--stack-name", "x"])


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_generates_the_same_template_with_environments_added(example: Path):
    """Environments change nothing for a run without --env: the base is the file as it was."""
    from templates import render

    plain = render(load_config(example), "json")
    data = tomllib.loads(example.read_text())
    with_environments = {
        **data,
        "environments": {"staging": {"account": "123456789012", "stack_name": "other", "cluster": {"name": "other"}}},
    }
    assert render(parse_config(with_environments, str(example)), "json") == plain


def _toml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        parts = doc.read_text().split("```toml\n")[1:]
        blocks += [(f"{doc.name}#{index}", part.split("```", 1)[0]) for index, part in enumerate(parts)]
    # Other blocks show one table of a config, not a whole file.
    return [(where, text) for where, text in blocks if "[environments." in text]


@pytest.mark.parametrize(("where", "text"), _toml_blocks(), ids=[where for where, _ in _toml_blocks()])
def test_every_environments_example_in_the_docs_loads_for_each_environment(where, text):
    data = tomllib.loads(text)
    base = parse_config(data, where)
    for name in base.environment_names:
        assert parse_config(data, where, name).environment.name == name


class _OldCloudFormation:
    """A client whose botocore model predates express mode: CreateChangeSet without DeploymentConfig."""

    def __init__(self) -> None:
        import boto3

        real = boto3.client("cloudformation", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
        members = {
            k: v for k, v in real.meta.service_model.operation_model("CreateChangeSet").input_shape.members.items()
        }
        members.pop("DeploymentConfig")
        shape = type("Shape", (), {"members": members})()
        operation = type("Operation", (), {"input_shape": shape})()
        model = type("Model", (), {"operation_model": lambda self, name: operation})()
        self.meta = type("Meta", (), {"service_model": model})()


def _express_config(extra: str = "") -> object:
    text = '[environments.dev]\naccount = "123456789012"\nexpress = true\n' + extra
    return parse_config(tomllib.loads(text), "app.toml", "dev")


def test_express_mode_and_the_service_role_go_to_create_change_set_with_rollback_kept_on():
    import boto3

    from container_infra.steps.environment import change_set_extras

    client = boto3.client("cloudformation", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    config = _express_config('cfn_role_arn = "arn:aws:iam::123456789012:role/cfn"\n')
    assert change_set_extras(config, client) == {
        "RoleARN": "arn:aws:iam::123456789012:role/cfn",
        "DeploymentConfig": {"Mode": "EXPRESS", "DisableRollback": False},
    }
    assert change_set_extras(parse_config({}, "defaults"), client) == {}


def test_express_mode_with_an_sdk_that_lacks_it_is_one_line():
    from container_infra.steps.environment import change_set_extras

    with pytest.raises(UserError) as refused:
        change_set_extras(_express_config(), _OldCloudFormation())
    assert "express = true, but the installed boto3 does not know CloudFormation's express mode" in str(refused.value)


def test_promotion_is_refused_when_staging_is_not_healthy(monkeypatch):
    from container_infra.commands import promotion, status

    class Unhealthy:
        def __init__(self, *args: object) -> None:
            pass

        def read(self) -> dict:
            stack = {"name": "webapp-staging", "status": "UPDATE_ROLLBACK_FAILED", "reason": "", "region": "eu-west-1"}
            return {"stack": stack, "services": [], "targetGroups": [], "tasks": {}}

    monkeypatch.setattr(status, "StatusReader", Unhealthy)
    with pytest.raises(UserError) as refused:
        promotion._refuse_unhealthy(object(), object(), "staging")  # type: ignore[arg-type]
    assert str(refused.value).startswith("--promote-from staging: staging is not healthy (")


def test_express_mode_with_an_ecs_service_is_refused_before_any_change_set():
    """cloudformation-coverage-roadmap#2538: in express mode a replaced task definition does not reach the service."""
    text = '[[task.containers]]\nimage = "nginx:1.27"\nport = 80\n[service]\n'
    config = parse_config(
        tomllib.loads(text + '[environments.dev]\naccount = "123456789012"\nexpress = true\n'), "a", "dev"
    )
    from container_infra.steps.environment import change_set_extras

    with pytest.raises(UserError) as refused:
        change_set_extras(config, object())
    assert "express = true with a [service]" in str(refused.value)


@pytest.mark.parametrize("account", ["１２３４５６７８９０１２", "12345678901٣"])
def test_an_account_of_non_ascii_digits_is_refused(account):
    with pytest.raises(ConfigError):
        parse_config(tomllib.loads(f'[environments.dev]\naccount = "{account}"\n'), "app.toml", "dev")


ACCOUNT_ONLY = '[environments.{name}]\naccount = "123456789012"\n'


@pytest.mark.parametrize(
    ("first_region", "second_region", "refused"),
    [
        (None, "eu-west-1", True),  # with AWS_REGION=eu-west-1 both are stack webapp there
        ("eu-west-1", None, True),
        (None, None, True),
        ("eu-west-1", "eu-west-1", True),
        ("eu-west-1", "us-east-1", False),
    ],
)
def test_environments_that_can_resolve_to_one_stack_are_refused(first_region, second_region, refused):
    text = 'stack_name = "webapp"\n'
    for name, region in (("a", first_region), ("b", second_region)):
        text += ACCOUNT_ONLY.format(name=name) + (f'region = "{region}"\n' if region else "")
    if not refused:
        assert parse_config(tomllib.loads(text), "app.toml", "b").stack_name == "webapp"
        return
    with pytest.raises(ConfigError) as raised:
        parse_config(tomllib.loads(text), "app.toml", "b")
    assert "[environments.a] and [environments.b] both deploy stack webapp in account 123456789012" in str(raised.value)


def test_a_region_less_environment_is_checked_against_every_other_not_only_the_first():
    text = 'stack_name = "webapp"\n'
    for name, region in (("a", "eu-west-1"), ("b", "us-east-1"), ("c", None)):
        text += ACCOUNT_ONLY.format(name=name) + (f'region = "{region}"\n' if region else "")
    with pytest.raises(ConfigError, match=r"\[environments.c\] has no region"):
        parse_config(tomllib.loads(text), "app.toml", None)


PROMOTED = """
[task]
family = "webapp"
[[task.containers]]
name = "web"
image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp:v1"
[environments.staging]
account = "123456789012"
stack_name = "webapp-staging"
[environments.prod]
account = "210987654321"
stack_name = "webapp-prod"
"""
PROD_CONTAINERS = """[[environments.prod.task.containers]]
name = "{name}"
image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp:v1"
"""


@pytest.mark.parametrize(
    ("prod_containers", "expected"),
    [
        (("api",), "only in the target: ApiImage; only in staging: WebImage"),  # nothing would be promoted
        (("web", "api"), "only in the target: ApiImage; only in staging: none"),  # api would stay a tag
    ],
)
def test_promotion_of_none_or_part_of_a_release_is_refused(tmp_path, prod_containers, expected):
    from container_infra.commands.promotion import released_parameters
    from container_infra.steps.source import load_source

    path = tmp_path / "app.toml"
    path.write_text(PROMOTED + "".join(PROD_CONTAINERS.format(name=name) for name in prod_containers))
    with pytest.raises(UserError) as refused:
        released_parameters(load_source(str(path), None, "prod"), load_source(str(path), None, "staging"), "staging")
    assert str(refused.value).startswith("--promote-from staging: the target's containers differ from staging's (")
    assert expected in str(refused.value)


def test_promotion_of_the_same_containers_sets_every_image(tmp_path):
    from container_infra.commands.promotion import released_parameters
    from container_infra.steps.source import load_source

    path = tmp_path / "app.toml"
    path.write_text(PROMOTED)
    prod, staging = load_source(str(path), None, "prod"), load_source(str(path), None, "staging")
    assert released_parameters(prod, staging, "staging") == ["WebImage"]


def test_promoted_images_name_their_repositories_as_iam_arns():
    from container_infra.commands.promotion import repository_arns

    assert repository_arns(
        [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:" + "a" * 64,
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:" + "b" * 64,
            "nginx@sha256:" + "c" * 64,
        ]
    ) == ("arn:aws:ecr:eu-west-1:123456789012:repository/team/web",)


def test_a_promoted_repository_is_pulled_by_the_execution_role_even_without_one_of_its_own():
    from dataclasses import replace

    config = parse_config(tomllib.loads(PROMOTED), "app.toml", "prod")
    assert not any(r["Type"] == "AWS::IAM::Role" and "ExecutionRole" in k for k, r in _resources(config).items())
    arn = "arn:aws:ecr:eu-west-1:123456789012:repository/webapp"
    resources = _resources(replace(config, promoted_repositories=(arn,)))
    role_id = next(k for k in resources if k.endswith("ExecutionRole"))
    statements = resources[role_id]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert {s["Sid"] for s in statements} == {"PullPromotedImages", "LogInToEcr"}
    task = next(r for r in resources.values() if r["Type"] == "AWS::ECS::TaskDefinition")
    assert task["Properties"]["ExecutionRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def _resources(config):
    from container_infra.steps.source import source_of

    return source_of(config, "app.toml").template["Resources"]


def test_promote_from_an_unknown_environment_names_promote_from(tmp_path):
    from container_infra.commands.promotion import read_promotion
    from container_infra.options import DeployOptions
    from container_infra.steps.source import load_source

    path = tmp_path / "app.toml"
    path.write_text(PROMOTED)
    options = DeployOptions(config=str(path), envs=("prod",), promote_from="nope")
    with pytest.raises(UserError) as refused:
        read_promotion(options, load_source(str(path), None, "prod"), None, None)  # type: ignore[arg-type]
    assert str(refused.value) == f"--promote-from nope: {path} has no such environment; it has staging, prod"


def test_several_environments_with_destroy_name_destroy_not_diff():
    from container_infra.commands.environments import review_environments
    from container_infra.options import DeployOptions

    options = DeployOptions(action="destroy", config="app.toml", envs=("all",), diff_only=True)
    with pytest.raises(UserError) as refused:
        review_environments(options, None)  # type: ignore[arg-type]
    assert "--destroy acts on one environment: give --env NAME" in str(refused.value)


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (
            "arn:aws:cloudformation:eu-west-1:999999999999:changeSet/cs/1",
            "is in account 999999999999, but environment prod is account 210987654321",
        ),
        (
            "arn:aws:cloudformation:us-east-1:210987654321:changeSet/cs/1",
            "is in region us-east-1, but environment prod is in eu-west-1",
        ),
    ],
)
def test_execute_of_an_arn_elsewhere_is_refused_before_any_call(arn, expected):
    from container_infra.commands.kept_change_sets import refuse_another_place
    from container_infra.hints import EnvironmentTarget, in_environment

    with pytest.raises(UserError) as refused, in_environment(EnvironmentTarget("app.toml", "prod", "210987654321")):
        refuse_another_place("--execute", arn, "eu-west-1")
    assert str(refused.value).startswith(f"--execute {arn}: the change set ") and expected in str(refused.value)
    refuse_another_place("--execute", "arn:aws:cloudformation:eu-west-1:210987654321:changeSet/cs/1", "eu-west-1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bogus = 1\n" + STAGING, "app.toml: bogus = 1: unknown key"),
        (
            "express = true\n" + STAGING,
            "app.toml: express = true: is an environment's key; it belongs in [environments.NAME] "
            "(this file has [environments.staging])",
        ),
    ],
)
def test_a_mistake_in_the_base_is_the_bases_not_an_environments(text, expected):
    with pytest.raises(ConfigError) as raised:
        parse_config(tomllib.loads(text), "app.toml", "staging")
    assert str(raised.value).startswith(expected) and "[environments.staging]:" not in str(raised.value)


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("eu-wset-1", 'environments.x.region = "eu-wset-1": not an AWS region (did you mean eu-west-1?)'),
        ("qq-qqqqq-1", 'environments.x.region = "qq-qqqqq-1": not an AWS region'),
        ("eu-west-1", None),
        ("eu-north-9", None),  # a new number of a known name: newer than botocore
    ],
)
def test_environment_regions_are_checked_against_botocores_regions(region, expected):
    text = ACCOUNT_ONLY.format(name="x") + f'region = "{region}"\n'
    if expected is None:
        assert parse_config(tomllib.loads(text), "app.toml", "x").environment.region == region
        return
    with pytest.raises(ConfigError) as raised:
        parse_config(tomllib.loads(text), "app.toml", "x")
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--config", "a.toml", "--env", "staging "], "--env 'staging ': not an environment name"),
        (["--config", "a.toml", "--env", "a, b", "--diff"], "--env ' b': not an environment name"),
    ],
)
def test_deploy_takes_an_environment_name_as_given_like_generate(argv, expected):
    from container_infra.cli import parse_generate

    with pytest.raises(UserError) as deploy_refused:
        parse_deploy(argv)
    assert str(deploy_refused.value).startswith(expected)
    if "--diff" not in argv:
        with pytest.raises(UserError) as generate_refused:
            parse_generate(argv)
        assert str(generate_refused.value) == str(deploy_refused.value)


def test_generate_prints_one_environment():
    from container_infra.cli import parse_generate

    with pytest.raises(UserError, match="generate.py prints one environment's template; give one name"):
        parse_generate(["--config", "a.toml", "--env", "all"])
    assert parse_generate(["--config", "a.toml", "--env", "prod"]).env == "prod"
