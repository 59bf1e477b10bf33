"""deploy.py --env against moto's server: moto's own account is 123456789012 (staging here); prod lives in
210987654321, reached only through a role assumed with STS."""

from __future__ import annotations

import json

import boto3

from tests.helpers import deploy, one_error_line, stack_or_none

STAGING_STACK = "webapp-staging"
PROD_STACK = "webapp-prod"
PROD_ACCOUNT = "210987654321"
BASE = """
stack_name = "webapp"
[task]
family = "webapp"
memory_mib = 1024
[environments.staging]
account = "123456789012"
region = "eu-west-1"
stack_name = "webapp-staging"
[environments.staging.task]
memory_mib = 2048
[environments.prod]
account = "{prod_account}"
region = "us-east-1"
stack_name = "webapp-prod"
{prod_extra}
"""


def _config(tmp_path, *, prod_account: str = PROD_ACCOUNT, prod_extra: str = "") -> str:
    path = tmp_path / "app.toml"
    path.write_text(BASE.format(prod_account=prod_account, prod_extra=prod_extra))
    return str(path)


def _client(aws_env, service: str, region: str, credentials: dict | None = None):
    keys = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name=region, **keys)


def _prod_role(aws_env) -> tuple[str, dict]:
    """A role in the prod account, and that account's credentials to look at what the deploy did there."""
    arn = f"arn:aws:iam::{PROD_ACCOUNT}:role/deploy"
    sts = _client(aws_env, "sts", "us-east-1")
    given = sts.assume_role(RoleArn=arn, RoleSessionName="test")["Credentials"]
    credentials = {
        "aws_access_key_id": given["AccessKeyId"],
        "aws_secret_access_key": given["SecretAccessKey"],
        "aws_session_token": given["SessionToken"],
    }
    return arn, credentials


def test_an_environment_in_another_account_is_refused_before_any_change(aws_env, aws, tmp_path):
    config = _config(tmp_path)
    line = one_error_line(deploy(aws_env, "--config", config, "--env", "prod", "--yes"))
    assert "account 123456789012" in line and f"is account {PROD_ACCOUNT}" in line and "nothing was changed" in line
    cf_east = _client(aws_env, "cloudformation", "us-east-1")
    assert cf_east.list_stacks()["StackSummaries"] == []
    assert aws("cloudformation").list_stacks()["StackSummaries"] == []


def test_env_staging_yes_creates_staging_stack_with_its_overrides(aws_env, aws, tmp_path):
    result = deploy(aws_env, "--config", _config(tmp_path), "--env", "staging", "--yes")
    assert result.returncode == 0, result.stderr
    cf = aws("cloudformation")
    stack = stack_or_none(cf, STAGING_STACK)
    assert stack is not None and stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack_or_none(cf, "webapp") is None
    template = cf.get_template(StackName=STAGING_STACK)["TemplateBody"]
    body = template if isinstance(template, dict) else json.loads(template)
    assert body["Parameters"]["TaskMemory"]["Default"] == "2048"


def test_config_with_environments_needs_env(aws_env, aws, tmp_path):
    line = one_error_line(deploy(aws_env, "--config", _config(tmp_path), "--yes"))
    assert "defines environments (staging, prod)" in line and "--env NAME" in line
    assert aws("cloudformation").list_stacks()["StackSummaries"] == []


def test_region_other_than_the_environments_is_refused(aws_env, tmp_path):
    line = one_error_line(deploy(aws_env, "--config", _config(tmp_path), "--env", "staging", "--region", "us-west-2"))
    assert line == (
        "error: --region us-west-2: environment staging is in eu-west-1; leave out --region, or change the "
        "environment's region in the config"
    )


def test_role_arn_is_assumed_and_the_stack_lands_in_the_roles_account(aws_env, tmp_path):
    arn, credentials = _prod_role(aws_env)
    config = _config(tmp_path, prod_extra=f'role_arn = "{arn}"')
    result = deploy(aws_env, "--config", config, "--env", "prod", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"Assuming {arn}" in result.stdout
    in_prod = _client(aws_env, "cloudformation", "us-east-1", credentials)
    stack = stack_or_none(in_prod, PROD_STACK)
    assert stack is not None and stack["StackId"].split(":")[4] == PROD_ACCOUNT
    assert stack_or_none(_client(aws_env, "cloudformation", "us-east-1"), PROD_STACK) is None  # not in moto's own


def test_env_all_diff_shows_both_and_leaves_nothing_behind(aws_env, tmp_path):
    arn, credentials = _prod_role(aws_env)
    config = _config(tmp_path, prod_extra=f'role_arn = "{arn}"')
    result = deploy(aws_env, "--config", config, "--env", "all", "--diff", "--exit-code")
    assert result.returncode == 3, result.stderr
    out = result.stdout
    assert out.index("Environments") < out.index("Environment staging (account 123456789012)")
    assert out.index("Environment staging (account") < out.index(f"Environment prod (account {PROD_ACCOUNT})")
    assert "Stack webapp-staging in eu-west-1 (new stack)" in out
    assert "Stack webapp-prod in us-east-1 (new stack)" in out
    for cf in (
        _client(aws_env, "cloudformation", "eu-west-1"),
        _client(aws_env, "cloudformation", "us-east-1", credentials),
    ):
        assert [s for s in cf.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"] == []


def test_env_a_b_diff_json_holds_every_environment(aws_env, tmp_path):
    arn, _ = _prod_role(aws_env)
    config = _config(tmp_path, prod_extra=f'role_arn = "{arn}"')
    result = deploy(aws_env, "--config", config, "--env", "staging,prod", "--diff", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["hasChanges"] is True
    rows = [(e["environment"], e["account"], e["region"], e["stack"]) for e in document["environments"]]
    assert rows == [
        ("staging", "123456789012", "eu-west-1", STAGING_STACK),
        ("prod", PROD_ACCOUNT, "us-east-1", PROD_STACK),
    ]
    assert document["environments"][0]["summary"]["adds"] == 3


def test_env_all_is_refused_before_any_change_set_when_one_account_is_wrong(aws_env, aws, tmp_path):
    line = one_error_line(deploy(aws_env, "--config", _config(tmp_path), "--env", "all", "--diff"))
    assert f"is account {PROD_ACCOUNT}" in line
    assert aws("cloudformation").list_stacks()["StackSummaries"] == []


def test_cfn_role_arn_is_the_stacks_service_role(aws_env, aws, tmp_path):
    path = tmp_path / "app.toml"
    role = "arn:aws:iam::123456789012:role/cfn-exec"
    path.write_text(
        f'[environments.staging]\naccount = "123456789012"\nregion = "eu-west-1"\nstack_name = "{STAGING_STACK}"\n'
        f'cfn_role_arn = "{role}"\n'
    )
    result = deploy(aws_env, "--config", str(path), "--env", "staging", "--yes")
    assert result.returncode == 0, result.stderr
    assert stack_or_none(aws("cloudformation"), STAGING_STACK)["RoleARN"] == role


PROMOTION = """
[task]
family = "webapp"
[[task.containers]]
name = "web"
image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp:v1"
[environments.staging]
account = "123456789012"
region = "eu-west-1"
stack_name = "webapp-staging"
[environments.prod]
account = "210987654321"
region = "us-east-1"
stack_name = "webapp-prod"
role_arn = "arn:aws:iam::210987654321:role/deploy"
"""


def _pushed(aws, tag: str) -> str:
    """An image in staging's ECR; its digest."""
    ecr = aws("ecr")
    ecr.create_repository(repositoryName="webapp")
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"digest": "sha256:" + "a" * 64},
            "layers": [],
        }
    )
    return ecr.put_image(repositoryName="webapp", imageManifest=manifest, imageTag=tag)["image"]["imageId"][
        "imageDigest"
    ]


def test_promotion_deploys_stagings_image_digest_to_prod(aws_env, aws, tmp_path):
    digest = _pushed(aws, "v1")
    config = tmp_path / "app.toml"
    config.write_text(PROMOTION)
    staged = deploy(aws_env, "--config", str(config), "--env", "staging", "--yes")
    assert staged.returncode == 0, staged.stderr
    _, credentials = _prod_role(aws_env)
    result = deploy(aws_env, "--config", str(config), "--env", "prod", "--promote-from", "staging", "--yes")
    assert result.returncode == 0, result.stderr
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp@{digest}"
    assert "Promoted from staging:" in result.stdout and f"WebImage = {image}" in result.stdout
    prod = stack_or_none(_client(aws_env, "cloudformation", "us-east-1", credentials), PROD_STACK)
    assert prod is not None and prod["StackStatus"] == "CREATE_COMPLETE"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in prod["Parameters"]}["WebImage"] == image
    # prod's execution role may pull from staging's repository, in staging's account: its own would not be enough.
    prod_cf = _client(aws_env, "cloudformation", "us-east-1", credentials)
    body = prod_cf.get_template(StackName=PROD_STACK)["TemplateBody"]
    roles = [
        r
        for r in (body if isinstance(body, dict) else json.loads(body))["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
    ]
    statements = [
        s for r in roles for p in r["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]
    ]
    pull = next(s for s in statements if s.get("Sid") == "PullPromotedImages")
    assert pull["Resource"] == ["arn:aws:ecr:eu-west-1:123456789012:repository/webapp"]
    assert "ecr:BatchGetImage" in pull["Action"] and "ecr:GetDownloadUrlForLayer" in pull["Action"]


def test_promotion_is_refused_when_stagings_template_differs_from_the_checkout(aws_env, aws, tmp_path):
    _pushed(aws, "v1")
    config = tmp_path / "app.toml"
    config.write_text(PROMOTION)
    assert deploy(aws_env, "--config", str(config), "--env", "staging", "--yes").returncode == 0
    config.write_text(PROMOTION.replace('family = "webapp"', 'family = "webapp"\nmemory_mib = 2048'))
    _, credentials = _prod_role(aws_env)
    line = one_error_line(deploy(aws_env, "--config", str(config), "--env", "prod", "--promote-from", "staging"))
    assert "staging's deployed template (stack webapp-staging) differs from what this checkout generates" in line
    assert stack_or_none(_client(aws_env, "cloudformation", "us-east-1", credentials), PROD_STACK) is None


def test_promotion_is_refused_for_a_tag_that_has_no_digest(aws_env, tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(PROMOTION.replace("123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp:v1", "nginx:1.27"))
    assert deploy(aws_env, "--config", str(config), "--env", "staging", "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--config", str(config), "--env", "prod", "--promote-from", "staging"))
    assert "WebImage = nginx:1.27 is a tag that cannot be resolved to a digest" in line


def test_express_environment_deploys(aws_env, aws, tmp_path):
    path = tmp_path / "app.toml"
    path.write_text(f'[environments.dev]\naccount = "123456789012"\nstack_name = "{STAGING_STACK}"\nexpress = true\n')
    result = deploy(aws_env, "--config", str(path), "--env", "dev", "--yes")
    assert result.returncode == 0, result.stderr
    assert stack_or_none(aws("cloudformation"), STAGING_STACK)["StackStatus"] == "CREATE_COMPLETE"


def test_env_all_diff_keep_then_execute_per_environment(aws_env, aws, tmp_path):
    path = tmp_path / "app.toml"
    path.write_text(
        '[environments.staging]\naccount = "123456789012"\nstack_name = "webapp-staging"\n'
        '[environments.qa]\naccount = "123456789012"\nstack_name = "webapp-qa"\n'
    )
    kept = deploy(aws_env, "--config", str(path), "--env", "all", "--diff", "--keep")
    assert kept.returncode == 0, kept.stderr
    hints = [line for line in kept.stdout.splitlines() if line.startswith("Execute exactly this one with: ")]
    assert len(hints) == 2 and all("--stack-name" not in hint for hint in hints)  # the base account's credentials
    hint = next(hint for hint in hints if hint.endswith(f"--config {path} --env staging"))
    name = hint.split("--execute ", 1)[1].split(" ", 1)[0]
    executed = deploy(aws_env, "--config", str(path), "--env", "staging", "--execute", name, "--yes")
    assert executed.returncode == 0, executed.stderr
    cf = aws("cloudformation")
    assert stack_or_none(cf, "webapp-staging")["StackStatus"] == "CREATE_COMPLETE"
    assert stack_or_none(cf, "webapp-qa")["StackStatus"] == "REVIEW_IN_PROGRESS"  # kept for its own --execute
