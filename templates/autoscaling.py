"""Target-tracking autoscaling of the service's task count on average CPU."""

from __future__ import annotations

from troposphere import GetAtt, Join, Ref, Template
from troposphere import applicationautoscaling as scaling
from troposphere import ecs

from container_infra.config import AutoscalingConfig
from container_infra.naming import clip, pascal

MAX_POLICY_NAME = 256

COOLDOWN_SECONDS = 60


def add_cpu_autoscaling(template: Template, family: str, config: AutoscalingConfig, *, cluster: ecs.Cluster, service: ecs.Service) -> None:
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
            PolicyName=clip(f"{family}-cpu-target-{config.cpu_target_percent}", MAX_POLICY_NAME),
            PolicyType="TargetTrackingScaling",
            ScalingTargetId=Ref(target),
            TargetTrackingScalingPolicyConfiguration=scaling.TargetTrackingScalingPolicyConfiguration(
                PredefinedMetricSpecification=scaling.PredefinedMetricSpecification(PredefinedMetricType="ECSServiceAverageCPUUtilization"),
                TargetValue=float(config.cpu_target_percent),
                ScaleInCooldown=COOLDOWN_SECONDS,
                ScaleOutCooldown=COOLDOWN_SECONDS,
            ),
        )
    )
