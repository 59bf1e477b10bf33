"""Stack outputs: what a person needs after the deploy."""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Template, ecs, iam


def add_outputs(template: Template, *, cluster: ecs.Cluster, task: ecs.TaskDefinition, task_role: iam.Role) -> None:
    template.add_output(Output("ClusterName", Description="ECS cluster name", Value=Ref(cluster)))
    template.add_output(Output("TaskDefinitionArn", Description="Task definition ARN (with revision)", Value=Ref(task)))
    template.add_output(Output("TaskRoleArn", Description="IAM role the containers run as", Value=GetAtt(task_role, "Arn")))
