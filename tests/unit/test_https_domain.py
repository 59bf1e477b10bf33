"""With HTTPS, ServiceUrl names the domain the certificate covers, not the load balancer's own DNS name."""

from __future__ import annotations

import pytest

from tests.render import template_for, web_config

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"


def test_https_service_url_is_the_domain():
    outputs = template_for(web_config(load_balancer={"certificate_arn": CERTIFICATE, "domain": "app.example.com"}))[
        "Outputs"
    ]
    assert outputs["ServiceUrl"]["Value"] == "https://app.example.com"
    assert outputs["LoadBalancerDnsName"]["Value"] == {"Fn::GetAtt": ["WebappLoadBalancer", "DNSName"]}


def test_without_a_domain_http_answers_at_the_load_balancers_name():
    outputs = template_for(web_config())["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == {"Fn::Sub": "http://${WebappLoadBalancer.DNSName}"}
    assert outputs["LoadBalancerDnsName"]["Value"] == {"Fn::GetAtt": ["WebappLoadBalancer", "DNSName"]}


def test_a_domain_without_a_certificate_names_the_http_url():
    outputs = template_for(web_config(load_balancer={"domain": "app.example.com"}))["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == "http://app.example.com"


@pytest.mark.parametrize(
    "domain", ["app.example.com", "x.io", "my-app.eu-west-1.example.co.uk", "xn--bcher-kva.example"]
)
def test_dns_names_pass(domain):
    outputs = template_for(web_config(load_balancer={"certificate_arn": CERTIFICATE, "domain": domain}))["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == f"https://{domain}"


@pytest.mark.parametrize(
    ("load_balancer", "url"),
    [
        ({"port": 8080, "domain": "app.example.com"}, "http://app.example.com:8080"),
        ({"port": 8080}, {"Fn::Sub": "http://${WebappLoadBalancer.DNSName}:8080"}),
        ({"port": 80, "domain": "app.example.com"}, "http://app.example.com"),
        (
            {"port": 8080, "domain": "app.example.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
            "https://app.example.com",
        ),
    ],
    ids=["domain-8080", "balancer-8080", "domain-80", "https-redirects-from-8080"],
)
def test_a_plain_http_url_names_a_port_other_than_80(load_balancer, url):
    """The listener answers on load_balancer.port: a URL without it would reach port 80, where nothing listens."""
    assert template_for(web_config(load_balancer=load_balancer))["Outputs"]["ServiceUrl"]["Value"] == url
