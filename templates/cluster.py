"""The ECS cluster: a logical grouping; Fargate manages the servers."""

from __future__ import annotations

from troposphere import Template, ecs

from container_infra.config import ClusterConfig
from container_infra.naming import with_suffix


def add_cluster(template: Template, config: ClusterConfig) -> ecs.Cluster:
    """`name` is the chapter's construct id: it names the logical ID, CloudFormation names the cluster."""
    cluster = ecs.Cluster(with_suffix(config.name, "Cluster"))
    if config.container_insights:
        cluster.ClusterSettings = [ecs.ClusterSetting(Name="containerInsights", Value="enabled")]
    return template.add_resource(cluster)
