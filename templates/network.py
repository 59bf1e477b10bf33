"""Where the service lives and who may reach it: VPC and subnets, and the two security groups.

Reachability: the internet reaches only the load balancer's listener ports; the load balancer
reaches only the container port of the service's group; nothing else reaches the containers.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import GetAtt, Parameter, Ref, Template, ec2

from container_infra.naming import clip, pascal

MAX_GROUP_DESCRIPTION = 255

NETWORK_GROUP = "Network"
ANYWHERE = "0.0.0.0/0"


@dataclass(frozen=True)
class Network:
    vpc: Parameter
    subnets: Parameter


@dataclass(frozen=True)
class SecurityGroups:
    load_balancer: ec2.SecurityGroup
    service: ec2.SecurityGroup


def add_network_parameters(template: Template) -> Network:
    vpc = template.add_parameter(Parameter("VpcId", Type="AWS::EC2::VPC::Id", Description="The VPC to run in (deploy.py fills in the default VPC)."))
    subnets = template.add_parameter(
        Parameter("Subnets", Type="List<AWS::EC2::Subnet::Id>",
                  Description="At least two subnets in different Availability Zones, for the load balancer and the tasks (deploy.py fills in the default VPC's).")
    )
    for parameter, label in ((vpc, "VPC"), (subnets, "Subnets (two or more AZs)")):
        template.set_parameter_label(parameter, label)
        template.add_parameter_to_group(parameter, NETWORK_GROUP)
    return Network(vpc, subnets)


def add_security_groups(template: Template, family: str, network: Network, *, listener_ports: list[int], container_port: int) -> SecurityGroups:
    base = pascal(family)
    service = template.add_resource(
        ec2.SecurityGroup(
            f"{base}ServiceSecurityGroup",
            GroupDescription=clip(f"{family} tasks: the container port, from the load balancer only", MAX_GROUP_DESCRIPTION),
            VpcId=Ref(network.vpc),
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(IpProtocol="-1", CidrIp=ANYWHERE,
                                      Description="Outbound: image pulls, logs and the app's own calls"),
            ],
        )
    )
    balancer = template.add_resource(
        ec2.SecurityGroup(
            f"{base}LoadBalancerSecurityGroup",
            GroupDescription=clip(f"{family} load balancer: listener ports from the internet", MAX_GROUP_DESCRIPTION),
            VpcId=Ref(network.vpc),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=port, ToPort=port, CidrIp=ANYWHERE,
                                      Description=f"{'HTTPS' if port == 443 else 'HTTP'} from the internet")
                for port in listener_ports
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=container_port, ToPort=container_port,
                                      DestinationSecurityGroupId=GetAtt(service, "GroupId"),
                                      Description="To the tasks' container port only"),
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
