"""generate.py loads only what the config asks for (issue 14).

A behaviour test, not a timing test: generate.py runs in a fresh interpreter, and the test reads which
modules it loaded (sys.modules at the end), next to what `import troposphere, awacs` loads on its own.
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
FLOOR = "import sys, troposphere, awacs; print('\\n'.join(sorted(sys.modules)))"
NOT_SERVICES = (
    "troposphere.validators",
    "troposphere.type_defs",
    "troposphere.compat",
    "troposphere.utils",
    "troposphere.constants",
)


def modules(*code_and_args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", *code_and_args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


@pytest.fixture(scope="module")
def floor() -> set[str]:
    return modules(FLOOR)


def service_modules(loaded: set[str], floor: set[str]) -> set[str]:
    """troposphere and awacs service modules (troposphere.ec2, awacs.ecr, ...) beyond what importing the two loads."""
    return {
        name
        for name in loaded - floor
        if name.startswith(("troposphere.", "awacs.")) and not name.startswith(NOT_SERVICES)
    }


def test_the_default_stack_loads_only_the_service_modules_of_its_three_resources(floor):
    loaded = modules(PROBE)
    assert service_modules(loaded, floor) == {"troposphere.ecs", "troposphere.iam"}


def test_the_default_stack_loads_no_toml_parser_no_argparse_and_no_optional_config_section(floor):
    loaded = modules(PROBE)
    unneeded = {
        "tomllib",
        "argparse",
        "pathlib",
        "tempfile",
        "hashlib",
        "container_infra.cli",
        "container_infra.config.sections",
        "container_infra.config.secrets",
        "container_infra.config.capacity",
        "container_infra.config.alarms",
        "container_infra.config.readiness",
        "templates.web_service",
        "templates.logs",
        "templates.registry",
    }
    assert loaded & unneeded == set()


def test_the_web_service_loads_what_its_resources_need(floor):
    """The check sees service modules when a config needs them (and the web service still gets them)."""
    loaded = modules(PROBE, "--config", "examples/web-service.toml")
    assert {"container_infra.config.sections", "templates.web_service"} <= loaded
    assert (
        loaded & {"container_infra.config.capacity", "container_infra.config.alarms", "container_infra.config.secrets"}
        == set()
    )
    web = service_modules(loaded, floor)
    assert {
        "troposphere.elasticloadbalancingv2",
        "troposphere.logs",
        "troposphere.kms",
        "troposphere.ecr",
        "troposphere.ecs",
        "troposphere.iam",
    } <= web
    assert "troposphere.ec2" not in web  # its three types come from templates/ec2.py (~12 ms less)
    # web-service.toml has no [service.autoscaling], no [service.rollback] and no secrets
    assert web & {"troposphere.applicationautoscaling", "troposphere.cloudwatch"} == set()
    # IAM actions are built by name (templates/iam.py `actions`): no awacs action module, whatever the roles grant
    assert {name for name in web if name.startswith("awacs.")} == set()


def test_a_config_with_autoscaling_loads_its_module(tmp_path, floor):
    config = tmp_path / "scaled.toml"
    config.write_text(
        (ROOT / "examples" / "web-service.toml").read_text().replace("desired_count = 2\n", "")
        + "\n[service.autoscaling]\nmin = 1\nmax = 3\n"
    )
    loaded = modules(PROBE, "--config", str(config))
    assert "troposphere.applicationautoscaling" in service_modules(loaded, floor)
    assert "tomllib" in loaded


def test_deployment_strategies_load_only_with_their_table():
    """[service.deployment] (config.deployment, templates.deployment, awacs.elasticloadbalancing) only when the file has it."""
    strategy_modules = {"container_infra.config.deployment", "templates.deployment", "awacs.elasticloadbalancing"}
    assert modules(PROBE, "--config", "examples/web-service.toml") & strategy_modules == set()
    assert strategy_modules <= modules(PROBE, "--config", "examples/web-service-blue-green.toml")


def test_generate_loads_the_domain_modules_only_for_a_domain_with_its_zone():
    with_zone = modules(PROBE, "--config", "examples/web-service-domain.toml")
    assert {"templates.domain", "troposphere.certificatemanager", "troposphere.route53"} <= with_zone
    without = modules(PROBE, "--config", "examples/web-service-https.toml")
    assert without & {"templates.domain", "troposphere.certificatemanager", "troposphere.route53"} == set()
