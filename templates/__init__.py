"""The one template builder, and the one renderer, that generate.py and deploy.py share.

Each module adds one AWS concern to a troposphere Template; `build_template` reads like
the architecture: role, cluster, task definition, and what the config asks for on top
(logs, a private registry, and a service behind a load balancer or without one).
"""

from __future__ import annotations

import json
from typing import Any

from troposphere import Template, ecr, ecs, logs

from container_infra.cfn.limits import check_template_limits
from container_infra.config import StackConfig
from container_infra.errors import ConfigError
from templates.capacity import apply_runtime_platform, use_capacity_providers
from templates.cluster import add_cluster
from templates.iam import add_execution_role, add_task_role, pull_statements
from templates.logs import add_log_group, awslogs_configuration
from templates.outputs import add_log_output, add_outputs, add_repository_output
from templates.parameters import add_image_parameter, add_task_size_parameters
from templates.registry import add_repository
from templates.secrets import has_secrets, secret_statements
from templates.task import add_task_definition

FORMATS = ("json", "yaml")
# A template's Description: CloudFormation takes 1024 characters, and cfn-lint remarks past 90% of that (I1003).
DESCRIPTION_MAX = 900


def render(config: StackConfig, fmt: str = "json") -> str:
    """The config's template as text: what generate.py prints and deploy.py sends; refused if CloudFormation would
    refuse it."""
    template = build_template(config)
    data = template.to_dict()  # once: troposphere's to_json() would build it again for the text
    text = json_text(data) if fmt == "json" else render_template(template, fmt)
    check_template_limits(data, text, "the config")
    return text


def render_template(template: Template, fmt: str = "json") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown template format {fmt!r}")
    return template.to_yaml() if fmt == "yaml" else json_text(template.to_dict())


def json_text(data: dict[str, Any]) -> str:
    """What troposphere's Template.to_json(indent=2) gives, from the dict already built, and a final newline."""
    return json.dumps(data, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"


def build_template(config: StackConfig) -> Template:
    """The stack's template; two config names that give one logical ID are a ConfigError, not a crash."""
    try:
        return _build(config)
    except ValueError as error:
        if "duplicate key" not in str(error):
            raise
        logical_id = str(error).split('"')[1] if '"' in str(error) else str(error)
        raise ConfigError(
            f"two resources would both get the logical ID {logical_id}: the names in cluster.name, "
            "task.family and repository.name collide; rename one of them"
        ) from None


def _build(config: StackConfig) -> Template:
    template = Template(Description=describe(config))
    template.set_version("2010-09-09")
    family = config.task.family
    cpu, memory = add_task_size_parameters(template, config)
    images = {c.name: add_image_parameter(template, c.name, c.image) for c in config.task.containers}
    log_group = _add_log_group(template, config)
    exec_log_group = log_group if config.service is not None and config.service.enable_execute_command else None
    task_role = add_task_role(template, family, exec_log_group=exec_log_group)
    repository = _add_repository(template, config)
    pulls = pull_statements(config.promoted_repositories, own_login=repository is not None)
    needs_execution_role = log_group is not None or repository is not None or has_secrets(config.task) or bool(pulls)
    execution_role = (
        add_execution_role(
            template, family, log_group=log_group, repository=repository, extra=secret_statements(config.task) + pulls
        )
        if needs_execution_role
        else None
    )
    cluster = add_cluster(template, config.cluster, exec_log_group=exec_log_group)
    task = add_task_definition(
        template,
        config.task,
        task_role=task_role,
        cpu=cpu,
        memory=memory,
        images=images,
        execution_role=execution_role,
        log_configuration=_log_configuration(log_group, family),
    )
    apply_runtime_platform(task, config.task)
    if config.service is not None and config.service.capacity is not None:
        use_capacity_providers(cluster, config.service.capacity)
    add_outputs(template, cluster=cluster, task=task, task_role=task_role)
    if config.service and config.service.load_balancer:
        _add_web_service(template, config, cluster, task)
    elif config.service:
        _add_backend_service(template, config, cluster, task)
    if log_group:
        add_log_output(template, log_group)
    if repository:
        add_repository_output(template, repository)
    return template


def _add_log_group(template: Template, config: StackConfig) -> logs.LogGroup | None:
    if config.logging is None:
        return None
    return add_log_group(template, config.task.family, config.logging)


def _log_configuration(log_group: logs.LogGroup | None, family: str) -> ecs.LogConfiguration | None:
    return awslogs_configuration(log_group, family) if log_group is not None else None


def _add_repository(template: Template, config: StackConfig) -> ecr.Repository | None:
    return add_repository(template, config.repository) if config.repository is not None else None


def _add_web_service(template: Template, config: StackConfig, cluster: ecs.Cluster, task: ecs.TaskDefinition) -> None:
    # Imported here, for a config with a [service] only: the web service's troposphere modules (ec2 above all) would
    # make a run without one markedly slower, and start-up is most of a generate.py run.
    from templates.web_service import add_web_service

    add_web_service(template, config, cluster, task)


def _add_backend_service(
    template: Template, config: StackConfig, cluster: ecs.Cluster, task: ecs.TaskDefinition
) -> None:
    # Imported here, like the web service's, for a config with a [service] only.
    from templates.backend_service import add_backend_service

    add_backend_service(template, config, cluster, task)


def describe(config: StackConfig) -> str:
    """Names the containers, or counts them when their names would pass the limit."""
    names = ", ".join(c.name for c in config.task.containers)
    what = (
        "ECS Fargate cluster and task definition"
        if not config.service
        else "load-balanced ECS Fargate service"
        if config.service.load_balancer
        else "ECS Fargate service without a load balancer"
    )
    text = (
        f"{config.stack_name}: {what} '{config.task.family}' ({names}). "
        "Generated by container-infra; no CDK bootstrap needed."
    )
    return (
        text
        if len(text) <= DESCRIPTION_MAX
        else text.replace(f"({names})", f"({len(config.task.containers)} containers)")
    )
