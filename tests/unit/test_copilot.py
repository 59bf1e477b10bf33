"""generate.py --from-copilot: manifests written after Copilot's reference and shaped like public projects' convert,
and the converted config loads and builds a template that carries the manifest's settings."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from container_infra.cli import parse_generate
from container_infra.config.loader import parse_config
from container_infra.copilot import convert
from container_infra.errors import UserError
from templates import render

DATA = Path(__file__).parent.parent / "data" / "copilot"


def template(text: str, env: str | None = None) -> dict[str, Any]:
    config = parse_config(tomllib.loads(text), "converted.toml", env)
    return json.loads(render(config, "json"))


def resources(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in doc["Resources"].values() if r["Type"] == kind]


def containers(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (task,) = resources(doc, "AWS::ECS::TaskDefinition")
    return {c["Name"]: c for c in task["ContainerDefinitions"]}


def resolved(doc: dict[str, Any], value: Any) -> Any:
    """A parameter's default where the template refers to one (images, the desired count)."""
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in doc.get("Parameters", {}):
        return doc["Parameters"][value["Ref"]].get("Default")
    return value


def secret_sources(container: dict[str, Any]) -> dict[str, str]:
    return {s["Name"]: json.dumps(s["ValueFrom"]) for s in container.get("Secrets", [])}


def test_reference_manifest_converts_every_documented_field():
    conversion = convert(str(DATA / "reference"), "frontend", {"prod": "210987654321"})
    doc = template(conversion.text)
    web = containers(doc)["frontend"]
    assert resolved(doc, web["Image"]) == "123456789012.dkr.ecr.us-west-2.amazonaws.com/frontend:v1"
    assert web["PortMappings"][0]["ContainerPort"] == 8080
    assert web["HealthCheck"]["Interval"] == 10 and web["HealthCheck"]["Retries"] == 2
    assert {"Name": "LOG_LEVEL", "Value": "info"} in web["Environment"]
    assert web["DependsOn"] == [{"ContainerName": "startup", "Condition": "SUCCESS"}]
    sources = secret_sources(web)
    assert "parameter/GITHUB_TOKEN" in sources["GITHUB_TOKEN"]
    assert "parameter/copilot/shop/ENVIRONMENT/secrets/db_password" in sources["DB_PASSWORD"]
    assert sources["API_KEY"] == '"arn:aws:secretsmanager:us-west-2:123456789012:secret:shop/api-AbCdEf:key::"'
    assert set(containers(doc)) == {"frontend", "startup", "metrics"}
    (task,) = resources(doc, "AWS::ECS::TaskDefinition")
    assert (resolved(doc, task["Cpu"]), resolved(doc, task["Memory"])) == ("512", "1024")
    assert task["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    (service,) = resources(doc, "AWS::ECS::Service")
    assert service["EnableExecuteCommand"] is True
    assert service["HealthCheckGracePeriodSeconds"] == 120
    assert doc["Parameters"]["DesiredCount"]["Default"] == 2
    (group,) = resources(doc, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["HealthCheckPath"] == "/_healthcheck"
    (log_group,) = resources(doc, "AWS::Logs::LogGroup")
    assert log_group["RetentionInDays"] == 30


def test_reference_environment_overrides_become_environments():
    conversion = convert(str(DATA / "reference"), "frontend", {"prod": "210987654321"})
    data = tomllib.loads(conversion.text)
    assert data["environments"]["prod"]["account"] == "210987654321"
    assert data["environments"]["test"]["account"] == "000000000000"
    assert "copilot env show -n test" in conversion.text
    assert "SSM parameter /copilot/applications/shop/environments/test" in conversion.text
    prod = template(conversion.text, "prod")
    (task,) = resources(prod, "AWS::ECS::TaskDefinition")
    assert (resolved(prod, task["Cpu"]), resolved(prod, task["Memory"])) == ("1024", "2048")
    (target,) = resources(prod, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 10)
    web = containers(prod)["frontend"]
    assert {"Name": "LOG_LEVEL", "Value": "warn"} in web["Environment"]
    assert "parameter/copilot/shop/prod/secrets/db_password" in secret_sources(web)["DB_PASSWORD"]
    (log_group,) = resources(prod, "AWS::Logs::LogGroup")
    assert log_group["RetentionInDays"] == 90
    granted = json.dumps(
        [
            statement
            for role in resources(prod, "AWS::IAM::Role")
            for policy in role.get("Policies", [])
            for statement in policy["PolicyDocument"]["Statement"]
            if statement["Action"] in (["ssm:GetParameters"], ["secretsmanager:GetSecretValue"])
        ]
    )
    # The execution role may read the very parameters and secret Copilot's tasks read.
    assert "parameter/copilot/shop/prod/secrets/db_password" in granted and "parameter/GITHUB_TOKEN" in granted
    assert "secret:shop/api-AbCdEf" in granted
    test = template(conversion.text, "test")
    assert (
        "parameter/copilot/shop/test/secrets/db_password" in secret_sources(containers(test)["frontend"])["DB_PASSWORD"]
    )


def test_reference_unmappable_fields_are_listed_and_commented():
    conversion = convert(str(DATA / "reference"), "frontend", {})
    fields = {item.field for item in conversion.unmapped}
    assert {
        "http.stickiness",
        "http.healthcheck.success_codes",
        "secrets.DB_SECRET.secretsmanager",
        "environments.prod.count.memory_percentage",
        "environments.test.deployment.rolling",
    } <= fields
    for item in conversion.unmapped:
        assert f"# not converted: {item.line()}" in conversion.text


@pytest.mark.parametrize("service", ["api", "web"])
def test_public_shaped_manifests_convert_and_build(service):
    conversion = convert(str(DATA / "public" / "copilot"), service, {"staging": "123456789012"})
    for env in (None, "staging"):
        doc = template(conversion.text, env)
        (container,) = containers(doc).values()
        assert container["Name"] == service
    assert "[repository]" in conversion.text  # built by Copilot: deploy.py --build builds it here
    assert any(item.field == "image.build" for item in conversion.unmapped)


def test_public_web_alias_and_count():
    conversion = convert(str(DATA / "public"), "web", {})
    staging = tomllib.loads(conversion.text)["environments"]["staging"]
    assert staging["load_balancer"]["domain"] == "staging.todo.example.com"
    assert staging["service"]["desired_count"] == 1
    assert "deploy.py --config FILE --env NAME --build web" in conversion.text
    assert {"count.requests", "count.range.spot_from", "http.alias"} <= {i.field for i in conversion.unmapped}


def test_backend_service_is_a_service_without_a_load_balancer():
    conversion = convert(str(DATA / "public"), "api", {})
    doc = template(conversion.text, "staging")
    (service,) = resources(doc, "AWS::ECS::Service")
    assert service["LoadBalancers"] == []
    assert [r for r in doc["Resources"].values() if r["Type"].startswith("AWS::ElasticLoadBalancingV2::")] == []
    assert resolved(doc, service["DesiredCount"]) == 1 and service["EnableExecuteCommand"] is True
    assert containers(doc)["api"]["Environment"] == [
        {"Name": "COPILOT_APPLICATION_NAME", "Value": "todo"},
        {"Name": "COPILOT_ENVIRONMENT_NAME", "Value": "staging"},
        {"Name": "COPILOT_SERVICE_NAME", "Value": "api"},
        {"Name": "TABLE_NAME", "Value": "todo-staging"},
    ]
    (group,) = resources(doc, "AWS::EC2::SecurityGroup")
    assert "SecurityGroupIngress" not in group  # nothing reaches it until ingress_from names the callers
    reachability = [i for i in conversion.unmapped if i.field == "type"]
    assert reachability and "ingress_from" in reachability[0].why
    assert "no discovery name" in reachability[0].why and "TaskSecurityGroupId" in reachability[0].why


def test_reference_backend_service_carries_its_image_port_count_exec_variables_secrets_and_sidecars():
    conversion = convert(str(DATA / "reference"), "orders", {"prod": "210987654321", "test": "123456789012"})
    assert "load_balancer = false" in conversion.text
    doc = template(conversion.text, "prod")
    (service,) = resources(doc, "AWS::ECS::Service")
    assert service["LoadBalancers"] == [] and service["EnableExecuteCommand"] is True
    (target,) = resources(doc, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 6)
    (policy,) = resources(doc, "AWS::ApplicationAutoScaling::ScalingPolicy")
    assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 65.0
    found = containers(doc)
    orders, xray = found["orders"], found["xray"]
    assert resolved(doc, orders["Image"]) == "123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:v3"
    assert orders["PortMappings"][0]["ContainerPort"] == 9090 and orders["HealthCheck"]["Retries"] == 3
    assert {"Name": "QUEUE", "Value": "orders-prod"} in orders["Environment"]
    sources = secret_sources(orders)
    assert "parameter/copilot/shop/prod/secrets/api_key" in sources["API_KEY"]
    assert "secret:orders/db-AbCdEf:password::" in sources["DB_PASSWORD"]
    # A UDP port is listed, not mapped as the TCP port it is not.
    assert "PortMappings" not in xray and xray["Essential"] is False
    test_doc = template(conversion.text, "test")
    (test_service,) = resources(test_doc, "AWS::ECS::Service")
    assert resolved(test_doc, test_service["DesiredCount"]) == 1
    assert resources(test_doc, "AWS::ApplicationAutoScaling::ScalableTarget") == []
    unmapped = {i.field for i in conversion.unmapped}
    assert {"http", "type", "sidecars.xray.port"} <= unmapped


def write(folder: Path, text: str, name: str = "svc") -> Path:
    (folder / "copilot" / name).mkdir(parents=True, exist_ok=True)
    (folder / "copilot" / name / "manifest.yml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("name: svc\ntype: [unclosed\n", "not valid YAML (line"),
        ("name: svc\ntype: Load Balanced Service\n", 'type = "Load Balanced Service": not a Copilot service type'),
        ("name: svc\ntype: Worker Service\n", 'type = "Worker Service": has no equivalent here'),
        ("type: Backend Service\nimage:\n  location: nginx\n", "name = null: every Copilot manifest names"),
        ("- a list\n", "a manifest is a YAML mapping"),
        ("name: svc\ntype: Backend Service\ncpu: 256\n", "image = null: a service's image is a map"),
    ],
)
def test_malformed_manifest_is_one_line(tmp_path, text, said):
    with pytest.raises(UserError) as caught:
        convert(str(write(tmp_path, text)), None, {})
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_several_services_need_service(tmp_path):
    write(tmp_path, "name: a\ntype: Backend Service\nimage:\n  location: nginx\n", "a")
    write(tmp_path, "name: b\ntype: Backend Service\nimage:\n  location: nginx\n", "b")
    with pytest.raises(UserError, match="2 services \\(a, b\\); choose one with --service NAME"):
        convert(str(tmp_path), None, {})
    with pytest.raises(UserError, match="--service c: not a service"):
        convert(str(tmp_path), "c", {})
    with pytest.raises(UserError, match="--account prod=...: a has no environment prod"):
        convert(str(tmp_path), "a", {"prod": "123456789012"})


def test_no_copilot_folder(tmp_path):
    with pytest.raises(UserError, match="no copilot/ folder there"):
        convert(str(tmp_path), None, {})


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--from-copilot", ".", "--config", "a.toml"], "takes no --config"),
        (["--from-copilot", ".", "--env", "prod"], "takes no --env"),
        (["--from-copilot", ".", "--format", "yaml"], "takes no --format"),
        (["--service", "web"], "--service goes with --from-copilot"),
        (["--from-copilot", ".", "--account", "prod"], "must be ENV=ID"),
        (["--from-copilot", ".", "--account", "prod=12"], "not a 12-digit AWS account ID"),
    ],
)
def test_flags_that_do_not_go_together(argv, said):
    with pytest.raises(UserError, match=said):
        parse_generate(argv)


def test_flags_are_read():
    options = parse_generate(["--from-copilot", "d", "--service", "web", "--account", "prod=210987654321"])
    assert options.from_copilot is not None
    assert (options.from_copilot.service, options.from_copilot.accounts) == ("web", {"prod": "210987654321"})


def field_paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for key, value in data.items():
        found.append((*prefix, key))
        if isinstance(value, dict):
            found.extend(field_paths(value, (*prefix, key)))
    return found


WRONG_VALUES = [None, 5, "x", [1], {"a": 1}, True]
PYTHON_WORDS = re.compile(r"\b(None|True|False|NoneType|dict|bool|str)\b|\{'|\['")


def test_a_wrong_value_anywhere_is_one_line_or_a_config_that_builds(tmp_path):
    """Real manifests hold surprises: each field of the reference manifest set to a wrong type either converts to a
    config that loads and builds, or is one line (UserError), never another exception."""
    manifest = yaml.safe_load((DATA / "reference" / "copilot" / "frontend" / "manifest.yml").read_text())
    refused = 0
    for path in field_paths(manifest):
        for wrong in WRONG_VALUES:
            changed = copy.deepcopy(manifest)
            table = changed
            for key in path[:-1]:
                table = table[key]
            table[path[-1]] = wrong
            folder = tmp_path / f"case{refused}"
            write(folder, yaml.safe_dump(changed))
            try:
                text = convert(str(folder), None, {}).text
                for env in (None, "prod", "test"):
                    template(text, env)
            except UserError as error:
                assert "\n" not in str(error)
                # In YAML's words (null, true, a list), never Python's (None, True, dict, NoneType, {'a': 1}).
                assert not PYTHON_WORDS.search(str(error).rsplit("manifest.yml", 1)[-1]), str(error)
                refused += 1
    assert refused > 50


def test_reference_spot_build_and_sidecar_fields():
    conversion = convert(str(DATA / "reference"), "worker-api", {})
    doc = template(conversion.text)
    api, proxy = containers(doc)["worker-api"], containers(doc)["proxy"]
    assert api["EntryPoint"] == ["/bin/sh", "-c"]
    assert api["Command"] == ["exec", "gunicorn", "--bind", "0.0.0.0:8080", "app:create()"]
    assert {"Name": "UPSTREAM", "Value": "localhost:8080"} in proxy["Environment"]
    (service,) = resources(doc, "AWS::ECS::Service")
    assert service["LoadBalancers"][0]["ContainerName"] == "proxy"
    assert [s["CapacityProvider"] for s in service["CapacityProviderStrategy"] if s["Weight"]] == ["FARGATE_SPOT"]
    assert doc["Parameters"]["DesiredCount"]["Default"] == 3
    listed = {item.field: item.why for item in conversion.unmapped}
    assert "not ./api/Dockerfile.prod" in listed["image.build"]
    assert {
        "sidecars.proxy.secrets.TLS_KEY",
        "sidecars.proxy.mount_points",
        "logging.destination",
        "deployment.rolling",
        "deployment.rollback_alarms",
        "taskdef_overrides",
        "http.deregistration_delay",
    } <= set(listed)
    assert "--build ./api" in conversion.text


def test_comments_of_a_table_that_leaves_the_base_stay_in_the_file(tmp_path):
    manifest = """name: svc
type: Load Balanced Web Service
image:
  location: nginx
  port: 80
count:
  range:
    min: 1
    max: 4
    spot_from: 3
  cpu_percentage:
    value: 70
    cooldown:
      in: 30s
environments:
  test:
    count: 1
"""
    conversion = convert(str(write(tmp_path, manifest)), None, {"test": "123456789012"})
    # [service.autoscaling] leaves the base (test runs a fixed count): its notes stay, on the table that held it.
    data = tomllib.loads(conversion.text)
    assert "autoscaling" not in data["service"] and data["environments"]["test"]["service"]["desired_count"] == 1
    for field in ("count.range.spot_from", "count.cpu_percentage.cooldown"):
        assert field in {item.field for item in conversion.unmapped}
        (line,) = [line for line in conversion.text.splitlines() if f"not converted: {field}" in line]
        assert line.startswith("# on [service.autoscaling], which each environment that has it sets: ")
    header = conversion.text.splitlines().index("[service]")
    assert "spot_from" in conversion.text.splitlines()[header + 1]  # under [service], where autoscaling was
    template(conversion.text, "test")


def test_secrets_by_arn_are_kept_and_by_name_become_parameters_of_the_stacks_account(tmp_path):
    parameter = "arn:aws:ssm:us-east-1:210987654321:parameter/shared/token"
    secret = "arn:aws:secretsmanager:us-east-1:210987654321:secret:demo/test/mysql-Yi6mvL"
    manifest = f"""name: svc
type: Backend Service
image:
  location: nginx
secrets:
  TOKEN: {parameter}
  DB: '{secret}'
  PLAIN: GH_WEBHOOK_SECRET
  NESTED: /copilot/app/test/secrets/x
"""
    conversion = convert(str(write(tmp_path, manifest)), None, {})
    secrets = tomllib.loads(conversion.text)["task"]["containers"][0]["secrets"]
    assert secrets == {
        "TOKEN": parameter,
        "DB": secret,
        "PLAIN": "ssm:GH_WEBHOOK_SECRET",
        "NESTED": "ssm:/copilot/app/test/secrets/x",
    }
    sources = secret_sources(containers(template(conversion.text))["svc"])
    assert sources["TOKEN"] == json.dumps(parameter)


BACKEND = "name: svc\ntype: Backend Service\nimage:\n  location: nginx\n  port: 8080\n"


def converted(tmp_path: Path, extra: str) -> Any:
    return convert(str(write(tmp_path, BACKEND + extra)), None, {})


@pytest.mark.parametrize(
    ("extra", "enabled"),
    [
        ("exec: true\n", True),
        ("exec: false\n", False),
        ("exec:\n  enable: true\n", True),
        ("exec:\n  enable: false\n", False),
    ],
)
def test_exec_on_and_off_in_both_of_copilots_forms(tmp_path, extra, enabled):
    (service,) = resources(template(converted(tmp_path, extra).text), "AWS::ECS::Service")
    assert service["EnableExecuteCommand"] is enabled


def test_copilots_defaults_are_written_where_the_manifest_sets_no_size_or_count(tmp_path):
    conversion = converted(tmp_path, "")
    data = tomllib.loads(conversion.text)
    assert (data["task"]["cpu"], data["task"]["memory_mib"], data["service"]["desired_count"]) == (256, 512, 1)
    assert "cpu = 256, memory_mib = 512: Copilot's default" in conversion.text
    assert "desired_count = 1: Copilot's default" in conversion.text


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("exec: {}\n", "exec = {}: true, false or {enable: true|false}"),
        ('cpu: ""\n', 'cpu = "": a whole number of CPU units'),
        ("memory: null\n", "memory = null: a whole number of MiB"),
        ("count: null\n", "count = null: a number of tasks"),
        ("count:\n  cpu_percentage: 70\n", "count.cpu_percentage = 70: Copilot refuses a scaling target without"),
        ("count:\n  range: 1-4\n", 'count.range = "1-4": Copilot refuses a range without a scaling target'),
        ("count:\n  spot: 2\n  range: 1-4\n  cpu_percentage: 50\n", "count.spot = 2: Copilot refuses spot"),
        ("variables:\n  HOSTS: [a, b]\n", 'variables.HOSTS = ["a", "b"]: a string'),
        ("variables:\n  OPTS: {a: 1}\n", "variables.OPTS = "),
        ("command: {a: 1}\n", "command = "),
        ("logging:\n  retention: null\n", "logging.retention = null: give a value"),
        (
            "sidecars:\n  p:\n    image: nginx\n    healthcheck:\n      command: [a]\n      retries: null\n",
            "sidecars.p.healthcheck.retries = null: give a value",
        ),
    ],
)
def test_what_copilot_refuses_or_cannot_be_written_is_one_line_naming_the_field(tmp_path, extra, said):
    with pytest.raises(UserError) as caught:
        converted(tmp_path, extra)
    assert said in str(caught.value) and "\n" not in str(caught.value)
    assert "manifest.yml: " in str(caught.value)


def test_image_location_with_build_is_refused_as_copilot_refuses_it(tmp_path):
    text = "name: svc\ntype: Backend Service\nimage:\n  location: nginx\n  build: ./Dockerfile\n"
    with pytest.raises(UserError, match='image.location = "nginx": Copilot refuses location together with build'):
        convert(str(write(tmp_path, text)), None, {})


def test_a_key_given_twice_is_refused_naming_file_and_key(tmp_path):
    with pytest.raises(UserError) as caught:
        converted(tmp_path, "cpu: 256\ncpu: 512\n")
    message = str(caught.value)
    assert "svc/manifest.yml" in message and "the key cpu is given twice" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("name: test\ntype: [unclosed\n", "not valid YAML"),
        ("- a\n", "an environment manifest is a YAML mapping"),
        ("type: Environment\n", "name = null: an environment manifest names its environment as its folder does"),
        ("name: prod\ntype: Environment\n", 'name = "prod": an environment manifest names its environment as its'),
        ("name: 42\ntype: Environment\n", "name = 42: an environment manifest names its environment"),
    ],
)
def test_a_broken_environment_manifest_is_one_line_naming_it(tmp_path, text, said):
    folder = write(tmp_path, BACKEND)
    (folder / "copilot" / "environments" / "test").mkdir(parents=True)
    (folder / "copilot" / "environments" / "test" / "manifest.yml").write_text(text)
    with pytest.raises(UserError) as caught:
        convert(str(folder), None, {})
    assert "environments/test/manifest.yml" in str(caught.value) and said in str(caught.value)


@pytest.mark.parametrize(("placement", "public"), [("public", "ENABLED"), ("private", "DISABLED")])
def test_placement_says_whether_the_tasks_get_a_public_ip(tmp_path, placement, public):
    conversion = converted(tmp_path, f"network:\n  vpc:\n    placement: {placement}\n")
    (service,) = resources(template(conversion.text), "AWS::ECS::Service")
    assert service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == public
    assert not [item for item in conversion.unmapped if item.field.startswith("network")]


def test_an_override_unsets_what_copilots_merge_unsets(tmp_path):
    """An environment's image.location replaces the base's build, and its spot the base's range and target."""
    manifest = """name: svc
type: Backend Service
image:
  build: ./Dockerfile
count:
  range: 1-4
  cpu_percentage: 60
environments:
  prod:
    image:
      location: nginx:1.27
    count:
      spot: 2
"""
    conversion = convert(str(write(tmp_path, manifest)), None, {"prod": "210987654321"})
    prod = template(conversion.text, "prod")
    assert resolved(prod, containers(prod)["svc"]["Image"]) == "nginx:1.27"
    assert resources(prod, "AWS::ApplicationAutoScaling::ScalableTarget") == []


def test_the_names_copilot_gives_every_container_are_set_and_what_cannot_be_is_listed():
    conversion = convert(str(DATA / "reference"), "frontend", {"prod": "210987654321"})
    for env, expected in ((None, "ENVIRONMENT"), ("prod", "prod")):
        for container in containers(template(conversion.text, env)).values():
            variables = {v["Name"]: v["Value"] for v in container.get("Environment", [])}
            assert variables["COPILOT_APPLICATION_NAME"] == "shop"
            assert variables["COPILOT_ENVIRONMENT_NAME"] == expected
            assert variables["COPILOT_SERVICE_NAME"] == "frontend"
    listed = {item.field: item.why for item in conversion.unmapped}
    assert "Cloud Map" in listed["variables.COPILOT_SERVICE_DISCOVERY_ENDPOINT"]
    assert "LoadBalancerDnsName" in listed["variables.COPILOT_LB_DNS"]


def test_shell_placeholders_are_filled_as_copilot_fills_them_and_listed(tmp_path):
    folder = write(tmp_path, BACKEND.replace("nginx", "nginx:${TAG}") + "variables:\n  RAW: \\${HOME}\n")
    conversion = convert(str(folder), None, {}, environ={"TAG": "1.27"})
    data = tomllib.loads(conversion.text)
    (container,) = data["task"]["containers"]
    assert container["image"] == "nginx:1.27" and container["environment"]["RAW"] == "${HOME}"
    (item,) = [item for item in conversion.unmapped if item.field == "image.location"]
    assert "${TAG} filled from this shell's environment" in item.why
    with pytest.raises(UserError, match=r"image.location = \"nginx:\$\{TAG\}\": \$\{TAG\} is not set in this shell"):
        convert(str(folder), None, {}, environ={})


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("cpu: 300\n", "manifest.yml: cpu (converted to task.cpu) = 300: not a Fargate CPU size"),
        (
            "environments:\n  prod:\n    memory: 3\n",
            "manifest.yml: environments.prod.memory (converted to task.memory_mib) = 3: not allowed with cpu = 256",
        ),
        (
            "variables:\n  1BAD: x\n",
            'manifest.yml: variables.1BAD (converted to task.containers[0].environment.1BAD) = "x"',
        ),
        (
            "sidecars:\n  proxy:\n    image: nginx\n    secrets:\n      KEY: 'bad name'\n",
            "manifest.yml: sidecars.proxy.secrets.KEY (converted to task.containers[1].secrets.KEY)",
        ),
    ],
)
def test_the_converted_config_is_loaded_before_it_is_written_and_a_refusal_names_the_manifest_field(
    tmp_path, extra, said
):
    with pytest.raises(UserError) as caught:
        converted(tmp_path, extra)
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_variables_and_secrets_keep_their_text_as_copilot_reads_them(tmp_path):
    """Copilot reads variables into strings (yaml.v3): YAML 1.1's sexagesimal, octal, yes/no/on and dates would
    change a value silently."""
    extra = (
        "common: &common\n  BACKUP_TIME: 12:30\n"
        "variables:\n  <<: *common\n  NODE_VERSION: 18.10\n  ZIP: 01234\n  FEATURE_X: on\n  COUNTRY: NO\n"
        "  YES: yes\n  RELEASE: 2024-01-01\n  HEX: 0x1F\n  QUOTED: '007'\n"
        "secrets:\n  CODE: 12345\n"
    )
    conversion = converted(tmp_path, extra)
    (container,) = containers(template(conversion.text)).values()
    given = {e["Name"]: e["Value"] for e in container["Environment"]}
    assert {k: given[k] for k in ("BACKUP_TIME", "NODE_VERSION", "ZIP", "FEATURE_X", "COUNTRY", "YES")} == {
        "BACKUP_TIME": "12:30",
        "NODE_VERSION": "18.10",
        "ZIP": "01234",
        "FEATURE_X": "on",
        "COUNTRY": "NO",
        "YES": "yes",
    }
    assert (given["RELEASE"], given["HEX"], given["QUOTED"]) == ("2024-01-01", "0x1F", "007")
    assert "parameter/12345" in secret_sources(container)["CODE"]


def test_a_variable_without_a_name_is_one_line(tmp_path):
    with pytest.raises(UserError) as caught:
        converted(tmp_path, "variables:\n  ~: x\n")
    assert str(caught.value).endswith('variables = {"null": "x"}: every variable has a name')


def test_every_setting_of_an_environment_manifest_is_listed_and_source_ips_warned(tmp_path):
    folder = write(tmp_path, BACKEND)
    (folder / "copilot" / "environments" / "prod").mkdir(parents=True)
    (folder / "copilot" / "environments" / "prod" / "manifest.yml").write_text(
        "name: prod\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-1\n"
        "http:\n  public:\n    ingress:\n      source_ips: [10.0.0.0/8]\nobservability:\n  container_insights: true\n"
    )
    conversion = convert(str(folder), None, {})
    listed = {item.field.rpartition(": ")[2]: item for item in conversion.unmapped if "environments/prod" in item.field}
    assert set(listed) == {"network.vpc.id", "http.public.ingress.source_ips", "observability.container_insights"}
    assert "admits the internet" in listed["http.public.ingress.source_ips"].why
    assert "not converted: " in conversion.text and "10.0.0.0/8" in conversion.text


def test_a_secrets_manager_arn_without_its_suffix_is_looked_up_whole(tmp_path):
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:foo"
    conversion = converted(tmp_path, f"secrets:\n  G:\n    secretsmanager: {arn}\n")
    (item,) = [i for i in conversion.unmapped if i.field.endswith("secrets.G.secretsmanager")]
    assert f"--secret-id {arn} --query ARN" in item.why and 'G = "ARN"' in item.why


WEB = "name: svc\ntype: Load Balanced Web Service\nimage:\n  location: nginx\n  port: 8080\n"


def test_http_beside_an_nlb_still_converts_and_only_the_nlb_is_listed(tmp_path):
    extra = "http:\n  path: /\n  healthcheck: /hc\nnlb:\n  port: 443/tls\n"
    conversion = convert(str(write(tmp_path, WEB + extra)), None, {})
    (group,) = resources(template(conversion.text), "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["HealthCheckPath"] == "/hc"
    assert [item.field for item in conversion.unmapped if item.field in ("http", "nlb")] == ["nlb"]


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("http: false\n", "http = false: a Load Balanced Web Service needs http or nlb"),
        ("deployment:\n  rolling: fast\n", 'deployment.rolling = "fast": default or recreate'),
    ],
)
def test_what_copilot_refuses_in_a_web_service_is_one_line(tmp_path, extra, said):
    with pytest.raises(UserError) as caught:
        convert(str(write(tmp_path, WEB + extra)), None, {})
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_an_environment_cannot_rename_or_retype_the_service(tmp_path):
    extra = "environments:\n  prod:\n    name: other\n    type: Backend Service\n    count: 3\n"
    conversion = convert(str(write(tmp_path, WEB + extra)), None, {})
    listed = {item.field for item in conversion.unmapped}
    assert {"environments.prod.name", "environments.prod.type"} <= listed
    doc = template(conversion.text, "prod")
    assert resources(doc, "AWS::ElasticLoadBalancingV2::LoadBalancer")  # still a web service
    assert set(containers(doc)) == {"svc"}


def test_a_health_check_gets_copilots_defaults_not_ecs_ones(tmp_path):
    extra = "image:\n  location: nginx\n  port: 8080\n  healthcheck:\n    command: [CMD-SHELL, exit 0]\n"
    conversion = convert(str(write(tmp_path, "name: svc\ntype: Backend Service\n" + extra)), None, {})
    check = containers(template(conversion.text))["svc"]["HealthCheck"]
    assert (check["Interval"], check["Retries"], check["Timeout"], check.get("StartPeriod", 0)) == (10, 2, 5, 0)


def test_a_sidecars_build_is_listed_and_not_given_to_deploy_build(tmp_path):
    extra = "sidecars:\n  proxy:\n    image:\n      build: proxy/Dockerfile\n"
    conversion = converted(tmp_path, extra)
    assert "--build" not in conversion.text.split("stack_name")[0]  # the header gives no --build for it
    (item,) = [i for i in conversion.unmapped if i.field == "sidecars.proxy.image.build"]
    assert "builds only the service's main container" in item.why


@pytest.mark.parametrize(
    ("build", "warned"),
    [
        (
            "  build:\n    context: .\n    dockerfile: ./svc/Dockerfile\n",
            "it builds ./Dockerfile, not ./svc/Dockerfile",
        ),
        ("  build:\n    context: svc\n    dockerfile: svc/Dockerfile\n", None),
        ("  build: svc/Dockerfile.prod\n", "it builds svc/Dockerfile, not svc/Dockerfile.prod"),
    ],
)
def test_a_dockerfile_that_deploy_build_would_not_use_is_named(tmp_path, build, warned):
    text = "name: svc\ntype: Backend Service\nimage:\n" + build + "  port: 8080\n"
    (item,) = [i for i in convert(str(write(tmp_path, text)), None, {}).unmapped if i.field == "image.build"]
    assert (warned in item.why) if warned else ("it builds" not in item.why)


def test_a_copilot_variable_the_manifest_sets_itself_is_not_listed_as_not_set(tmp_path):
    conversion = convert(str(write(tmp_path, WEB + "variables:\n  COPILOT_LB_DNS: app.example.com\n")), None, {})
    assert "variables.COPILOT_LB_DNS" not in {item.field for item in conversion.unmapped}
    given = {e["Name"]: e["Value"] for e in containers(template(conversion.text))["svc"]["Environment"]}
    assert given["COPILOT_LB_DNS"] == "app.example.com"
