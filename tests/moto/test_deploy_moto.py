"""deploy.py run as a user runs it, against moto's server on 127.0.0.1 (AWS_ENDPOINT_URL)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ROOT, deploy, one_error_line, stack_or_none
from tests.tables import has_row

STACK = "my-container-infra"
WEB_STACK = "web-service"  # examples/web-service.toml's own


def _config(tmp_path, text: str, name: str = "app.toml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _open_change_sets(cloudformation) -> list[dict]:
    # moto's ListChangeSets is not filtered by stack: look at every change set it knows.
    summaries = cloudformation.list_change_sets(StackName=STACK)["Summaries"]
    return [s for s in summaries if s["ExecutionStatus"] == "AVAILABLE"]


def test_diff_of_a_new_stack_shows_everything_and_leaves_nothing_behind(aws_env, aws):
    result = deploy(aws_env, "--diff")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Stack {STACK} in eu-west-1 (new stack)" in out
    for line in (
        "[+] AWS::ECS::Cluster MyTestCluster",
        "[+] AWS::ECS::TaskDefinition TaskdefWebapp",
        "[+] AWS::IAM::Role TaskdefWebappTaskRole",
    ):
        assert line in out
    assert "IAM Statement Changes" in out
    assert has_row(
        out, ["+", "${TaskdefWebappTaskRole.Arn}", "Allow", "sts:AssumeRole", "Service:ecs-tasks.amazonaws.com"]
    )
    assert "[+] TaskMemory: 1024" in out
    assert out.index("Parameters") < out.index("IAM Statement Changes") < out.index("Resources") < out.index("Outputs")
    cf = aws("cloudformation")
    assert stack_or_none(cf, STACK) is None  # the review-only stack is gone again
    assert aws("ecs").list_clusters()["clusterArns"] == []


def test_create_then_a_second_diff_says_no_changes(aws_env, aws):
    created = deploy(aws_env, "--yes")
    assert created.returncode == 0, created.stderr
    assert "CREATE_COMPLETE" in created.stdout
    assert f"✓ {STACK}: CREATE_COMPLETE" in created.stdout
    assert "TaskRoleArn = arn:aws:iam::123456789012:role/" in created.stdout
    assert "TaskDefinitionArn = arn:aws:ecs:eu-west-1:123456789012:task-definition/webapp:1" in created.stdout
    cf = aws("cloudformation")
    stack = stack_or_none(cf, STACK)
    assert stack is not None and stack["StackStatus"] == "CREATE_COMPLETE"
    resources = {r["LogicalResourceId"] for r in cf.describe_stack_resources(StackName=STACK)["StackResources"]}
    assert resources == {"MyTestCluster", "TaskdefWebapp", "TaskdefWebappTaskRole"}
    assert len(aws("ecs").list_clusters()["clusterArns"]) == 1

    again = deploy(aws_env, "--diff")
    assert again.returncode == 0, again.stderr
    assert "No changes" in again.stdout and "[~]" not in again.stdout
    assert _open_change_sets(cf) == []
    assert deploy(aws_env, "--yes").stdout.count("No changes") == 1  # a deploy without changes does nothing


def test_a_changed_config_shows_the_property_change_and_deploys_it(aws_env, aws, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    config = _config(tmp_path, "[task]\ncpu = 512\nmemory_mib = 2048\n")
    preview = deploy(aws_env, "--diff", "--config", config)
    assert preview.returncode == 0, preview.stderr
    assert "[~] AWS::ECS::TaskDefinition TaskdefWebapp" in preview.stdout
    assert "└─ [~] Memory: 1024 → 2048" in preview.stdout
    assert "[~] TaskMemory: 1024 → 2048" in preview.stdout
    assert "MyTestCluster" not in preview.stdout.split("Resources")[1]  # unchanged resources are not listed
    cf = aws("cloudformation")
    assert _open_change_sets(cf) == []

    applied = deploy(aws_env, "--yes", "--config", config)
    assert applied.returncode == 0, applied.stderr
    params = {
        p["ParameterKey"]: p["ParameterValue"] for p in cf.describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]
    }
    assert params["TaskMemory"] == "2048"


def test_parameter_overrides_win(aws_env, aws):
    result = deploy(aws_env, "--yes", "--parameter", "TaskCpu=1024", "--parameter", "TaskMemory=2048")
    assert result.returncode == 0, result.stderr
    stack = aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    params = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert (params["TaskCpu"], params["TaskMemory"]) == ("1024", "2048")
    assert "[~] TaskCpu" not in result.stdout and "[+] TaskCpu: 1024" in result.stdout


def test_template_file_with_default_vpc_lookup(aws_env, aws):
    template = str(ROOT / "tests" / "data" / "vpc-template.yaml")
    result = deploy(aws_env, "--yes", "--template", template, "--stack-name", "vpc-stack")
    assert result.returncode == 0, result.stderr
    ec2 = aws("ec2")
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = sorted(
        s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"]
    )
    assert f"VpcId = {default_vpc}: the default VPC of eu-west-1" in result.stdout
    stack = aws("cloudformation").describe_stacks(StackName="vpc-stack")["Stacks"][0]
    params = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert params["VpcId"] == default_vpc
    # AWS reports a List<> parameter as "a,b,c" (moto, a Python list's text, is mended in tests/fakes/moto_shims.py)
    assert subnets and sorted(params["Subnets"].split(",")) == subnets
    note = next(line for line in result.stdout.splitlines() if line.startswith("Subnets = "))
    assert sorted(note.split(":")[0].removeprefix("Subnets = ").split(",")) == subnets
    assert "Security Group Changes" in result.stdout and "0.0.0.0/0" in result.stdout
    assert "BROADEN" not in result.stdout  # --yes: no prompt, so no prompt warning
    # an update keeps the looked-up values: parameters without value or default keep their previous value
    again = deploy(aws_env, "--diff", "--template", template, "--stack-name", "vpc-stack")
    assert again.returncode == 0 and "No changes" in again.stdout, again.stdout


def _oversized_config(tmp_path) -> str:
    """A config whose template is over CloudFormation's 51,200-byte body limit."""
    # over 51,200 bytes of template, within ECS's 64 KiB for the task definition
    variables = ", ".join(f'V{i} = "{"x" * 200}"' for i in range(230))
    return _config(tmp_path, f'[[task.containers]]\nimage = "nginx:1.27"\nenvironment = {{ {variables} }}\n')


def test_oversized_template_goes_through_s3(aws_env, aws, tmp_path):
    config = _oversized_config(tmp_path)
    result = deploy(aws_env, "--yes", "--config", config)
    assert result.returncode == 0, result.stderr
    assert "uploaded to s3://container-infra-templates-123456789012-eu-west-1/" in result.stdout
    s3 = aws("s3")
    bucket = "container-infra-templates-123456789012-eu-west-1"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]["Expiration"]["Days"] == 30
    assert aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_diff_of_an_oversized_template_creates_no_bucket(aws_env, aws, tmp_path):
    """--diff changes nothing: with no template bucket yet it shows a local diff and says what it lacks."""
    config = _oversized_config(tmp_path)
    result = deploy(aws_env, "--diff", "--config", config)
    assert result.returncode == 0, result.stderr
    assert "WITHOUT replacement information" in result.stdout
    assert "[+] AWS::ECS::TaskDefinition TaskdefWebapp" in result.stdout
    assert aws("s3").list_buckets()["Buckets"] == []
    assert stack_or_none(aws("cloudformation"), STACK) is None

    assert deploy(aws_env, "--yes", "--config", config).returncode == 0  # creates the bucket
    again = deploy(aws_env, "--diff", "--config", config)
    assert again.returncode == 0 and "No changes" in again.stdout
    assert (
        "already in s3://container-infra-templates-123456789012-eu-west-1/" in again.stdout
    )  # the same content is not uploaded twice


def test_named_bucket_for_templates(aws_env, aws):
    aws("s3").create_bucket(Bucket="my-templates", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    result = deploy(aws_env, "--yes", "--s3-bucket", "my-templates")
    assert result.returncode == 0, result.stderr
    assert len(aws("s3").list_objects_v2(Bucket="my-templates")["Contents"]) == 1


def test_template_over_one_megabyte_is_refused(aws_env, aws, tmp_path):
    variables = ", ".join(f'V{i} = "{"x" * 250}"' for i in range(4500))
    config = _config(tmp_path, f'[[task.containers]]\nimage = "nginx:1.27"\nenvironment = {{ {variables} }}\n')
    line = one_error_line(deploy(aws_env, "--yes", "--config", config))
    assert "1 MB" in line and "bytes" in line
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_without_a_terminal_and_without_yes_it_refuses_and_cleans_up(aws_env, aws):
    result = deploy(aws_env)
    line = one_error_line(result)
    assert "no terminal" in line and "--yes" in line
    assert "[+] AWS::ECS::Cluster MyTestCluster" in result.stdout  # the diff was shown first
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_json_diff_for_ci(aws_env):
    result = deploy(aws_env, "--diff", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["stack"] == STACK and document["newStack"] is True and document["hasChanges"] is True
    assert {r["logicalId"] for r in document["resources"]} == {
        "MyTestCluster",
        "TaskdefWebapp",
        "TaskdefWebappTaskRole",
    }
    assert {r["action"] for r in document["resources"]} == {"Add"}
    assert document["iamStatements"][0]["action"] == "sts:AssumeRole"
    assert document["broadensAccess"] is True


def test_tags_reach_the_stack(aws_env, aws):
    assert deploy(aws_env, "--yes", "--tag", "team=web", "--tag", "env=dev").returncode == 0
    tags = {t["Key"]: t["Value"] for t in aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["Tags"]}
    assert tags == {"team": "web", "env": "dev"}


def test_destroy_lists_deletes_and_follows(aws_env, aws):
    template = str(ROOT / "tests" / "data" / "vpc-template.yaml")
    assert deploy(aws_env, "--yes", "--template", template).returncode == 0
    preview = deploy(aws_env, "--destroy", "--diff")
    assert preview.returncode == 0
    assert "[-] AWS::EC2::SecurityGroup WebSecurityGroup" in preview.stdout
    assert "[=] AWS::Logs::LogGroup Logs" in preview.stdout and "Retain" in preview.stdout
    cf = aws("cloudformation")
    assert stack_or_none(cf, STACK) is not None

    result = deploy(aws_env, "--destroy", "--yes")
    assert result.returncode == 0, result.stderr
    assert "DELETE_COMPLETE" in result.stdout
    assert stack_or_none(cf, STACK) is None
    gone = deploy(aws_env, "--destroy", "--yes")
    assert gone.returncode == 0 and "does not exist" in gone.stdout


def test_destroy_without_terminal_refuses(aws_env, aws):
    assert deploy(aws_env, "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--destroy"))
    assert "not destroying" in line
    assert stack_or_none(aws("cloudformation"), STACK) is not None


BAD_INPUTS = [
    (["--stack-name", "my_stack"], ["--stack-name", "my_stack", "letters, digits and '-'"]),
    (["--stack-name", "9lives"], ["--stack-name", "start with a letter"]),
    (["--config", "x.toml", "--template", "y.json"], ["--config and --template"]),
    (["--template", "/nonexistent/template.json"], ["--template", "no such file"]),
    (["--parameter", "TaskCpu"], ["--parameter", "'TaskCpu'", "Key=Value"]),
    (["--parameter", "Nope=1"], ["--parameter Nope=...", "no parameter Nope", "TaskCpu"]),
    (["--parameter", "TaskCpu=300"], ["--parameter TaskCpu=300", "allowed", "256"]),
    (["--tag", "=x"], ["--tag", "Key=Value"]),
    (["--destroy", "--json"], ["--destroy", "--json"]),
    (["--frobnicate"], ["unrecognized arguments: --frobnicate"]),
]


@pytest.mark.parametrize(("args", "fragments"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_clear_line(aws_env, aws, args, fragments):
    line = one_error_line(deploy(aws_env, "--diff", *args))
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_template_that_is_not_a_template(aws_env, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"Resources": ')
    line = one_error_line(deploy(aws_env, "--diff", "--template", str(broken)))
    assert "not a valid JSON template (Expecting value: line 1" in line
    empty = tmp_path / "empty.yaml"
    empty.write_text("Description: nothing\n")
    assert "needs a Resources section" in one_error_line(deploy(aws_env, "--diff", "--template", str(empty)))


def test_bad_config_for_deploy_uses_the_shared_loader(aws_env, tmp_path):
    config = _config(tmp_path, "[task]\ncpu = 256\nmemory_mib = 4096\n")
    line = one_error_line(deploy(aws_env, "--diff", "--config", config))
    assert "task.memory_mib = 4096" in line


def test_missing_credentials(aws_env):
    env = {k: v for k, v in aws_env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    line = one_error_line(deploy(env, "--diff"))
    assert "no AWS credentials" in line


def test_missing_region(aws_env):
    env = {k: v for k, v in aws_env.items() if k != "AWS_REGION"}
    assert "no AWS region" in one_error_line(deploy(env, "--diff"))


def test_unknown_profile(aws_env):
    assert "--profile nobody" in one_error_line(deploy(aws_env, "--diff", "--profile", "nobody"))


def test_throttled_calls_are_retried_by_botocore(aws_env, aws):
    """A proxy answers the first calls of DescribeStacks and DescribeStackEvents with Throttling, as AWS does under
    load."""
    from tests.fakes.aws_proxy import CountingProxy

    with CountingProxy(aws_env["AWS_ENDPOINT_URL"], throttle={"DescribeStacks": 2, "DescribeStackEvents": 2}) as proxy:
        result = deploy({**aws_env, "AWS_ENDPOINT_URL": proxy.url}, "--yes")
    assert result.returncode == 0, result.stderr
    assert "CREATE_COMPLETE" in result.stdout
    assert proxy.throttled["DescribeStacks"] == 2 and proxy.throttled["DescribeStackEvents"] == 2
    assert proxy.calls["DescribeStacks"] > 2 and proxy.calls["DescribeStackEvents"] > 2


def test_web_service_example_deploys_a_load_balanced_service(aws_env, aws, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")  # moto's in-process server: the service's tasks come up
    result = deploy(aws_env, "--config", str(ROOT / "examples" / "web-service.toml"), "--yes")
    assert result.returncode == 0, result.stderr
    ecs, elbv2 = aws("ecs"), aws("elbv2")
    (cluster_arn,) = ecs.list_clusters()["clusterArns"]
    (service_arn,) = ecs.list_services(cluster=cluster_arn)["serviceArns"]
    (service,) = ecs.describe_services(cluster=cluster_arn, services=[service_arn])["services"]
    assert service["desiredCount"] == 2  # (moto reports every service as EC2; LaunchType is asserted on the template)
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    assert balancer["Scheme"] == "internet-facing"
    (group,) = elbv2.describe_target_groups()["TargetGroups"]
    assert (group["TargetType"], group["Port"]) == ("ip", 8000)
    # moto's ECS does not keep a CloudFormation service's LoadBalancers ("TODO" in moto): show the attachment through
    # the stack instead, its deployed service pointing at the target group that exists.
    cf = aws("cloudformation")
    physical = {
        r.get("LogicalResourceId"): r.get("PhysicalResourceId")
        for r in cf.describe_stack_resources(StackName=WEB_STACK)["StackResources"]
    }
    assert physical["WebappTargetGroup"] == group["TargetGroupArn"]
    assert physical["WebappLoadBalancer"] == balancer["LoadBalancerArn"]
    deployed = cf.get_template(StackName=WEB_STACK)["TemplateBody"]
    attached = deployed["Resources"]["WebappService"]["Properties"]["LoadBalancers"]
    assert attached == [{"ContainerName": "web", "ContainerPort": 8000, "TargetGroupArn": {"Ref": "WebappTargetGroup"}}]
    assert f"ServiceUrl = http://{balancer['DNSName']}" in result.stdout
    (repository,) = aws("ecr").describe_repositories()["repositories"]
    assert repository["repositoryName"].startswith(f"{WEB_STACK}-")  # unnamed in the template: CloudFormation names it
    assert f"RepositoryUri = {repository['repositoryUri']}" in result.stdout
    assert "ECS WebappService: PRIMARY COMPLETED running 2/2 pending 0" in result.stdout
    assert "ECS rollout of WebappService: COMPLETED" in result.stdout


def test_a_load_balancer_with_one_subnet_is_refused_before_anything_is_made(aws_env, aws):
    subnet = aws("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    line = one_error_line(
        deploy(
            aws_env,
            "--config",
            str(ROOT / "examples" / "web-service.toml"),
            "--diff",
            "--parameter",
            f"LoadBalancerSubnets={subnet}",
        )
    )
    assert f"parameter LoadBalancerSubnets = {subnet}" in line and "two Availability Zones" in line
    assert stack_or_none(aws("cloudformation"), WEB_STACK) is None


def test_a_noecho_value_is_never_printed(aws_env, aws):
    """Once the Parameters section masked Token, the Resources section printed it, --json carried old and new."""
    template = str(ROOT / "tests" / "data" / "secret-template.yaml")
    created = deploy(aws_env, "--yes", "--template", template, "--parameter", "Token=first-secret")
    assert created.returncode == 0, created.stderr
    text = deploy(aws_env, "--diff", "--template", template, "--parameter", "Token=second-secret")
    as_json = deploy(aws_env, "--diff", "--json", "--template", template, "--parameter", "Token=second-secret")
    for run in (created, text, as_json):
        printed = run.stdout + run.stderr
        assert "first-secret" not in printed and "second-secret" not in printed, printed
    assert text.returncode == 0 and "└─ [~] Tags[0].Value: **** → ****" in text.stdout, text.stdout
    (logs,) = json.loads(as_json.stdout)["resources"]
    assert {"name": "Tags[0].Value", "old": "****", "new": "****", "replacement": None} in logs["properties"]
