"""The internet-facing Application Load Balancer, its target group and listeners."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import AWSHelperFn, Ref, Template
from troposphere import elasticloadbalancingv2 as elb

from container_infra.config.load_balancer import HTTPS_PORT, LoadBalancerConfig
from container_infra.config.service import ServiceConfig
from container_infra.naming import pascal
from templates.access_logs import add_access_log_bucket
from templates.network import Network, SecurityGroups

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # TLS 1.2 and 1.3 only
DEREGISTRATION_DELAY_SECONDS = "30"


@dataclass(frozen=True, slots=True)
class LoadBalancing:
    """What the service and the outputs need from the load balancing resources."""

    load_balancer: elb.LoadBalancer
    target_group: elb.TargetGroup
    listeners: list[elb.Listener]
    https: bool


def listener_ports(config: LoadBalancerConfig) -> list[int]:
    return [config.port, HTTPS_PORT] if config.serves_https else [config.port]


def add_load_balancing(
    template: Template,
    family: str,
    config: LoadBalancerConfig,
    service: ServiceConfig,
    network: Network,
    groups: SecurityGroups,
    certificate: AWSHelperFn | None = None,
) -> LoadBalancing:
    """`certificate`: the stack's own (templates.domain), else config.certificate_arn; without either, plain HTTP."""
    base = pascal(family)
    attributes = [elb.LoadBalancerAttributes(Key="routing.http.drop_invalid_header_fields.enabled", Value="true")]
    balancer = elb.LoadBalancer(
        f"{base}LoadBalancer",
        Type="application",
        Scheme="internet-facing",
        Subnets=Ref(network.load_balancer_subnets),
        SecurityGroups=[Ref(groups.load_balancer)],
        LoadBalancerAttributes=attributes,
    )
    if config.access_logs:
        bucket, policy = add_access_log_bucket(template, family)
        attributes += [
            elb.LoadBalancerAttributes(Key="access_logs.s3.enabled", Value="true"),
            elb.LoadBalancerAttributes(Key="access_logs.s3.bucket", Value=Ref(bucket)),
        ]
        balancer.DependsOn = [policy.title]  # ELB checks it may write before it turns logging on
    template.add_resource(balancer)
    target_group = template.add_resource(
        elb.TargetGroup(
            f"{base}TargetGroup",
            TargetType="ip",
            Protocol="HTTP",
            Port=service.container_port,
            VpcId=Ref(network.vpc),
            HealthCheckPath=service.health_check_path,
            HealthCheckIntervalSeconds=15,
            HealthyThresholdCount=2,
            UnhealthyThresholdCount=3,
            Matcher=elb.Matcher(HttpCode="200-399"),
            TargetGroupAttributes=[
                elb.TargetGroupAttribute(Key="deregistration_delay.timeout_seconds", Value=DEREGISTRATION_DELAY_SECONDS)
            ],
        )
    )
    certificate_arn = certificate or config.certificate_arn
    if certificate_arn:
        listeners = _https_listeners(template, base, config, balancer, target_group, certificate_arn)
    else:
        listeners = [
            template.add_resource(
                elb.Listener(
                    f"{base}HttpListener",
                    LoadBalancerArn=Ref(balancer),
                    Port=config.port,
                    Protocol="HTTP",
                    DefaultActions=[elb.Action(Type="forward", TargetGroupArn=Ref(target_group))],
                )
            )
        ]
    return LoadBalancing(balancer, target_group, listeners, bool(certificate_arn))


def _https_listeners(
    template: Template,
    base: str,
    config: LoadBalancerConfig,
    balancer: elb.LoadBalancer,
    target_group: elb.TargetGroup,
    certificate_arn: str | AWSHelperFn,
) -> list[elb.Listener]:
    https = template.add_resource(
        elb.Listener(
            f"{base}HttpsListener",
            LoadBalancerArn=Ref(balancer),
            Port=HTTPS_PORT,
            Protocol="HTTPS",
            SslPolicy=TLS_POLICY,
            Certificates=[elb.Certificate(CertificateArn=certificate_arn)],
            DefaultActions=[elb.Action(Type="forward", TargetGroupArn=Ref(target_group))],
        )
    )
    redirect = template.add_resource(
        elb.Listener(
            f"{base}HttpListener",
            LoadBalancerArn=Ref(balancer),
            Port=config.port,
            Protocol="HTTP",
            DefaultActions=[
                elb.Action(
                    Type="redirect",
                    RedirectConfig=elb.RedirectConfig(Protocol="HTTPS", Port=str(HTTPS_PORT), StatusCode="HTTP_301"),
                )
            ],
        )
    )
    return [https, redirect]
