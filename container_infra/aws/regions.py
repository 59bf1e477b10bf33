"""Where the calls go: the region checked against botocore's own region data, and AWS_ENDPOINT_URL checked as a URL.

A region botocore lists, or one a partition's pattern allows (a region newer than this botocore),
is accepted: a new region works as soon as its endpoint answers. Anything else (`mars-central-9`,
`eu west 1`) is refused at once instead of after a minute of DNS retries. With an endpoint URL
(a local emulator, a VPC endpoint), the region only signs the requests: any well-formed region
name is accepted.
"""

from __future__ import annotations

import difflib
import os
import re
import urllib.parse
from functools import lru_cache
from typing import Any

import botocore.loaders

from container_infra.errors import UserError

REGION_SHAPE = re.compile(r"[a-z]{2,}(?:-[a-z]+)+-[0-9]{1,2}")
ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDFORMATION")


@lru_cache(maxsize=1)
def _partitions() -> list[dict[str, Any]]:
    return list(botocore.loaders.create_loader().load_data("partitions")["partitions"])


def known_regions() -> set[str]:
    return {region for partition in _partitions() for region in partition.get("regions", {})}


def fits_a_partition(region: str) -> bool:
    return any(re.fullmatch(partition["regionRegex"].strip("^$"), region) for partition in _partitions())


def endpoint_url() -> str | None:
    """The endpoint the calls go to instead of AWS's, when one is configured in the environment."""
    for variable in ENDPOINT_VARIABLES:
        value = os.environ.get(variable)
        if value is not None:
            check_endpoint_url(variable, value)
            return value
    return None


def check_endpoint_url(variable: str, value: str) -> None:
    parts = urllib.parse.urlsplit(value.strip())
    if value.strip() != value or parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise UserError(f"{variable}={value!r}: not a URL; expected http(s)://host[:port], or unset it to use AWS")
    try:
        _ = parts.port  # reading it checks it
    except ValueError:
        raise UserError(f"{variable}={value!r}: not a valid port; expected http(s)://host[:port]") from None


def check_region(region: str, origin: str, *, custom_endpoint: bool) -> None:
    """Refuse at once a region that cannot be one: malformed, or unknown to every AWS partition."""
    if not REGION_SHAPE.fullmatch(region):
        raise UserError(f"{origin} {region!r}: not a region name; expected e.g. eu-west-1 or us-east-1")
    if custom_endpoint or region in known_regions() or fits_a_partition(region):
        return
    raise UserError(
        f"{origin} {region}: not an AWS region (botocore knows {', '.join(sorted(known_regions())[:6])}, ...); "
        "check the spelling"
    )


def misspelt(region: str) -> str | None:
    """The known region `region` is a typo of (`eu-wset-1`: eu-west-1), or None. A partition's pattern lets a new
    region pass, and a new one is a new number (eu-north-2) or a new name; a name a letter or a swap away from a known
    one (eu-wset) is a typo."""
    name, _, number = region.rpartition("-")
    names = {known.rpartition("-")[0]: known for known in sorted(known_regions())}
    if name in names:
        return None
    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
    return f"{close[0]}-{number}" if close else None


def is_known(region: str) -> bool:
    return region in known_regions()
