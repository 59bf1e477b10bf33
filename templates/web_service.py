"""The service behind a load balancer: network, security groups, load balancing, the ECS service, and what the
config adds on top (a custom domain, a deployment strategy, rollback alarms, CPU autoscaling), with its outputs."""

from __future__ import annotations

from troposphere import GetAtt, Output, Sub, Template, ecs

from container_infra.config import StackConfig
from container_infra.naming import LOAD_BALANCER_DNS_NAME_OUTPUT, SERVICE_NAME_OUTPUT, SERVICE_URL_OUTPUT
from templates.alarms import add_load_balancer_5xx_alarm, add_rollback_alarms, roll_back_on
from templates.autoscaling import add_cpu_autoscaling
from templates.deployment import add_traffic_shifting, apply_strategy, attach_traffic_shifting, with_target_group
from templates.domain import add_domain_certificate, add_domain_records
from templates.load_balancer import LoadBalancing, add_load_balancing, listener_ports
from templates.network import add_network_parameters, add_security_groups
from templates.service import add_desired_count_parameter, add_service

HTTP_PORT = 80


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
    certificate = add_domain_certificate(template, family, config.load_balancer)
    balancing = add_load_balancing(
        template, family, config.load_balancer, service_config, network, groups, certificate=certificate
    )
    add_domain_records(template, family, config.load_balancer, balancing, groups)
    service = add_service(
        template,
        family,
        service_config,
        cluster=cluster,
        task=task,
        desired_count=desired_count,
        network=network,
        service_group=groups.service,
        balancing=balancing,
    )
    alarmed = [(family, balancing)]
    if service_config.deployment is not None:
        apply_strategy(service, service_config.deployment)
        if service_config.deployment.shifts_traffic:
            advanced, alternate = add_traffic_shifting(template, family, service_config.deployment, balancing, groups)
            attach_traffic_shifting(service, advanced)
            # Production runs in the alternate target group every other deploy.
            alarmed.append((f"{family}-alternate", with_target_group(balancing, alternate)))
    if service_config.rollback_alarms:
        alarms = [
            alarm
            for name, seen in alarmed
            for alarm in add_rollback_alarms(template, name, service_config.rollback_alarms, seen)
        ]
        alarms.append(add_load_balancer_5xx_alarm(template, family, service_config.rollback_alarms, balancing))
        roll_back_on(service, alarms)
    if service_config.autoscaling:
        add_cpu_autoscaling(template, family, service_config.autoscaling, cluster=cluster, service=service)
    add_service_outputs(
        template,
        service=service,
        balancing=balancing,
        domain=config.load_balancer.domain,
        http_port=config.load_balancer.port,
    )


def add_service_outputs(
    template: Template, *, service: ecs.Service, balancing: LoadBalancing, domain: str = "", http_port: int = HTTP_PORT
) -> None:
    """With a domain, the URL names it: the certificate covers the domain, not the load balancer's own DNS name.

    HTTPS answers on 443; plain HTTP on `http_port`, which the URL names unless it is HTTP's own 80.
    """
    scheme = "https" if balancing.https else "http"
    port = f":{http_port}" if scheme == "http" and http_port != HTTP_PORT else ""
    url = (
        f"{scheme}://{domain}{port}"
        if domain
        else Sub(f"{scheme}://${{{balancing.load_balancer.title}.DNSName}}{port}")
    )
    template.add_output(Output(SERVICE_URL_OUTPUT, Description="Where the app answers", Value=url))
    template.add_output(
        Output(
            LOAD_BALANCER_DNS_NAME_OUTPUT,
            Description="Point the domain's CNAME (or Route 53 alias) record here",
            Value=GetAtt(balancing.load_balancer, "DNSName"),
        )
    )
    template.add_output(Output(SERVICE_NAME_OUTPUT, Description="ECS service name", Value=GetAtt(service, "Name")))
