"""The replacement guard's facts (container_infra/diff/guard.py), on the diff rows it is given."""

from container_infra.diff.guard import guarded_changes
from container_infra.diff.model import ResourceChange

RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"


def test_a_replaced_production_listener_rule_is_stopped():
    """Under blue/green ECS moves the rule's weights to the live target group; a new rule would send all traffic to
    the primary group, which may have no tasks (a certificate added later moves the rule to the HTTPS listener)."""
    rows = [ResourceChange("Modify", "WebappProductionListenerRule", RULE, replacement="replace")]
    [guarded] = guarded_changes(rows, {"WebappProductionListenerRule": {"Type": RULE}})
    assert (guarded.logical_id, guarded.what, guarded.why) == (
        "WebappProductionListenerRule",
        "replaced",
        "carries traffic",
    )


def test_a_rule_modified_in_place_or_added_is_not_stopped():
    rows = [
        ResourceChange("Modify", "WebappProductionListenerRule", RULE),
        ResourceChange("Add", "WebappTestListenerRule", RULE),
    ]
    assert guarded_changes(rows, {}) == []
