"""A Copilot secret given by Secrets Manager name: the converted config's comment gives a command and a place, and
following it (the command's answer from moto's Secrets Manager) gives a config whose task reads that secret."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

from container_infra.config.loader import parse_config
from container_infra.copilot import convert
from templates import render

MANIFEST = """name: api
type: Load Balanced Web Service
image:
  location: nginx
  port: 80
secrets:
  DB_PASSWORD:
    secretsmanager: 'shop/mysql:password::'
"""


def test_following_the_comment_gives_a_config_that_reads_the_secret(aws, tmp_path: Path):
    created = aws("secretsmanager").create_secret(Name="shop/mysql", SecretString='{"password": "x"}')["ARN"]
    (tmp_path / "copilot" / "api").mkdir(parents=True)
    (tmp_path / "copilot" / "api" / "manifest.yml").write_text(MANIFEST)
    conversion = convert(str(tmp_path), None, {})
    (item,) = [i for i in conversion.unmapped if i.field == "secrets.DB_PASSWORD.secretsmanager"]
    assert f"# not converted: {item.line()}" in conversion.text

    command = shlex.split(re.search(r"`(aws secretsmanager [^`]+)`", item.why).group(1))
    arguments = dict(zip(command[3::2], command[4::2], strict=True))
    assert command[:3] == ["aws", "secretsmanager", "describe-secret"] and arguments["--output"] == "text"
    answer = aws("secretsmanager").describe_secret(SecretId=arguments["--secret-id"])[arguments["--query"]]
    assert answer == created  # the complete ARN, with the six characters Secrets Manager appended

    variable, value = re.search(r'add (\w+) = "([^"]+)" to this container\'s secrets', item.why).groups()
    data = tomllib.loads(conversion.text)
    data["task"]["containers"][0].setdefault("secrets", {})[variable] = value.replace("ARN", answer, 1)
    template = json.loads(render(parse_config(data, "converted.toml"), "json"))
    resources = template["Resources"].values()
    (task,) = [r["Properties"] for r in resources if r["Type"] == "AWS::ECS::TaskDefinition"]
    (secret,) = task["ContainerDefinitions"][0]["Secrets"]
    assert (secret["Name"], secret["ValueFrom"]) == ("DB_PASSWORD", f"{created}:password::")
    granted = json.dumps([r for r in resources if r["Type"] == "AWS::IAM::Role"])
    assert created in granted
