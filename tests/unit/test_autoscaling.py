"""With autoscaling the scaler owns the task count: nothing in the template may reset it on a deploy."""

from __future__ import annotations

from tests.render import of_type, one, template_for, web_config

SCALING = {"min": 2, "max": 6, "cpu_target_percent": 60}


def test_with_autoscaling_the_service_has_no_desired_count():
    template = template_for(web_config(service={"autoscaling": SCALING}))
    _, service = one(template, "AWS::ECS::Service")
    assert "DesiredCount" not in service
    assert "DesiredCount" not in template["Parameters"]
    interface = template["Metadata"]["AWS::CloudFormation::Interface"]
    assert "DesiredCount" not in [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    _, target = one(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"], target["ScalableDimension"]) == (
        2,
        6,
        "ecs:service:DesiredCount",
    )


def test_without_autoscaling_desired_count_is_a_parameter():
    template = template_for(web_config(service={"desired_count": 3}))
    _, service = one(template, "AWS::ECS::Service")
    assert service["DesiredCount"] == {"Ref": "DesiredCount"}
    assert template["Parameters"]["DesiredCount"]["Default"] == 3
    assert not of_type(template, "AWS::ApplicationAutoScaling::ScalableTarget")
