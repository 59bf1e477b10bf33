"""The ECS cluster: a logical grouping; Fargate manages the servers."""

from __future__ import annotations

from troposphere import Ref, Template, ecs, logs

from container_infra.config import ClusterConfig
from container_infra.naming import with_suffix


def add_cluster(
    template: Template, config: ClusterConfig, *, exec_log_group: logs.LogGroup | None = None
) -> ecs.Cluster:
    """`name` is the chapter's construct id: it names the logical ID, CloudFormation names the cluster."""
    cluster = ecs.Cluster(with_suffix(config.name, "Cluster"))
    if config.container_insights:
        cluster.ClusterSettings = [ecs.ClusterSetting(Name="containerInsights", Value="enabled")]
    if exec_log_group is not None:
        cluster.Configuration = ecs.ClusterConfiguration(ExecuteCommandConfiguration=exec_logging(exec_log_group))
    return template.add_resource(cluster)


def exec_logging(log_group: logs.LogGroup) -> ecs.ExecuteCommandConfiguration:
    """ECS Exec sessions log to the stack's own group, said explicitly rather than left to DEFAULT.

    CloudWatchEncryptionEnabled follows the group: when true, ECS Exec logs only to a group encrypted with a
    customer-managed KMS key (ECS developer guide, "Logging and Auditing using ECS Exec"), which this group has
    exactly when [logging] kms_key is on.
    """
    encrypted = "KmsKeyId" in log_group.properties
    return ecs.ExecuteCommandConfiguration(
        Logging="OVERRIDE",
        LogConfiguration=ecs.ExecuteCommandLogConfiguration(
            CloudWatchLogGroupName=Ref(log_group), CloudWatchEncryptionEnabled=encrypted
        ),
    )
