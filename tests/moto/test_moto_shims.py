"""The shims over moto's internals fail loudly when moto no longer has what they patch."""

from __future__ import annotations

import moto
import pytest
from moto.acm.models import CertBundle
from moto.cloudformation import models, responses
from moto.ecs.models import EC2ContainerServiceBackend

from tests.fakes import moto_certificate_shims, moto_ecs_shims, moto_replacement_shims, moto_shims


class Owner:
    def present(self) -> str:
        return "moto's"


def test_a_missing_method_is_an_error_naming_moto_and_the_method():
    with pytest.raises(moto_shims.MotoChanged) as error:
        moto_shims._replace(Owner, "renamed", lambda self: "ours")
    assert f"moto {moto.__version__}" in str(error.value) and "Owner has no 'renamed'" in str(error.value)
    assert not hasattr(Owner, "renamed")


def test_a_present_method_is_replaced():
    moto_shims._replace(Owner, "present", lambda self: "ours")
    assert Owner().present() == "ours"


def test_a_method_moto_gained_is_not_overwritten():
    with pytest.raises(moto_shims.MotoChanged, match="now has 'present'"):
        moto_shims._add(Owner, "present", lambda self: "ours")


def test_every_shim_applies_to_the_pinned_moto(moto_url):
    """moto_url applied them; what they replaced is ours now."""
    assert responses.CloudFormationResponse.get_template.__module__ == moto_shims.__name__
    assert responses.CloudFormationResponse.describe_events.__module__ == moto_shims.__name__
    assert EC2ContainerServiceBackend.update_service.__module__ == moto_ecs_shims.__name__
    assert CertBundle.check.__module__ == moto_certificate_shims.__name__
    assert models.ChangeSet.diff.__module__ == moto_replacement_shims.__name__


def _service_on_revision_one(aws):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="c")
    first = ecs.register_task_definition(
        family="app", containerDefinitions=[{"name": "app", "image": "a:1", "memory": 512}]
    )
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="app", desiredCount=2)
    return ecs, first["taskDefinition"]["taskDefinitionArn"]


def _deployments(ecs) -> list[tuple[str, str, str]]:
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    return [(d["status"], d["rolloutState"], d["taskDefinition"].rsplit("/", 1)[-1]) for d in service["deployments"]]


def test_update_service_with_a_new_revision_starts_a_primary_deployment_of_it(aws, monkeypatch):
    """ECS API Reference, UpdateService: a new task definition starts a new deployment; the old one becomes ACTIVE."""
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    ecs, _ = _service_on_revision_one(aws)
    ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "a:2", "memory": 512}])
    ecs.update_service(cluster="c", service="s", taskDefinition="app:2")
    assert _deployments(ecs) == [("PRIMARY", "COMPLETED", "app:2"), ("ACTIVE", "COMPLETED", "app:1")]
    ecs.update_service(cluster="c", service="s", desiredCount=3)  # neither a new revision nor forced: no deployment
    assert [status for status, _, _ in _deployments(ecs)] == ["PRIMARY", "ACTIVE"]


def test_a_forced_deployment_of_the_same_revision_is_a_new_primary_deployment(aws, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    ecs, _ = _service_on_revision_one(aws)
    before = ecs.describe_services(cluster="c", services=["s"])["services"][0]["deployments"][0]["id"]
    ecs.update_service(cluster="c", service="s", forceNewDeployment=True)
    deployments = ecs.describe_services(cluster="c", services=["s"])["services"][0]["deployments"]
    assert [(d["status"], d["id"] == before) for d in deployments] == [("PRIMARY", False), ("ACTIVE", True)]


def _group(**properties) -> dict:
    return {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": properties}


def test_a_create_only_property_changed_in_the_template_replaces():
    """AWS::ElasticLoadBalancingV2::TargetGroup, Port: "Update requires: Replacement"; HealthCheckPath: no."""
    details = moto_replacement_shims.replacing_details(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "eu-west-1",
        _group(Port=8000, HealthCheckPath="/"),
        _group(Port=8080, HealthCheckPath="/health"),
        set(),
    )
    assert details == [
        {
            "Target": {"Attribute": "Properties", "Name": "Port", "RequiresRecreation": "Always"},
            "Evaluation": "Static",
            "ChangeSource": "DirectModification",
        }
    ]


def test_a_create_only_property_changed_through_a_parameter_names_the_parameter():
    group = _group(Port={"Ref": "ContainerPort"}, Name={"Fn::Sub": "${AWS::StackName}-web"})
    details = moto_replacement_shims.replacing_details(
        "AWS::ElasticLoadBalancingV2::TargetGroup", "eu-west-1", group, group, {"ContainerPort"}
    )
    assert [(d["Target"]["Name"], d["ChangeSource"], d.get("CausingEntity")) for d in details] == [
        ("Port", "ParameterReference", "ContainerPort")
    ]


def test_an_update_in_place_and_an_unknown_type_replace_nothing():
    assert (
        moto_replacement_shims.replacing_details(
            "AWS::ElasticLoadBalancingV2::TargetGroup", "eu-west-1", _group(HealthCheckPath="/"), _group(), set()
        )
        == []
    )
    assert moto_replacement_shims.create_only_properties("eu-west-1", "AWS::Nothing::Here") == ()
    assert "ClusterName" in moto_replacement_shims.create_only_properties("eu-west-1", "AWS::ECS::Cluster")
