"""The stack's outputs after a deploy: as CloudFormation reports them, or worked out from the template.

Some CloudFormation implementations (moto among them) do not fill Outputs after a change set
runs; the declared outputs are then resolved from the stack's resources, saying so.
"""

from __future__ import annotations

from typing import Any, Callable

from container_infra.deploy.aws import Aws

Resolver = Callable[[Aws, str], str]


def _role_arn(aws: Aws, physical_id: str) -> str:
    return str(aws.client("iam").get_role(RoleName=physical_id)["Role"]["Arn"])


def _load_balancer_dns(aws: Aws, physical_id: str) -> str:
    balancers = aws.client("elbv2").describe_load_balancers(LoadBalancerArns=[physical_id])["LoadBalancers"]
    return str(balancers[0]["DNSName"])


def _repository_uri(aws: Aws, physical_id: str) -> str:
    repositories = aws.client("ecr").describe_repositories(repositoryNames=[physical_id])["repositories"]
    return str(repositories[0]["repositoryUri"])


def _last_arn_part(aws: Aws, physical_id: str) -> str:
    return physical_id.rsplit("/", 1)[-1]


ATTRIBUTE_RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("AWS::IAM::Role", "Arn"): _role_arn,
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "DNSName"): _load_balancer_dns,
    ("AWS::ECR::Repository", "RepositoryUri"): _repository_uri,
    ("AWS::ECS::Service", "Name"): _last_arn_part,
}


def stack_outputs(aws: Aws, stack: dict[str, Any], template: dict[str, Any], parameters: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """(outputs, worked_out): worked_out is True when they were resolved here, not reported by CloudFormation."""
    reported = {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs") or []}
    declared = template.get("Outputs") or {}
    if reported or not declared:
        return reported, False
    resolver = _TemplateResolver(aws, stack["StackId"], template, parameters)
    worked_out = {}
    for name, output in declared.items():
        value = resolver.value(output.get("Value"))
        if value is not None:
            worked_out[name] = value
    return worked_out, True


class _TemplateResolver:
    def __init__(self, aws: Aws, stack_id: str, template: dict[str, Any], parameters: dict[str, Any]) -> None:
        self.aws = aws
        self.types = {lid: r.get("Type", "") for lid, r in (template.get("Resources") or {}).items()}
        self.parameters = parameters
        pages = aws.cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id)
        self.physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for page in pages for r in page["StackResourceSummaries"]}
        self.pseudo = {"AWS::Region": aws.region, "AWS::StackName": stack_id.split("/")[1] if "/" in stack_id else stack_id, "AWS::StackId": stack_id, "AWS::URLSuffix": "amazonaws.com"}

    def value(self, expression: Any) -> str | None:
        if isinstance(expression, (str, int, float)):
            return str(expression)
        if not isinstance(expression, dict) or len(expression) != 1:
            return None
        (function, argument), = expression.items()
        if function == "Ref":
            return self._ref(argument)
        if function == "Fn::GetAtt":
            logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
            resolve = ATTRIBUTE_RESOLVERS.get((self.types.get(logical_id, ""), attribute))
            physical = self.physical.get(logical_id)
            return resolve(self.aws, physical) if resolve and physical else None
        if function == "Fn::Join":
            parts = [self.value(part) for part in argument[1]]
            return None if None in parts else str(argument[0]).join(parts)  # type: ignore[arg-type]
        if function == "Fn::Sub" and isinstance(argument, str):
            return self._sub(argument)
        return None

    def _ref(self, name: str) -> str | None:
        if name in self.parameters:
            value = self.parameters[name]
            return ",".join(value) if isinstance(value, list) else str(value)
        return self.pseudo.get(name) or self.physical.get(name)

    def _sub(self, text: str) -> str | None:
        import re

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            value = self.value({"Fn::GetAtt": name.split(".", 1)}) if "." in name and not name.startswith("AWS::") else self._ref(name)
            if value is None:
                raise LookupError(name)
            return value

        try:
            return re.sub(r"\$\{([^!}][^}]*)\}", replace, text)
        except LookupError:
            return None
