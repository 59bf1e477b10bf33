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

- AWS::CertificateManager::Certificate is created through moto's ACM, ISSUED only when CloudFormation would get it
  validated (DNS, in a public Route 53 zone that holds its domain) and otherwise left PENDING_VALIDATION with its
  stack waiting: moto_certificate_shims.py.
- Fn::GetAtt of a load balancer's CanonicalHostedZoneID (what a Route 53 alias record targets) answers with the
  zone ID DescribeLoadBalancers reports; moto raises NotImplementedError and leaves the GetAtt unresolved.
- an AWS::ECS::Service has the LoadBalancers of its template, on create and on update, an empty list taking them
  off (AWS::ECS::Service, LoadBalancers: updates in place; "To remove this property from your service resource,
  specify an empty LoadBalancer array"); moto's CloudFormation never sets them ("TODO: LoadBalancers");
- an AWS::ECS::TaskDefinition carries the stack-level tags aws:cloudformation:stack-id, stack-name and logical-id
  ("CloudFormation resource tagging" in the template reference); moto tags only EC2 resources so.

Which updates replace a resource (a change set's Replacement and Details): moto_replacement_shims.py.

Where a service's deployments differ (CloudFormation's update of a service, ECS's UpdateService): moto_ecs_shims.py.

And where moto's CloudWatch Logs differs:
- FilterLogEvents with logStreamNamePrefix searches only the streams whose names start with it;
  moto ignores the prefix and searches every stream.

The shims reach into moto's internals, so moto is pinned to one release (pyproject.toml), and each shim checks that
what it replaces is there (`_replace`): after a moto upgrade a renamed method fails the run with one clear error
instead of a patch that silently does nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import moto
from moto.cloudformation import models, parsing, responses
from moto.ecs.models import TaskDefinition, ecs_backends
from moto.logs import responses as logs_responses


class MotoChanged(RuntimeError):
    """moto no longer has what a shim patches: update the shim (or drop it) together with the moto pin."""


def _existing(owner: Any, name: str) -> Any:
    """owner.name, which a shim replaces or wraps; a clear error naming moto's version if this moto lacks it."""
    if not hasattr(owner, name):
        where = getattr(owner, "__qualname__", getattr(owner, "__name__", repr(owner)))
        module = getattr(owner, "__module__", None)
        raise MotoChanged(
            f"moto {moto.__version__}: {module + '.' if module else ''}{where} has no {name!r}, "
            "which tests/fakes/moto_shims.py patches: adapt the shim to this moto, or pin the moto it was written for"
        )
    return getattr(owner, name)


def _replace(owner: Any, name: str, new: Any) -> None:
    _existing(owner, name)
    setattr(owner, name, new)


def _add(owner: Any, name: str, new: Any) -> None:
    """A method moto lacks; if a moto release adds it, its own should be used (and the shim dropped)."""
    if hasattr(owner, name):
        raise MotoChanged(
            f"moto {moto.__version__}: {owner.__qualname__} now has {name!r}: drop its shim (tests/fakes/moto_shims.py)"
        )
    setattr(owner, name, new)


def apply() -> None:
    """Patch moto once (idempotent)."""
    if getattr(models, "_container_infra_shims", False):
        return
    models._container_infra_shims = True  # type: ignore[attr-defined]
    _unchanged_updates_are_failed_change_sets()
    _only_changed_resources_in_change_sets()
    _outputs_after_execution()
    _list_parameters_as_commas()
    _lowercase_generated_repository_names()
    _log_stream_name_prefix()
    _change_set_templates()
    _describe_events()
    _load_balancer_zone_ids()
    _stack_tags_on_task_definitions()
    from tests.fakes import (  # they build on _existing, _replace
        moto_certificate_shims,
        moto_ecs_shims,
        moto_replacement_shims,
    )

    moto_certificate_shims.apply()
    moto_replacement_shims.apply()
    moto_ecs_shims.apply()


def _unchanged_updates_are_failed_change_sets() -> None:
    """CloudFormation API Reference, CreateChangeSet and DescribeChangeSet: a change set without changes is created and
    ends FAILED ("The submitted information didn't contain changes"); moto refuses to create it."""
    _replace(responses.CloudFormationResponse, "_validate_different_update", lambda self, *args, **kwargs: None)


def _only_changed_resources_in_change_sets() -> None:
    """An UPDATE lists what is added, removed, and modified (in the template or through a changed parameter).

    CloudFormation API Reference, DescribeChangeSet (Changes, ResourceChange)."""
    original = _existing(models.ChangeSet, "diff")

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

    _replace(models.ChangeSet, "diff", diff)


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
    """CloudFormation API Reference, DescribeStacks (Stack: Outputs, LastUpdatedTime) after ExecuteChangeSet."""
    original = _existing(models.CloudFormationBackend, "execute_change_set")

    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        original(self, change_set_name, stack_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.parameters = dict(change_set.parameters)
        stack.output_map = stack._create_output_map()
        if change_set.change_set_type == "UPDATE":
            stack.last_updated_time = datetime.now(UTC)

    _replace(models.CloudFormationBackend, "execute_change_set", execute_change_set)


def _list_parameters_as_commas() -> None:
    """CloudFormation User Guide, Parameters (List and CommaDelimitedList types), as DescribeStacks reports them."""

    def parameter_list(self: Any) -> list[dict[str, Any]]:
        hidden = self.resource_map.no_echo_parameter_keys
        return [
            {
                "ParameterKey": key,
                "ParameterValue": "****" if key in hidden else ",".join(value) if isinstance(value, list) else value,
            }
            for key, value in self.resource_map.resolved_parameters.items()
        ]

    _replace(models.Stack, "parameter_list", property(parameter_list))


def _lowercase_generated_repository_names() -> None:
    """CloudFormation User Guide, AWS::ECR::Repository, RepositoryName: a generated name is lowercase."""
    generate = _existing(parsing, "generate_resource_name")

    def generate_like_aws(resource_type: str, stack_name: str, logical_id: str) -> str:
        name = generate(resource_type, stack_name, logical_id)
        return name.lower() if resource_type == "AWS::ECR::Repository" else name

    _replace(parsing, "generate_resource_name", generate_like_aws)


def _log_stream_name_prefix() -> None:
    """CloudWatch Logs API Reference, FilterLogEvents: logStreamNamePrefix."""
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

    _replace(logs_responses.LogsResponse, "filter_log_events", filter_log_events)


def _change_set_templates() -> None:
    """CloudFormation API Reference, GetTemplate: ChangeSetName."""
    original = _existing(responses.CloudFormationResponse, "get_template")
    action_result = _existing(responses, "ActionResult")

    def get_template(self: Any) -> Any:
        name = self._get_param("ChangeSetName")
        if not name:
            return original(self)
        change_set = self.cloudformation_backend.describe_change_set(name)
        return action_result({"TemplateBody": change_set.template})

    _replace(responses.CloudFormationResponse, "get_template", get_template)


def _describe_events() -> None:
    """CloudFormation API Reference, DescribeEvents (a change set's pre-deployment validation)."""
    action_result = _existing(responses, "ActionResult")

    def describe_events(self: Any) -> Any:
        return action_result({"OperationEvents": []})

    _add(responses.CloudFormationResponse, "describe_events", describe_events)


def _load_balancer_zone_ids() -> None:
    """CloudFormation User Guide, AWS::ElasticLoadBalancingV2::LoadBalancer, Fn::GetAtt CanonicalHostedZoneID."""
    from moto.elbv2.models import FakeLoadBalancer

    original = _existing(FakeLoadBalancer, "get_cfn_attribute")

    def get_cfn_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        return original(self, attribute_name)

    _replace(FakeLoadBalancer, "get_cfn_attribute", get_cfn_attribute)


def _stack_tags_on_task_definitions() -> None:
    """CloudFormation user guide, "Resource tags": CloudFormation tags what it creates with aws:cloudformation:stack-id,
    stack-name and logical-id; moto's CloudFormation puts no tags on a task definition."""

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

    _replace(parsing, "parse_and_create_resource", tagged(_existing(parsing, "parse_and_create_resource")))
    _replace(parsing, "parse_and_update_resource", tagged(_existing(parsing, "parse_and_update_resource")))
