"""The service behind a load balancer: network, security groups, load balancing, the ECS service, and what the
config adds on top (rollback alarms, CPU autoscaling), with its outputs.

Imported by `templates._build` only for a config with a [service] section: this concern is what needs the
troposphere elasticloadbalancingv2 module (and the EC2 types of templates/ec2.py); rollback alarms (cloudwatch) and autoscaling
(applicationautoscaling) are imported below only when the service has them (templates/__init__.py), and so is
templates.deployment (a [service.deployment] table) and templates.domain (certificatemanager, route53: a domain with its zone).
"""

from __future__ import annotations

from types import ModuleType

from troposphere import Template, ecs

from container_infra.config import LoadBalancerConfig, StackConfig
from templates.load_balancer import add_load_balancing, listener_ports
from templates.network import add_network_parameters, add_security_groups
from templates.outputs import add_service_outputs
from templates.service import add_desired_count_parameter, add_service


def add_web_service(template: Template, config: StackConfig, cluster: ecs.Cluster, task: ecs.TaskDefinition) -> None:
    assert config.service is not None and config.load_balancer is not None
    family, service_config = config.task.family, config.service
    network = add_network_parameters(template)
    desired_count = add_desired_count_parameter(template, service_config)
    groups = add_security_groups(
        template,
        family,
        network,
        listener_ports=listener_ports(config.load_balancer),
        container_port=service_config.container_port,
    )
    custom_domain = _custom_domain(config.load_balancer)
    certificate = (
        custom_domain.add_domain_certificate(template, family, config.load_balancer) if custom_domain else None
    )
    balancing = add_load_balancing(
        template, family, config.load_balancer, service_config, network, groups, certificate=certificate
    )
    if custom_domain:
        custom_domain.add_domain_records(template, family, config.load_balancer, balancing, groups)
    service = add_service(
        template,
        family,
        service_config,
        cluster=cluster,
        task=task,
        desired_count=desired_count,
        network=network,
        groups=groups,
        balancing=balancing,
    )
    alarmed = [(family, balancing)]
    if service_config.deployment is not None:
        from templates.deployment import (
            add_traffic_shifting,
            apply_strategy,
            attach_traffic_shifting,
            with_target_group,
        )

        apply_strategy(service, service_config.deployment)
        if service_config.deployment.shifts_traffic:
            advanced, alternate = add_traffic_shifting(template, family, service_config.deployment, balancing, groups)
            attach_traffic_shifting(service, advanced)
            alarmed.append(
                (f"{family}-alternate", with_target_group(balancing, alternate))
            )  # production runs there every other deploy
    if service_config.rollback_alarms:
        from templates.alarms import add_rollback_alarms, roll_back_on

        alarms = [
            alarm
            for name, seen in alarmed
            for alarm in add_rollback_alarms(template, name, service_config.rollback_alarms, seen)
        ]
        roll_back_on(service, alarms)
    if service_config.autoscaling:
        from templates.autoscaling import add_cpu_autoscaling

        add_cpu_autoscaling(template, family, service_config.autoscaling, cluster=cluster, service=service)
    add_service_outputs(
        template,
        service=service,
        balancing=balancing,
        domain=config.load_balancer.domain,
        http_port=config.load_balancer.port,
    )


def _custom_domain(config: LoadBalancerConfig) -> ModuleType | None:
    """templates.domain (troposphere's certificatemanager and route53) for a domain with its zone, or a dualstack balancer."""
    if not config.has_zone and config.ip_address_type == "ipv4":
        return None
    from templates import domain

    return domain
