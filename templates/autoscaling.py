"""Target-tracking autoscaling of the service's task count on average CPU."""

from __future__ import annotations

from troposphere import GetAtt, Join, Ref, Template, ecs
from troposphere import applicationautoscaling as scaling

from container_infra.config.service import AutoscalingConfig
from container_infra.naming import pascal

COOLDOWN_SECONDS = 60
POLICY_NAME_MAX = 256  # PutScalingPolicy PolicyName


def policy_name(family: str, cpu_target_percent: int) -> str:
    """`<family>-cpu-target-<percent>`, the family cut to fit: a target-tracking policy cannot be renamed in place."""
    suffix = f"-cpu-target-{cpu_target_percent}"
    return family[: POLICY_NAME_MAX - len(suffix)] + suffix


def add_cpu_autoscaling(
    template: Template, family: str, config: AutoscalingConfig, *, cluster: ecs.Cluster, service: ecs.Service
) -> None:
    base = pascal(family)
    target = template.add_resource(
        scaling.ScalableTarget(
            f"{base}ScalableTarget",
            ServiceNamespace="ecs",
            ScalableDimension="ecs:service:DesiredCount",
            ResourceId=Join("/", ["service", Ref(cluster), GetAtt(service, "Name")]),
            MinCapacity=config.min,
            MaxCapacity=config.max,
        )
    )
    template.add_resource(
        scaling.ScalingPolicy(
            f"{base}CpuScaling",
            PolicyName=policy_name(family, config.cpu_target_percent),
            PolicyType="TargetTrackingScaling",
            ScalingTargetId=Ref(target),
            TargetTrackingScalingPolicyConfiguration=scaling.TargetTrackingScalingPolicyConfiguration(
                PredefinedMetricSpecification=scaling.PredefinedMetricSpecification(
                    PredefinedMetricType="ECSServiceAverageCPUUtilization"
                ),
                TargetValue=float(config.cpu_target_percent),
                ScaleInCooldown=COOLDOWN_SECONDS,
                ScaleOutCooldown=COOLDOWN_SECONDS,
            ),
        )
    )
