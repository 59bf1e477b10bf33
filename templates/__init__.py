"""The one template builder, and the one renderer, that generate.py and deploy.py share.

Each module adds one AWS concern to a troposphere Template; `build_template` reads like
the architecture: role, cluster, task definition, and what the config asks for on top
(logs, a private registry, and a service behind a load balancer).
"""

from __future__ import annotations

from troposphere import Template, ecs

from container_infra.cfn.limits import check_template_limits
from container_infra.config import StackConfig
from container_infra.errors import ConfigError
from templates.alarms import add_rollback_alarms, roll_back_on
from templates.autoscaling import add_cpu_autoscaling
from templates.capacity import apply_runtime_platform, use_capacity_providers
from templates.cluster import add_cluster
from templates.iam import add_execution_role, add_task_role
from templates.load_balancer import add_load_balancing, listener_ports
from templates.logs import add_log_group, awslogs_configuration
from templates.network import add_network_parameters, add_security_groups
from templates.outputs import add_log_output, add_outputs, add_repository_output, add_service_outputs
from templates.parameters import add_image_parameter, add_task_size_parameters
from templates.registry import add_repository
from templates.secrets import has_secrets, secret_statements
from templates.service import add_desired_count_parameter, add_service
from templates.task import add_task_definition


FORMATS = ("json", "yaml")
MAX_DESCRIPTION_BYTES = 900  # a template's Description: CloudFormation allows 1024, cfn-lint warns past 90%


def render(config: StackConfig, fmt: str = "json") -> str:
    """The config's template as text: what generate.py prints and deploy.py sends; refused if CloudFormation would refuse it."""
    template = build_template(config)
    text = render_template(template, fmt)
    check_template_limits(template.to_dict(), text, "the config")
    return text


def render_template(template: Template, fmt: str = "json") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown template format {fmt!r}")
    return template.to_yaml() if fmt == "yaml" else template.to_json(indent=2) + "\n"


def build_template(config: StackConfig) -> Template:
    """The stack's template; two config names that give one logical ID are a ConfigError, not a crash."""
    try:
        return _build(config)
    except ValueError as error:
        if "duplicate key" not in str(error):
            raise
        logical_id = str(error).split('"')[1] if '"' in str(error) else str(error)
        raise ConfigError(f"two resources would both get the logical ID {logical_id}: the names in cluster.name, "
                          "task.family and repository.name collide; rename one of them") from None


def _build(config: StackConfig) -> Template:
    template = Template(Description=describe(config))
    template.set_version("2010-09-09")
    family = config.task.family
    cpu, memory = add_task_size_parameters(template, config)
    images = {c.name: add_image_parameter(template, c.name, c.image) for c in config.task.containers}
    log_group = add_log_group(template, family, config.logging) if config.logging else None
    exec_log_group = log_group if config.service is not None and config.service.enable_execute_command else None
    task_role = add_task_role(template, family, exec_log_group=exec_log_group)
    repository = add_repository(template, config.repository) if config.repository else None
    needs_execution_role = log_group is not None or repository is not None or has_secrets(config.task)
    execution_role = add_execution_role(template, family, log_group=log_group, repository=repository,
                                        extra=secret_statements(config.task)) if needs_execution_role else None
    cluster = add_cluster(template, config.cluster, exec_log_group=exec_log_group)
    task = add_task_definition(
        template, config.task, task_role=task_role, cpu=cpu, memory=memory, images=images, execution_role=execution_role,
        log_configuration=awslogs_configuration(log_group, family) if log_group else None,
    )
    apply_runtime_platform(task, config.task)
    if config.service is not None and config.service.capacity is not None:
        use_capacity_providers(cluster, config.service.capacity)
    add_outputs(template, cluster=cluster, task=task, task_role=task_role)
    if config.service:
        _add_web_service(template, config, cluster, task)
    if log_group:
        add_log_output(template, log_group)
    if repository:
        add_repository_output(template, repository)
    return template


def _add_web_service(template: Template, config: StackConfig, cluster: ecs.Cluster, task: ecs.TaskDefinition) -> None:
    assert config.service is not None and config.load_balancer is not None
    family, service_config = config.task.family, config.service
    network = add_network_parameters(template)
    desired_count = add_desired_count_parameter(template, service_config)
    groups = add_security_groups(template, family, network, listener_ports=listener_ports(config.load_balancer),
                                 container_port=service_config.container_port)
    balancing = add_load_balancing(template, family, config.load_balancer, service_config, network, groups)
    service = add_service(template, family, service_config, cluster=cluster, task=task, desired_count=desired_count,
                          network=network, groups=groups, balancing=balancing)
    if service_config.rollback_alarms:
        roll_back_on(service, add_rollback_alarms(template, family, service_config.rollback_alarms, balancing))
    if service_config.autoscaling:
        add_cpu_autoscaling(template, family, service_config.autoscaling, cluster=cluster, service=service)
    add_service_outputs(template, service=service, balancing=balancing, domain=config.load_balancer.domain)


DESCRIPTION_MAX = 1024  # a template's Description


def describe(config: StackConfig) -> str:
    """Names the containers, or counts them when their names would pass the limit."""
    names = ", ".join(c.name for c in config.task.containers)
    what = "load-balanced ECS Fargate service" if config.service else "ECS Fargate cluster and task definition"
    text = f"{config.stack_name}: {what} '{config.task.family}' ({names}). Generated by container-infra; no CDK bootstrap needed."
    return text if len(text) <= DESCRIPTION_MAX else text.replace(f"({names})", f"({len(config.task.containers)} containers)")
