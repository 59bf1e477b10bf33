"""Stack outputs: what a person needs after the deploy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from troposphere import GetAtt, Output, Ref, Sub, Template

if TYPE_CHECKING:  # optional concerns: imported only for the stacks that have them (templates/__init__.py)
    from troposphere import ecr, ecs, iam, logs

    from templates.load_balancer import LoadBalancing


HTTP_PORT = 80


def add_outputs(template: Template, *, cluster: ecs.Cluster, task: ecs.TaskDefinition, task_role: iam.Role) -> None:
    template.add_output(Output("ClusterName", Description="ECS cluster name", Value=Ref(cluster)))
    template.add_output(Output("TaskDefinitionArn", Description="Task definition ARN (with revision)", Value=Ref(task)))
    template.add_output(
        Output("TaskRoleArn", Description="IAM role the containers run as", Value=GetAtt(task_role, "Arn"))
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
    template.add_output(Output("ServiceUrl", Description="Where the app answers", Value=url))
    template.add_output(
        Output(
            "LoadBalancerDnsName",
            Description="Point the domain's CNAME (or Route 53 alias) record here",
            Value=GetAtt(balancing.load_balancer, "DNSName"),
        )
    )
    template.add_output(Output("ServiceName", Description="ECS service name", Value=GetAtt(service, "Name")))


def add_log_output(template: Template, log_group: logs.LogGroup) -> None:
    template.add_output(
        Output("LogGroupName", Description="CloudWatch Logs group of the containers", Value=Ref(log_group))
    )


def add_repository_output(template: Template, repository: ecr.Repository) -> None:
    template.add_output(
        Output("RepositoryUri", Description="Push the app's images here", Value=GetAtt(repository, "RepositoryUri"))
    )
