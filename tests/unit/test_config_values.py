"""A loaded config is a value: immutable all the way down, equal to another load of the same file, changed only by
making a copy (dataclasses.replace)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from container_infra.config import ContainerConfig, load_config
from tests.helpers import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _configs(value: Any) -> Iterator[Any]:
    """Every config object in a loaded config, nested ones included."""
    if dataclasses.is_dataclass(value):
        yield value
        for field in dataclasses.fields(value):
            yield from _configs(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _configs(item)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_part_of_a_loaded_config_is_immutable(path):
    configs = list(_configs(load_config(path)))
    assert len({type(c) for c in configs}) >= 3  # the walk does reach the nested tables
    for config in configs:
        name = dataclasses.fields(config)[0].name
        before = getattr(config, name)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(config, name, before)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(config, name)
        with pytest.raises((AttributeError, TypeError)):  # slots: no attribute beyond the fields
            config.not_a_field = 1
        assert getattr(config, name) is before


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_same_file_loads_to_equal_configs(path):
    first, second = load_config(path), load_config(path)
    assert first is not second and first == second
    for one, other in zip(_configs(first), _configs(second), strict=True):
        assert one == other


def test_a_changed_field_makes_configs_unequal_and_replace_leaves_the_original():
    config = load_config(ROOT / "examples" / "web-service.toml")
    bigger = dataclasses.replace(config, task=dataclasses.replace(config.task, memory_mib=config.task.memory_mib * 2))
    assert bigger != config and bigger.task.memory_mib == 2 * config.task.memory_mib
    assert dataclasses.replace(bigger, task=config.task) == config  # every other field carried over


def test_each_container_gets_its_own_environment():
    one, two = ContainerConfig(image="i", name="a"), ContainerConfig(image="i", name="b")
    assert one.environment == {} and one.environment is not two.environment
