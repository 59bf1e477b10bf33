"""Where the service lives and who may reach it: VPC, the load balancer's and the tasks' subnets, and the two
security groups.

Reachability: the internet reaches only the load balancer's listener ports; the load balancer
reaches only the container port of the service's group; nothing else reaches the containers.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import GetAtt, Parameter, Ref, Template, ec2

from container_infra.naming import LOAD_BALANCER_SUBNETS, TASK_SUBNETS, VPC_ID, pascal, within

NETWORK_GROUP = "Network"
ANYWHERE = "0.0.0.0/0"
SUBNETS = "List<AWS::EC2::Subnet::Id>"
GROUP_DESCRIPTION_MAX = 255  # EC2 CreateSecurityGroup
BACKEND_GROUP_DESCRIPTION = "ECS tasks without a load balancer: the container port from the ingress_from groups only"


@dataclass(frozen=True, slots=True)
class Network:
    """The template parameters that place the stack in a VPC."""

    vpc: Parameter
    load_balancer_subnets: Parameter | None  # None: a service without a load balancer
    task_subnets: Parameter


@dataclass(frozen=True, slots=True)
class SecurityGroups:
    """The load balancer's security group, and the tasks' (which admits only the load balancer)."""

    load_balancer: ec2.SecurityGroup
    service: ec2.SecurityGroup


def add_network_parameters(template: Template, *, load_balancer: bool = True) -> Network:
    """Two subnet lists: the internet-facing load balancer needs public subnets, the tasks may sit in private ones.
    Without a load balancer, the tasks' alone."""
    vpc = template.add_parameter(
        Parameter(
            VPC_ID, Type="AWS::EC2::VPC::Id", Description="The VPC to run in (deploy.py fills in the default VPC)."
        )
    )
    balancer = (
        template.add_parameter(
            Parameter(
                LOAD_BALANCER_SUBNETS,
                Type=SUBNETS,
                Description="Public subnets (a route to an internet gateway) in two or more Availability Zones, for "
                "the internet-facing load balancer (deploy.py fills in the default VPC's).",
            )
        )
        if load_balancer
        else None
    )
    where = "; in the load balancer's Availability Zones" if load_balancer else ""
    tasks = template.add_parameter(
        Parameter(
            TASK_SUBNETS,
            Type=SUBNETS,
            Description="Subnets for the tasks: private ones with a NAT gateway (assign_public_ip = false), or public "
            f"ones (assign_public_ip = true){where} (deploy.py fills in the default VPC's).",
        )
    )
    labels = [(vpc, "VPC"), (balancer, "Load balancer subnets (public, two or more AZs)"), (tasks, "Task subnets")]
    for parameter, label in labels:
        if parameter is not None:
            template.set_parameter_label(parameter, label)
            template.add_parameter_to_group(parameter, NETWORK_GROUP)
    return Network(vpc, balancer, tasks)


def add_backend_security_group(
    template: Template, family: str, network: Network, *, container_port: int, ingress_from: tuple[str, ...]
) -> ec2.SecurityGroup:
    """The tasks' group without a load balancer: nothing from the internet; the container port from the listed
    security groups only (none listed: no ingress at all). A logical ID of its own: a switch to or from a load
    balancer shows in the diff as one group added and the other removed; under one ID, the changed GroupDescription
    would replace the group all the same, less visibly.

    The description is fixed text: GroupDescription is create-only (AWS::EC2::SecurityGroup, "Update requires:
    Replacement"), so a description that followed `ingress_from` would replace the group, and change its ID under
    every caller's rule that names it, each time a caller is added or removed."""
    group = ec2.SecurityGroup(
        f"{pascal(family)}BackendSecurityGroup",
        GroupDescription=BACKEND_GROUP_DESCRIPTION,
        VpcId=Ref(network.vpc),
        SecurityGroupEgress=[
            ec2.SecurityGroupRule(
                IpProtocol="-1", CidrIp=ANYWHERE, Description="Outbound: image pulls, logs and calls the app makes"
            ),
        ],
    )
    if ingress_from:
        group.SecurityGroupIngress = [
            ec2.SecurityGroupRule(
                IpProtocol="tcp",
                FromPort=container_port,
                ToPort=container_port,
                SourceSecurityGroupId=source,
                Description=f"The container port, from {source}",
            )
            for source in ingress_from
        ]
    return template.add_resource(group)


def add_security_groups(
    template: Template, family: str, network: Network, *, listener_ports: list[int], container_port: int
) -> SecurityGroups:
    base = pascal(family)
    service = template.add_resource(
        ec2.SecurityGroup(
            f"{base}ServiceSecurityGroup",
            GroupDescription=within(
                f"{family} tasks: the container port, from the load balancer only", GROUP_DESCRIPTION_MAX, family
            ),
            VpcId=Ref(network.vpc),
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(
                    IpProtocol="-1", CidrIp=ANYWHERE, Description="Outbound: image pulls, logs and calls the app makes"
                ),
            ],
        )
    )
    balancer = template.add_resource(
        ec2.SecurityGroup(
            f"{base}LoadBalancerSecurityGroup",
            GroupDescription=within(
                f"{family} load balancer: listener ports from the internet", GROUP_DESCRIPTION_MAX, family
            ),
            VpcId=Ref(network.vpc),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(
                    IpProtocol="tcp",
                    FromPort=port,
                    ToPort=port,
                    CidrIp=ANYWHERE,
                    Description=f"{'HTTPS' if port == 443 else 'HTTP'} from the internet",
                )
                for port in listener_ports
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(
                    IpProtocol="tcp",
                    FromPort=container_port,
                    ToPort=container_port,
                    DestinationSecurityGroupId=GetAtt(service, "GroupId"),
                    Description="To the container port of the tasks only",
                ),
            ],
        )
    )
    # A separate resource: the service's group references the balancer's, which references the service's.
    template.add_resource(
        ec2.SecurityGroupIngress(
            f"{base}ServiceIngressFromLoadBalancer",
            GroupId=GetAtt(service, "GroupId"),
            IpProtocol="tcp",
            FromPort=container_port,
            ToPort=container_port,
            SourceSecurityGroupId=GetAtt(balancer, "GroupId"),
            Description="The container port, from the load balancer only",
        )
    )
    return SecurityGroups(balancer, service)
