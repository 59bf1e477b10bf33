"""Fargate and Fargate Spot as the cluster's capacity providers, the service's strategy, and the task's CPU
architecture.

The providers and default strategy are the Cluster's own properties (CapacityProviders,
DefaultCapacityProviderStrategy) rather than an AWS::ECS::ClusterCapacityProviderAssociations: one resource, and the
service, which refers to the cluster, is created only once the providers are on it. A service with a
CapacityProviderStrategy has no LaunchType (ECS refuses both).
"""

from __future__ import annotations

from troposphere import ecs

from container_infra.config import TaskConfig
from container_infra.config.capacity import CapacityConfig

FARGATE, FARGATE_SPOT = "FARGATE", "FARGATE_SPOT"


def strategy(config: CapacityConfig) -> list[ecs.CapacityProviderStrategyItem]:
    """FARGATE carries `base`; a provider with neither weight nor base is left out."""
    items = []
    if config.fargate > 0 or config.base > 0:
        items.append(
            ecs.CapacityProviderStrategyItem(CapacityProvider=FARGATE, Weight=config.fargate, Base=config.base)
        )
    if config.fargate_spot > 0:
        items.append(ecs.CapacityProviderStrategyItem(CapacityProvider=FARGATE_SPOT, Weight=config.fargate_spot))
    return items


def use_capacity_providers(cluster: ecs.Cluster, config: CapacityConfig) -> None:
    cluster.CapacityProviders = [FARGATE, FARGATE_SPOT]
    cluster.DefaultCapacityProviderStrategy = strategy(config)


def place_service(service: ecs.Service, config: CapacityConfig) -> None:
    """A changed strategy alone does not move running tasks (ECS API reference, UpdateService: updating the capacity
    provider strategy "doesn't trigger a new service deployment"): a nonce made from the strategy changes with it, and
    a changed ForceNewDeploymentNonce makes ECS start a deployment that places the tasks anew (as aws-cdk#36797 does).
    An unchanged strategy keeps the nonce, so other deploys are not forced."""
    del service.properties["LaunchType"]
    service.CapacityProviderStrategy = strategy(config)
    service.ForceNewDeployment = ecs.ForceNewDeployment(
        EnableForceNewDeployment=True, ForceNewDeploymentNonce=strategy_nonce(config)
    )


def strategy_nonce(config: CapacityConfig) -> str:
    """The strategy as a short readable string, e.g. "FARGATE=1,base=1;FARGATE_SPOT=3"."""
    return f"{FARGATE}={config.fargate},base={config.base};{FARGATE_SPOT}={config.fargate_spot}"


def apply_runtime_platform(task: ecs.TaskDefinition, config: TaskConfig) -> None:
    if config.cpu_architecture:
        task.RuntimePlatform = ecs.RuntimePlatform(
            CpuArchitecture=config.cpu_architecture, OperatingSystemFamily="LINUX"
        )
