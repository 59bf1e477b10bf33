"""templates/ec2.py declares three EC2 types instead of importing troposphere.ec2 (issue 14's start-up goal).

These tests fail if the copies drift from troposphere's: a property added, dropped or validated differently
upstream, or a resource type spelt differently.
"""

import pytest
from troposphere import ec2 as upstream

from templates import ec2


@pytest.mark.parametrize("name", ["SecurityGroup", "SecurityGroupIngress", "SecurityGroupRule"])
def test_each_type_matches_troposphere(name):
    ours, theirs = getattr(ec2, name), getattr(upstream, name)
    assert ours.props == theirs.props
    assert getattr(ours, "resource_type", None) == getattr(theirs, "resource_type", None)
    assert ours.__mro__[1] is theirs.__mro__[1]  # AWSObject or AWSProperty, like troposphere's


def test_an_ingress_needs_a_source_as_troposphere_says():
    rule = ec2.SecurityGroupIngress("Open", IpProtocol="tcp", FromPort=80, ToPort=80, GroupId="sg-1")
    with pytest.raises(ValueError):
        rule.to_dict()


def test_a_port_out_of_range_is_refused():
    with pytest.raises(ValueError):
        ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=70000, ToPort=70000, CidrIp="0.0.0.0/0")


def test_the_web_service_no_longer_imports_troposphere_ec2():
    import subprocess
    import sys

    probe = (
        "import runpy, sys; sys.argv=['generate.py','--config','examples/web-service-blue-green.toml']\n"
        "import io, contextlib\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: runpy.run_path('generate.py', run_name='__main__')\n    except SystemExit: pass\n"
        "print('troposphere.ec2' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
