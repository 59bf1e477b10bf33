"""The ECS service: keeps the tasks running (behind the load balancer, or without one), and rolls back a failed
deployment."""

from __future__ import annotations

from troposphere import Parameter, Ref, Template, ec2, ecs

from container_infra.config.service import ServiceConfig
from container_infra.naming import DESIRED_COUNT, pascal
from templates.capacity import place_service
from templates.load_balancer import LoadBalancing
from templates.network import Network

SERVICE_GROUP = "Service"


def add_desired_count_parameter(template: Template, config: ServiceConfig) -> Parameter | None:
    """None with autoscaling: a DesiredCount in the template would undo the scaler's count on every deploy
    (aws/containers-roadmap#493); without it ECS starts a new service at 1 and the scalable target moves it
    within min..max, and an update keeps the current count."""
    if config.desired_count is None:
        return None
    parameter = template.add_parameter(
        Parameter(
            DESIRED_COUNT,
            Type="Number",
            Default=config.desired_count,
            MinValue=0,
            MaxValue=5000,
            Description="How many copies of the task the service keeps running (0 stops it).",
        )
    )
    template.set_parameter_label(parameter, "Desired task count")
    template.add_parameter_to_group(parameter, SERVICE_GROUP)
    return parameter


def add_service(
    template: Template,
    family: str,
    config: ServiceConfig,
    *,
    cluster: ecs.Cluster,
    task: ecs.TaskDefinition,
    desired_count: Parameter | None,
    network: Network,
    service_group: ec2.SecurityGroup,
    balancing: LoadBalancing | None,
) -> ecs.Service:
    """Without `balancing`, `LoadBalancers` is an empty list, not left out: AWS::ECS::Service's reference says "to
    remove this property from your service resource, specify an empty LoadBalancer array", and a config switched
    off its load balancer must take it off the service. The property updates in place (not create-only)."""
    service = template.add_resource(
        ecs.Service(
            f"{pascal(family)}Service",
            Cluster=Ref(cluster),
            TaskDefinition=Ref(task),
            LaunchType="FARGATE",
            DeploymentConfiguration=ecs.DeploymentConfiguration(
                DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
                MinimumHealthyPercent=100,  # never below the desired count during a rollout
                MaximumPercent=200,
            ),
            HealthCheckGracePeriodSeconds=config.health_check_grace_seconds,
            EnableECSManagedTags=True,
            PropagateTags="SERVICE",
            EnableExecuteCommand=config.enable_execute_command,
            NetworkConfiguration=ecs.NetworkConfiguration(
                AwsvpcConfiguration=ecs.AwsvpcConfiguration(
                    AssignPublicIp="ENABLED" if config.assign_public_ip else "DISABLED",
                    SecurityGroups=[Ref(service_group)],
                    Subnets=Ref(network.task_subnets),
                )
            ),
            LoadBalancers=_load_balancers(config, balancing),
        )
    )
    if balancing is not None:
        # The target group must belong to a load balancer (through a listener) before the service attaches.
        service.DependsOn = [listener.title for listener in balancing.listeners]
    if desired_count is not None:
        service.DesiredCount = Ref(desired_count)
    if config.capacity is not None:
        place_service(service, config.capacity)
    return service


def _load_balancers(config: ServiceConfig, balancing: LoadBalancing | None) -> list[ecs.LoadBalancer]:
    if balancing is None:
        return []
    return [
        ecs.LoadBalancer(
            ContainerName=config.container,
            ContainerPort=config.container_port,
            TargetGroupArn=Ref(balancing.target_group),
        )
    ]
