"""ECS's native blue/green, canary and linear deployments: what the service needs beside its load balancer.

The new revision starts in a second (alternate) target group; ECS moves production traffic to it by changing the
weights of a listener RULE (not a listener's default action), and test traffic through a rule on an optional test
listener. ECS makes those changes as an IAM role it assumes (ECS developer guide, "Application Load Balancer
resources for blue/green, linear, and canary deployments" and "Amazon ECS infrastructure IAM role for load
balancers"). The template sets the rules' weights once (all traffic to the primary group); afterwards they are ECS's
to change: CloudFormation leaves a resource alone while its template does not change.
"""

from __future__ import annotations

from dataclasses import replace

from awacs import elasticloadbalancing as elb_actions
from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import GetAtt, Ref, Template, ec2, ecs, iam
from troposphere import elasticloadbalancingv2 as elb

from container_infra.config.deployment import DeploymentConfig
from container_infra.naming import pascal
from templates.load_balancer import LoadBalancing
from templates.network import SecurityGroups

ECS_SERVICE = "ecs.amazonaws.com"
RULE_PRIORITY = 1  # the only rule on each listener; the default action stays the fallback
ALL_PATHS = ["/*"]
CFN_LINT_FLOAT_CHECK = "E3002"  # resource properties against the schema (here: multipleOf 0.1)


def alternate_target_group(template: Template, family: str, balancing: LoadBalancing) -> elb.TargetGroup:
    """The green revision's target group: the primary's twin (same port, health check, deregistration delay)."""
    primary = balancing.target_group
    return template.add_resource(elb.TargetGroup(f"{pascal(family)}AlternateTargetGroup", **dict(primary.properties)))


def production_listener(balancing: LoadBalancing) -> elb.Listener:
    """The listener that forwards to the service (HTTPS when there is a certificate; the HTTP one only redirects
    then)."""
    return next(listener for listener in balancing.listeners if listener.DefaultActions[0].Type == "forward")


def add_traffic_shifting(
    template: Template, family: str, config: DeploymentConfig, balancing: LoadBalancing, groups: SecurityGroups
) -> tuple[ecs.AdvancedConfiguration, elb.TargetGroup]:
    """The alternate target group, the production (and test) listener rules and the role ECS shifts traffic with.

    Returns the service's LoadBalancers[0].AdvancedConfiguration and the alternate target group (the rollback alarms
    watch it too: after a deployment production traffic runs there).
    """
    base = pascal(family)
    alternate = alternate_target_group(template, family, balancing)
    production = production_listener(balancing)
    production_rule = template.add_resource(
        _forward_rule(f"{base}ProductionListenerRule", production, balancing.target_group, alternate)
    )
    listeners, rules = [production], [production_rule]
    if config.test_listener_port is not None:
        test_listener = _test_listener(template, base, config, production, balancing)
        _allow_test_traffic(template, base, config, groups)
        listeners.append(test_listener)
        rules.append(
            template.add_resource(
                _forward_rule(f"{base}TestListenerRule", test_listener, balancing.target_group, alternate)
            )
        )
    role = template.add_resource(_infrastructure_role(base, [balancing.target_group, alternate], listeners, rules))
    advanced = ecs.AdvancedConfiguration(
        AlternateTargetGroupArn=Ref(alternate), ProductionListenerRule=Ref(production_rule), RoleArn=GetAtt(role, "Arn")
    )
    if len(rules) > 1:
        advanced.TestListenerRule = Ref(rules[1])
    return advanced, alternate


def _forward_rule(
    title: str, listener: elb.Listener, primary: elb.TargetGroup, alternate: elb.TargetGroup
) -> elb.ListenerRule:
    """Every path to the primary group (weight 100) and none to the alternate: ECS moves the weights during a
    deployment."""
    return elb.ListenerRule(
        title,
        ListenerArn=Ref(listener),
        Priority=RULE_PRIORITY,
        Conditions=[elb.Condition(Field="path-pattern", PathPatternConfig=elb.PathPatternConfig(Values=ALL_PATHS))],
        Actions=[
            elb.ListenerRuleAction(
                Type="forward",
                ForwardConfig=elb.ForwardConfig(
                    TargetGroups=[
                        elb.TargetGroupTuple(TargetGroupArn=Ref(primary), Weight=100),
                        elb.TargetGroupTuple(TargetGroupArn=Ref(alternate), Weight=0),
                    ]
                ),
            )
        ],
    )


def _test_listener(
    template: Template, base: str, config: DeploymentConfig, production: elb.Listener, balancing: LoadBalancing
) -> elb.Listener:
    """Same protocol (and certificate, TLS policy) as production, on the test port; its rule does the routing."""
    listener = elb.Listener(
        f"{base}TestListener",
        LoadBalancerArn=Ref(balancing.load_balancer),
        Port=config.test_listener_port,
        Protocol=production.Protocol,
        DefaultActions=[elb.Action(Type="forward", TargetGroupArn=Ref(balancing.target_group))],
    )
    for key in ("SslPolicy", "Certificates"):
        if key in production.properties:
            listener.properties[key] = production.properties[key]
    return template.add_resource(listener)


def _allow_test_traffic(template: Template, base: str, config: DeploymentConfig, groups: SecurityGroups) -> None:
    """The test port from the CIDR blocks the config names, and nowhere else (a separate resource: network.py's
    group stays as it is)."""
    assert config.test_listener_port is not None
    for index, cidr in enumerate(config.test_listener_cidrs, start=1):
        template.add_resource(
            ec2.SecurityGroupIngress(
                f"{base}TestListenerIngress{index}",
                GroupId=GetAtt(groups.load_balancer, "GroupId"),
                IpProtocol="tcp",
                FromPort=config.test_listener_port,
                ToPort=config.test_listener_port,
                CidrIp=cidr,
                Description=f"Test listener (deployment test traffic) from {cidr}",
            )
        )


def _infrastructure_role(
    base: str, target_groups: list[elb.TargetGroup], listeners: list[elb.Listener], rules: list[elb.ListenerRule]
) -> iam.Role:
    """The role ECS assumes to move traffic: AmazonECSInfrastructureRolePolicyForLoadBalancers' actions, on this
    stack's two target groups, listeners and rules only (the managed policy allows them on every one in the account).
    The Describe actions have no resource-level permissions in Elastic Load Balancing: "*" as in the managed policy."""
    statements = [
        Statement(
            Sid="ReadTheLoadBalancer",
            Effect=Allow,
            Resource=["*"],
            Action=[
                elb_actions.DescribeListeners,
                elb_actions.DescribeRules,
                elb_actions.DescribeTargetGroups,
                elb_actions.DescribeTargetHealth,
            ],
        ),
        Statement(
            Sid="RegisterTasksInTheTwoTargetGroups",
            Effect=Allow,
            Resource=[Ref(group) for group in target_groups],
            Action=[elb_actions.RegisterTargets, elb_actions.DeregisterTargets],
        ),
        Statement(
            Sid="ShiftTrafficOnTheListeners",
            Effect=Allow,
            Resource=[Ref(listener) for listener in listeners],
            Action=[elb_actions.ModifyListener],
        ),
        Statement(
            Sid="ShiftTrafficOnTheRules",
            Effect=Allow,
            Resource=[Ref(rule) for rule in rules],
            Action=[elb_actions.ModifyRule],
        ),
    ]
    trust = PolicyDocument(
        Version="2012-10-17",
        Statement=[Statement(Effect=Allow, Action=[AssumeRole], Principal=Principal("Service", ECS_SERVICE))],
    )
    return iam.Role(
        f"{base}EcsInfrastructureRole",
        AssumeRolePolicyDocument=trust,
        Policies=[
            iam.Policy(
                PolicyName="shift-traffic", PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements)
            )
        ],
    )


def apply_strategy(service: ecs.Service, config: DeploymentConfig) -> None:
    """Strategy, bake time and the canary or linear steps on the service's DeploymentConfiguration.

    The circuit breaker stays for blue/green only: "Amazon ECS deployment failure detection" says it supports rolling
    and blue/green deployments, and the canary and linear pages list CloudWatch alarms (which stay, when set) for
    automatic rollback, never the circuit breaker. The two references disagree on blue/green: the API reference's
    DeploymentCircuitBreaker says it "can only be used for services using the rolling update (ECS) deployment type",
    which may name the ECS deployment controller (blue/green runs on it too) or the ROLLING strategy alone. The
    developer guide, which names blue/green, is followed; the alarms of [service.rollback] are the rollback the guide
    names for every strategy (docs/web-service.md, "Failure detection")."""
    deployment = service.DeploymentConfiguration
    deployment.Strategy = config.strategy
    if config.strategy in ("CANARY", "LINEAR"):
        del deployment.properties["DeploymentCircuitBreaker"]
    if config.bake_minutes is not None:
        deployment.BakeTimeInMinutes = config.bake_minutes
    if config.strategy == "CANARY":
        deployment.CanaryConfiguration = ecs.CanaryConfiguration(
            CanaryPercent=_number(config.canary_percent), CanaryBakeTimeInMinutes=config.canary_bake_minutes
        )
    if config.strategy == "LINEAR":
        deployment.LinearConfiguration = ecs.LinearConfiguration(
            StepPercent=_number(config.step_percent), StepBakeTimeInMinutes=config.step_bake_minutes
        )
    if config.shifts_traffic:
        service.DeploymentController = ecs.DeploymentController(Type="ECS")
    if _misjudged_by_cfn_lint(config):
        service.Metadata = {"cfn-lint": {"config": {"ignore_checks": [CFN_LINT_FLOAT_CHECK]}}}


def _misjudged_by_cfn_lint(config: DeploymentConfig) -> bool:
    """cfn-lint 1.58 checks the schema's `multipleOf: 0.1` in binary floating point, so 348 of the 1000 valid
    percentages (0.3, 33.3, ...) fail it: 0.3 / 0.1 == 2.9999999999999996. For those only, the service (this resource
    alone) skips that check; whole and half percentages never need it."""
    percent = {"CANARY": config.canary_percent, "LINEAR": config.step_percent}.get(config.strategy)
    return percent is not None and int(percent / 0.1) != percent / 0.1


def attach_traffic_shifting(service: ecs.Service, advanced: ecs.AdvancedConfiguration) -> None:
    """The rules' Refs in it also make CloudFormation create them before the service."""
    service.LoadBalancers[0].AdvancedConfiguration = advanced


def with_target_group(balancing: LoadBalancing, target_group: elb.TargetGroup) -> LoadBalancing:
    """The same load balancer seen through another target group (for the alternate group's rollback alarms)."""
    return replace(balancing, target_group=target_group)


def _number(percent: float) -> int | float:
    """5.0 as 5: a whole percentage stays an integer in the template (0.1 steps otherwise, as the schema asks)."""
    return int(percent) if percent == int(percent) else percent
