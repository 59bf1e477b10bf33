"""The service without a load balancer (a backend, a worker): network, the tasks' security group, the ECS service,
and what the config adds on top (a rolling deployment's settings, CPU autoscaling), with its output."""

from __future__ import annotations

from troposphere import GetAtt, Output, Template, ecs

from container_infra.config import StackConfig
from container_infra.naming import SERVICE_NAME_OUTPUT, TASK_SECURITY_GROUP_OUTPUT
from templates.autoscaling import add_cpu_autoscaling
from templates.deployment import apply_strategy
from templates.network import add_backend_security_group, add_network_parameters
from templates.service import add_desired_count_parameter, add_service


def add_backend_service(
    template: Template, config: StackConfig, cluster: ecs.Cluster, task: ecs.TaskDefinition
) -> None:
    assert config.service is not None and not config.service.load_balancer
    family, service_config = config.task.family, config.service
    network = add_network_parameters(template, load_balancer=False)
    desired_count = add_desired_count_parameter(template, service_config)
    group = add_backend_security_group(
        template,
        family,
        network,
        container_port=service_config.container_port,
        ingress_from=service_config.ingress_from,
    )
    service = add_service(
        template,
        family,
        service_config,
        cluster=cluster,
        task=task,
        desired_count=desired_count,
        network=network,
        service_group=group,
        balancing=None,
    )
    if not any(c.runtime.health_check for c in config.task.containers):
        # ECS's grace covers load balancer and container health checks; with neither it is unused (the ECS API
        # reference, healthCheckGracePeriodSeconds), so the template does not carry a value that does nothing.
        del service.properties["HealthCheckGracePeriodSeconds"]
    if service_config.deployment is not None:
        apply_strategy(service, service_config.deployment)
    if service_config.autoscaling:
        add_cpu_autoscaling(template, family, service_config.autoscaling, cluster=cluster, service=service)
    template.add_output(Output(SERVICE_NAME_OUTPUT, Description="ECS service name", Value=GetAtt(service, "Name")))
    template.add_output(
        Output(
            TASK_SECURITY_GROUP_OUTPUT,
            Description="The tasks' security group: list it in another service's ingress_from to let it call this one",
            Value=GetAtt(group, "GroupId"),
        )
    )
