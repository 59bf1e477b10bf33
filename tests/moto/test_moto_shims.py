"""The shims over moto's internals fail loudly when moto no longer has what they patch."""

from __future__ import annotations

import moto
import pytest
from moto.cloudformation import responses

from tests.fakes import moto_shims


class Owner:
    def present(self) -> str:
        return "moto's"


def test_a_missing_method_is_an_error_naming_moto_and_the_method():
    with pytest.raises(moto_shims.MotoChanged) as error:
        moto_shims._replace(Owner, "renamed", lambda self: "ours")
    assert f"moto {moto.__version__}" in str(error.value) and "Owner has no 'renamed'" in str(error.value)
    assert not hasattr(Owner, "renamed")


def test_a_present_method_is_replaced():
    moto_shims._replace(Owner, "present", lambda self: "ours")
    assert Owner().present() == "ours"


def test_a_method_moto_gained_is_not_overwritten():
    with pytest.raises(moto_shims.MotoChanged, match="now has 'present'"):
        moto_shims._add(Owner, "present", lambda self: "ours")


def test_every_shim_applies_to_the_pinned_moto(moto_url):
    """moto_url applied them; what they replaced is ours now."""
    assert responses.CloudFormationResponse.get_template.__module__ == moto_shims.__name__
    assert responses.CloudFormationResponse.describe_events.__module__ == moto_shims.__name__
