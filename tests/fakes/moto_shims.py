"""Where moto's CloudFormation differs from the real service, mend it for the tests (never in production code).

moto's server runs in the test process (ThreadedMotoServer), so these patches reach it. Each
one makes moto answer as CloudFormation does, as documented in the CloudFormation API reference:
- an unchanged UPDATE change set is created and ends FAILED ("didn't contain changes"); moto
  refuses CreateChangeSet with a ValidationError instead;
- an UPDATE change set lists only the resources that change; moto lists every resource as Modify;
- a stack reports its Outputs after a change set executes; moto keeps the (empty) outputs of the
  template the stack was created with; and an updated stack reports LastUpdatedTime, which moto never sets;
- a list parameter is reported as `a,b`; moto reports the Python list's text `['a', 'b']`;
- GetTemplate with a ChangeSetName returns the change set's template; moto returns the stack's;
- DescribeEvents (2025: a change set's pre-deployment validation) answers; moto has no such action (500). Here it
  finds nothing, which is what a template that passes validation gets;
- an unnamed AWS::ECR::Repository gets a lowercase name, the only case ECR allows; moto keeps the logical ID's case
  and then refuses its own name (getmoto/moto#6479).

- AWS::CertificateManager::Certificate is created (moto's CloudFormation skips the type, and a listener's
  Ref to it would be the logical ID): it is requested from moto's ACM and, as CloudFormation waits for a
  DNS-validated certificate in a Route 53 zone to be ISSUED before it goes on, reported ISSUED at once;
  a stack delete deletes it. The validation CNAME record that CloudFormation writes into the zone is not made.
- Fn::GetAtt of a load balancer's CanonicalHostedZoneID (what a Route 53 alias record targets) answers with the
  zone ID DescribeLoadBalancers reports; moto raises NotImplementedError and leaves the GetAtt unresolved.
- an AWS::ECS::TaskDefinition carries the stack-level tags aws:cloudformation:stack-id, stack-name and logical-id
  ("CloudFormation resource tagging" in the template reference); moto tags only EC2 resources so.

And where moto's CloudWatch Logs differs:
- FilterLogEvents with logStreamNamePrefix searches only the streams whose names start with it;
  moto ignores the prefix and searches every stream.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.cloudformation import models, parsing, responses
from moto.ecs.models import TaskDefinition, ecs_backends
from moto.logs import responses as logs_responses


def apply() -> None:
    """Patch moto once (idempotent)."""
    if getattr(models, "_container_infra_shims", False):
        return
    models._container_infra_shims = True  # type: ignore[attr-defined]
    responses.CloudFormationResponse._validate_different_update = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    _only_changed_resources_in_change_sets()
    _outputs_after_execution()
    _list_parameters_as_commas()
    _lowercase_generated_repository_names()
    _log_stream_name_prefix()
    _change_set_templates()
    _describe_events()
    _certificates()
    _load_balancer_zone_ids()
    _stack_tags_on_task_definitions()


def _only_changed_resources_in_change_sets() -> None:
    """An UPDATE lists what is added, removed, and modified (in the template or through a changed parameter)."""
    original = models.ChangeSet.diff

    def diff(self: Any) -> list[Any]:
        if self.change_set_type != "UPDATE":
            return original(self)
        old = self.stack.template_dict.get("Resources") or {}
        new = self.template_dict.get("Resources") or {}
        changed_parameters = {k for k, v in self.parameters.items() if self.stack.parameters.get(k) != v}
        changes = [models.Change("Add", lid, new[lid]["Type"]) for lid in new if lid not in old]
        changes += [models.Change("Remove", lid, old[lid]["Type"]) for lid in old if lid not in new]
        changes += [
            models.Change("Modify", lid, new[lid]["Type"])
            for lid in new
            if lid in old and (old[lid] != new[lid] or _references(new[lid], changed_parameters))
        ]
        return changes

    models.ChangeSet.diff = diff  # type: ignore[method-assign]


def _references(value: Any, names: set[str]) -> bool:
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in names:
            return True
        if "Fn::Sub" in value and any("${" + name + "}" in str(value["Fn::Sub"]) for name in names):
            return True
        return any(_references(item, names) for item in value.values())
    if isinstance(value, list):
        return any(_references(item, names) for item in value)
    return False


def _outputs_after_execution() -> None:
    original = models.CloudFormationBackend.execute_change_set

    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        original(self, change_set_name, stack_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.parameters = dict(change_set.parameters)
        stack.output_map = stack._create_output_map()
        if change_set.change_set_type == "UPDATE":
            stack.last_updated_time = datetime.now(UTC)

    models.CloudFormationBackend.execute_change_set = execute_change_set  # type: ignore[method-assign]


def _list_parameters_as_commas() -> None:
    def parameter_list(self: Any) -> list[dict[str, Any]]:
        hidden = self.resource_map.no_echo_parameter_keys
        return [
            {
                "ParameterKey": key,
                "ParameterValue": "****" if key in hidden else ",".join(value) if isinstance(value, list) else value,
            }
            for key, value in self.resource_map.resolved_parameters.items()
        ]

    models.Stack.parameter_list = property(parameter_list)  # type: ignore[assignment]


def _lowercase_generated_repository_names() -> None:
    from moto.cloudformation import parsing

    generate = parsing.generate_resource_name

    def generate_like_aws(resource_type: str, stack_name: str, logical_id: str) -> str:
        name = generate(resource_type, stack_name, logical_id)
        return name.lower() if resource_type == "AWS::ECR::Repository" else name

    parsing.generate_resource_name = generate_like_aws


def _log_stream_name_prefix() -> None:
    import json

    def filter_log_events(self: Any) -> str:
        group_name = self._get_param("logGroupName")
        names = self._get_param("logStreamNames", [])
        prefix = self._get_param("logStreamNamePrefix")
        if prefix and not names:
            names = [name for name in self.logs_backend.groups[group_name].streams if name.startswith(prefix)]
            if not names:
                return json.dumps({"events": [], "searchedLogStreams": []})
        events, next_token, searched = self.logs_backend.filter_log_events(
            group_name,
            names,
            self._get_param("startTime"),
            self._get_param("endTime"),
            self._get_param("limit"),
            self._get_param("nextToken"),
            self._get_param("filterPattern"),
            self._get_param("interleaved", False),
        )
        return json.dumps({"events": events, "nextToken": next_token, "searchedLogStreams": searched})

    logs_responses.LogsResponse.filter_log_events = filter_log_events  # type: ignore[method-assign]


def _change_set_templates() -> None:
    original = responses.CloudFormationResponse.get_template

    def get_template(self: Any) -> Any:
        name = self._get_param("ChangeSetName")
        if not name:
            return original(self)
        change_set = self.cloudformation_backend.describe_change_set(name)
        return responses.ActionResult({"TemplateBody": change_set.template})

    responses.CloudFormationResponse.get_template = get_template  # type: ignore[method-assign]


def _describe_events() -> None:
    def describe_events(self: Any) -> Any:
        return responses.ActionResult({"OperationEvents": []})

    responses.CloudFormationResponse.describe_events = describe_events  # type: ignore[attr-defined]


def _certificates() -> None:
    from moto.acm.models import acm_backends
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel

    class StackCertificate(CloudFormationModel):
        def __init__(self, arn: str, account_id: str, region: str) -> None:
            self.arn, self.account_id, self.region = arn, account_id, region

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CertificateManager::Certificate"

        @classmethod
        def create_from_cloudformation_json(
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
        ) -> StackCertificate:
            properties = cloudformation_json["Properties"]
            backend = acm_backends[account_id][region_name]
            arn = backend.request_certificate(
                properties["DomainName"],
                None,
                properties.get("SubjectAlternativeNames") or [],
                properties.get("Tags") or [],
            )
            backend.get_certificate(arn).status = "ISSUED"
            return cls(arn, account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            acm_backends[account_id][region_name].delete_certificate(self.arn)

    assert StackCertificate in CloudFormationModel.__subclasses__()
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()


def _load_balancer_zone_ids() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.get_cfn_attribute

    def get_cfn_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        return original(self, attribute_name)

    FakeLoadBalancer.get_cfn_attribute = get_cfn_attribute  # type: ignore[method-assign]


def _stack_tags_on_task_definitions() -> None:
    def tagged(original: Any) -> Any:
        def parse(logical_id: str, resource_json: Any, resources_map: Any, account_id: str, region_name: str) -> Any:
            resource = original(logical_id, resource_json, resources_map, account_id, region_name)
            if isinstance(resource, TaskDefinition):
                tags = {
                    "aws:cloudformation:stack-id": resources_map.stack_id,
                    "aws:cloudformation:stack-name": resources_map["AWS::StackName"],
                    "aws:cloudformation:logical-id": logical_id,
                }
                ecs_backends[account_id][region_name].tag_resource(resource.arn, tags)
            return resource

        return parse

    parsing.parse_and_create_resource = tagged(parsing.parse_and_create_resource)
    parsing.parse_and_update_resource = tagged(parsing.parse_and_update_resource)
