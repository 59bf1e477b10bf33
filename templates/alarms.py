"""Deployment alarms: CloudWatch alarms on the target group that make ECS roll a deployment back when they fire.

The service's DeploymentConfiguration.Alarms names them with Enable and Rollback true (ECS developer guide,
"How CloudWatch alarms detect Amazon ECS deployment failures"): while a deployment is in progress, an alarm in ALARM
fails it and ECS returns to the last completed deployment. The alarms have no actions of their own and no fixed
names (CloudFormation names them; Ref gives the name ECS wants).
"""

from __future__ import annotations

from troposphere import GetAtt, Ref, Template, cloudwatch, ecs

from container_infra.config.alarms import RollbackAlarmsConfig
from container_infra.naming import pascal
from templates.load_balancer import LoadBalancing

NAMESPACE = "AWS/ApplicationELB"
PERIOD_SECONDS = 60


def add_rollback_alarms(
    template: Template, family: str, config: RollbackAlarmsConfig, balancing: LoadBalancing
) -> list[cloudwatch.Alarm]:
    base = pascal(family)
    alarms = [
        _alarm(
            f"{base}Target5xxAlarm",
            "5xx responses from the tasks",
            balancing,
            config.minutes,
            MetricName="HTTPCode_Target_5XX_Count",
            Statistic="Sum",
            Threshold=config.target_5xx_count,
        ),
        _alarm(
            f"{base}UnhealthyHostsAlarm",
            "targets failing the load balancer's health check",
            balancing,
            config.minutes,
            MetricName="UnHealthyHostCount",
            Statistic="Maximum",
            Threshold=config.unhealthy_hosts,
        ),
    ]
    if config.latency_p95_ms is not None:
        alarms.append(
            _alarm(
                f"{base}LatencyP95Alarm",
                f"p95 response time above {config.latency_p95_ms} ms",
                balancing,
                config.minutes,
                MetricName="TargetResponseTime",
                ExtendedStatistic="p95",
                Threshold=config.latency_p95_ms / 1000,
            )
        )
    return [template.add_resource(alarm) for alarm in alarms]


def add_load_balancer_5xx_alarm(
    template: Template, family: str, config: RollbackAlarmsConfig, balancing: LoadBalancing
) -> cloudwatch.Alarm:
    """The 502/503/504 the load balancer answers itself when targets crash, refuse or time out: the targets' own 5xx
    count never sees them. HTTPCode_ELB_5XX_Count has the LoadBalancer dimension only (Application Load Balancer
    guide, "CloudWatch metrics for your Application Load Balancer"), so one alarm covers both target groups."""
    alarm = _alarm(
        f"{pascal(family)}LoadBalancer5xxAlarm",
        "5xx responses made by the load balancer (no healthy target to answer)",
        balancing,
        config.minutes,
        per_target_group=False,
        MetricName="HTTPCode_ELB_5XX_Count",
        Statistic="Sum",
        Threshold=config.elb_5xx_count,
    )
    return template.add_resource(alarm)


def _alarm(
    title: str, what: str, balancing: LoadBalancing, minutes: int, *, per_target_group: bool = True, **metric: object
) -> cloudwatch.Alarm:
    load_balancer = cloudwatch.MetricDimension(
        Name="LoadBalancer", Value=GetAtt(balancing.load_balancer, "LoadBalancerFullName")
    )
    target_group = cloudwatch.MetricDimension(
        Name="TargetGroup", Value=GetAtt(balancing.target_group, "TargetGroupFullName")
    )
    return cloudwatch.Alarm(
        title,
        AlarmDescription=f"Rolls an ECS deployment back: {what} for {minutes} minute(s) in a row.",
        Namespace=NAMESPACE,
        Dimensions=[target_group, load_balancer] if per_target_group else [load_balancer],
        Period=PERIOD_SECONDS,
        EvaluationPeriods=minutes,
        DatapointsToAlarm=minutes,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",  # no requests, no 5xx datapoints: not a reason to roll back
        **metric,
    )


def roll_back_on(service: ecs.Service, alarms: list[cloudwatch.Alarm]) -> None:
    service.DeploymentConfiguration.Alarms = ecs.DeploymentAlarms(
        AlarmNames=[Ref(a) for a in alarms], Enable=True, Rollback=True
    )
