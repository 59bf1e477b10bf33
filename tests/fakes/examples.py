"""An example config made deployable on moto's server: what AWS would already have for it, made in moto first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def ready_example(path: Path, aws: Callable[[str], Any], tmp_path: Path, monkeypatch: Any) -> Path:
    """The example as it ships; the HTTPS one with a certificate moto has issued instead of its placeholder, a domain
    with its public hosted zone made (deploy.py looks it up by name)."""
    text = path.read_text()
    if 'certificate_arn = "arn:' in text:
        from moto import settings

        monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", -1)  # moto issues requested certificates at once
        arn = aws("acm").request_certificate(DomainName="app.example.com", ValidationMethod="DNS")["CertificateArn"]
        text = "\n".join(
            f'certificate_arn = "{arn}"' if line.startswith("certificate_arn") else line for line in text.splitlines()
        )
    if 'hosted_zone = "' in text:
        zone = next(line.split('"')[1] for line in text.splitlines() if line.startswith("hosted_zone ="))
        aws("route53").create_hosted_zone(Name=zone, CallerReference=f"example-{zone}")
    config = tmp_path / path.name
    config.write_text(text + "\n")
    return config
