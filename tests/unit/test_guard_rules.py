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


def test_every_resource_that_carries_traffic_or_data_is_stopped_when_removed_and_says_why():
    """Removing hosted_zone (domain and certificate kept) deletes the alias record: what carries traffic includes
    DNS records and certificates, beside load balancers, listeners, rules, target groups, repositories, log groups."""
    expected = {
        "AWS::Route53::RecordSet": "carries traffic (the DNS record users reach the service by)",
        "AWS::Route53::RecordSetGroup": "carries traffic (the DNS records users reach the service by)",
        "AWS::CertificateManager::Certificate": "carries traffic (the TLS certificate the listener serves)",
        "AWS::ElasticLoadBalancingV2::ListenerCertificate": "carries traffic (a TLS certificate the listener serves)",
        "AWS::ElasticLoadBalancingV2::LoadBalancer": "carries traffic",
        "AWS::ElasticLoadBalancingV2::Listener": "carries traffic",
        RULE: "carries traffic",
        "AWS::ElasticLoadBalancingV2::TargetGroup": "carries traffic",
        "AWS::ECR::Repository": "holds data",
        "AWS::Logs::LogGroup": "holds data",
    }
    rows = [ResourceChange("Remove", f"R{n}", kind) for n, kind in enumerate(expected)]
    found = {g.resource_type: (g.what, g.why) for g in guarded_changes(rows, {})}
    assert found == {kind: ("removed", why) for kind, why in expected.items()}
