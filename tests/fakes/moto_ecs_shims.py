"""Where moto's deployments of a service differ from AWS's, mend them for the tests (never in production code).

- CloudFormation updates a resource that references a replaced resource to point to the replacement ("Update
  behaviors of stack resources", Replacement): a service whose task definition (replaced on every change) is new is
  updated; moto updates only resources whose own template text or parameters changed, so the service kept the old
  revision.
- UpdateService with a new task definition, or with forceNewDeployment, starts a new deployment, which becomes
  PRIMARY while the one it replaces becomes ACTIVE (ECS API Reference, UpdateService and Deployment: status); moto
  keeps its one deployment of the old revision, so a rollout watcher never sees the new revision's deployment.
- A service's LoadBalancers follow its template on create and update (moto's CloudFormation keeps none).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing

from tests.fakes.moto_shims import _existing, _replace


def apply() -> None:
    """Called by moto_shims.apply(), once."""
    _services_follow_their_replaced_task_definitions()
    _update_service_starts_a_deployment()
    _service_load_balancers()


def _services_follow_their_replaced_task_definitions() -> None:
    """CloudFormation User Guide, "Update behaviors of stack resources", Replacement: CloudFormation creates the
    replacement, then "changes references from other dependent resources to point to the replacement resource". Every
    property of AWS::ECS::TaskDefinition requires replacement, so a service that references a changed one is updated
    (after it: the service is added to the end of the updates)."""
    original = _existing(parsing.ResourceMap, "build_resource_diff")

    def build_resource_diff(self: Any, other_template: dict[str, Any], parameters: Any = None) -> dict[str, Any]:
        by_action = original(self, other_template, parameters)
        resources = other_template.get("Resources") or {}
        replaced = {name for name in by_action["Modify"] if resources[name].get("Type") == "AWS::ECS::TaskDefinition"}
        by_action["Modify"] += [
            name
            for name, resource in resources.items()
            if resource.get("Type") == "AWS::ECS::Service"
            and name not in by_action["Modify"]
            and name not in by_action["Add"]
            and _references_resource((resource.get("Properties") or {}).get("TaskDefinition"), replaced)
        ]
        return by_action

    _replace(parsing.ResourceMap, "build_resource_diff", build_resource_diff)


def _references_resource(value: Any, names: set[str]) -> bool:
    return isinstance(value, dict) and (value.get("Ref") in names or value.get("Fn::GetAtt", [None])[0] in names)


def _update_service_starts_a_deployment() -> None:
    """Amazon ECS API Reference, UpdateService: "If you update the task definition or force a new deployment, Amazon
    ECS starts a new deployment"; Deployment, status: the newest deployment is PRIMARY, one whose tasks are being
    replaced is ACTIVE, one that has been replaced completely (INACTIVE) is no longer listed. The new deployment's
    counts and rollout state follow moto's own rule for a created service (its tasks come up at once, as many as
    MOTO_ECS_SERVICE_RUNNING says)."""
    from moto.core.utils import utcnow
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.moto_api._internal import mock_random

    original = _existing(EC2ContainerServiceBackend, "update_service")

    def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
        forced = bool(service_properties.pop("force_new_deployment", False))  # moto's own only renames its one
        service = original(self, service_properties)
        primary = next((d for d in service.deployments if d.get("status") == "PRIMARY"), None)
        if primary is None or not service.task_definition:
            return service  # moto's non-ECS deployment controllers keep no deployments
        revision = self.describe_task_definition(service.task_definition).arn  # a family or family:revision too
        if revision == primary.get("taskDefinition") and not forced:
            return service
        now = utcnow()  # as moto dates its deployments
        deployment_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
        completed = service.running_count >= service.desired_count
        new = dict(primary)
        new.update(
            id=deployment_id,
            status="PRIMARY",
            taskDefinition=revision,
            desiredCount=service.desired_count,
            runningCount=service.running_count,
            pendingCount=service.pending_count,
            rolloutState="COMPLETED" if completed else "IN_PROGRESS",
            rolloutStateReason=f"ECS deployment {deployment_id} {'completed' if completed else 'in progress'}.",
            createdAt=now,
            updatedAt=now,
        )
        replaced = dict(primary, status="ACTIVE", updatedAt=now)
        service.deployments = [new, replaced]
        return service

    _replace(EC2ContainerServiceBackend, "update_service", update_service)


def _service_load_balancers() -> None:
    """AWS::ECS::Service, LoadBalancers (CloudFormation template reference): not create-only, so an update changes
    the same service's load balancers, and an empty list removes them; moto's CloudFormation keeps none."""
    from moto.ecs.models import Service

    def with_load_balancers(original: Any, json_at: int) -> Any:
        def build(cls: Any, *args: Any, **kwargs: Any) -> Any:
            service = original.__func__(cls, *args, **kwargs)
            template = kwargs["cloudformation_json"] if "cloudformation_json" in kwargs else args[json_at]
            balancers = (template.get("Properties") or {}).get("LoadBalancers")
            if balancers is not None:
                service.load_balancers = [_api_load_balancer(balancer) for balancer in balancers]
            return service

        return classmethod(build)

    # create_...(resource_name, cloudformation_json, ...); update_...(original, new_name, cloudformation_json, ...)
    for name, json_at in (("create_from_cloudformation_json", 1), ("update_from_cloudformation_json", 2)):
        _replace(Service, name, with_load_balancers(_existing(Service, name), json_at))


def _api_load_balancer(balancer: dict[str, Any]) -> dict[str, Any]:
    """A template's LoadBalancer as DescribeServices reports it."""
    names = {"ContainerName": "containerName", "ContainerPort": "containerPort", "TargetGroupArn": "targetGroupArn"}
    return {api: balancer[key] for key, api in names.items() if key in balancer}
