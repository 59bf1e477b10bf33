"""What generate.py loads: never the AWS SDK, and the web service's parsers and builders only for a config with a
[service].

generate.py runs in a fresh interpreter, and the test reads which modules it loaded (sys.modules at the end).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

# generate.py as `python generate.py ARGS` runs it, then the names of the modules it loaded, one a line.
PROBE = """
import contextlib, io, runpy, sys
sys.argv = ["generate.py", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_path("generate.py", run_name="__main__")
    except SystemExit as exit:
        if exit.code:
            raise
print("\\n".join(sorted(sys.modules)))
"""
# The loader imports the optional tables' parsers, and templates/__init__.py the web service's builders, for a
# config that has them only (start-up time: bench/generate).
WEB_SERVICE_MODULES = {
    "container_infra.config.service",
    "container_infra.config.load_balancer",
    "templates.web_service",
    "troposphere.ec2",
    "troposphere.elasticloadbalancingv2",
}


def modules(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


@pytest.mark.parametrize("args", [(), ("--config", "examples/production.toml", "--format", "yaml")])
def test_generate_never_loads_the_aws_sdk(args):
    loaded = modules(*args)
    assert {name.split(".")[0] for name in loaded} & {"boto3", "botocore"} == set()
    assert "troposphere" in loaded  # the probe did run generate.py


def test_the_default_stack_loads_no_web_service_parser_or_builder():
    assert modules() & WEB_SERVICE_MODULES == set()


def test_a_service_loads_the_web_service_parsers_and_builders():
    assert modules("--config", "examples/web-service.toml") >= WEB_SERVICE_MODULES
