"""Config records (container_infra/config/record.py): immutable, equal by value, and cheap to create at start-up."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from container_infra.config import ClusterConfig, ContainerConfig, StackConfig, TaskConfig, load_config
from container_infra.config.record import FrozenRecordError, field, fields_of, is_record, record, replace
from tests.helpers import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _records(value: Any) -> Iterator[Any]:
    """Every record in a loaded config, nested ones included."""
    if is_record(value):
        yield value
        for name in fields_of(value):
            yield from _records(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _records(item)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_record_of_a_loaded_config_is_immutable(path):
    records = list(_records(load_config(path)))
    assert len({type(r) for r in records}) >= 3  # the walk does reach the nested tables
    for config in records:
        name = fields_of(config)[0]
        before = getattr(config, name)
        with pytest.raises(FrozenRecordError):
            setattr(config, name, before)
        with pytest.raises(AttributeError):
            delattr(config, name)
        with pytest.raises(AttributeError):
            config.not_a_field = 1
        assert getattr(config, name) is before


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_same_file_loads_to_equal_configs(path):
    first, second = load_config(path), load_config(path)
    assert first is not second and first == second and not first != second
    for one, other in zip(_records(first), _records(second)):
        assert one == other


def test_a_changed_field_makes_configs_unequal_and_replace_leaves_the_original():
    config = load_config(ROOT / "examples" / "web-service.toml")
    bigger = replace(config, task=replace(config.task, memory_mib=config.task.memory_mib * 2))
    assert bigger != config and bigger.task.memory_mib == 2 * config.task.memory_mib
    assert replace(bigger, task=config.task) == config  # every other field carried over
    with pytest.raises(TypeError, match="no field 'memory'"):
        replace(config.task, memory=1)


def test_equality_needs_the_same_class_not_only_the_same_values():
    @record
    class OtherCluster:
        name: str = "my-test-cluster"
        container_insights: bool = False

    assert ClusterConfig() != OtherCluster()
    assert ClusterConfig() != ("my-test-cluster", False)
    assert hash(ClusterConfig()) == hash(ClusterConfig(name="my-test-cluster"))


def test_construction_by_position_keyword_and_default_like_a_dataclass():
    assert ClusterConfig("a", True) == ClusterConfig(name="a", container_insights=True)
    assert repr(ClusterConfig("a")) == "ClusterConfig(name='a', container_insights=False)"
    assert list(vars(TaskConfig())) == list(fields_of(TaskConfig))
    with pytest.raises(TypeError, match="missing required argument: 'image'"):
        ContainerConfig(name="web")
    with pytest.raises(TypeError, match="unexpected keyword argument 'cpu'"):
        ClusterConfig(cpu=1)
    with pytest.raises(TypeError, match="multiple values for argument 'name'"):
        ClusterConfig("a", name="b")
    with pytest.raises(TypeError, match="takes 2 positional arguments"):
        ClusterConfig("a", True, 3)


def test_a_default_factory_gives_each_record_its_own_value():
    one, two = ContainerConfig(image="i", name="a"), ContainerConfig(image="i", name="b")
    assert one.environment == {} and one.environment is not two.environment
    assert "environment" not in vars(ContainerConfig)  # no shared class attribute left behind


def test_the_dataclass_mistakes_are_refused_when_the_class_is_made():
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Shared:
            items: list[str] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(TypeError, match="'b' without a default follows"):

        @record
        class Order:
            a: int = 1
            b: int

    with pytest.raises(TypeError, match="no ClassVar fields"):

        @record
        class Constant:
            LIMIT: ClassVar[int] = 10

    @record
    class WithFactory:
        tags: dict[str, str] = field(default_factory=dict)

    assert WithFactory() == WithFactory() and WithFactory().tags == {}


def test_a_subclass_adds_its_fields_after_its_bases():
    @record
    class Base:
        a: int = 1

    @record
    class Child(Base):
        b: int = 2

    assert fields_of(Child) == ("a", "b") and Child(5) == Child(a=5, b=2) and Child() != Base()


def test_loading_the_examples_creates_no_dataclass():
    """The point of records: dataclasses exec-compiles each class's methods at import (~1 ms a class on 3.11)."""
    loads = "; ".join(f"load_config({str(path)!r})" for path in EXAMPLES)  # every optional part of the config
    script = f"import sys; from container_infra.config import load_config; {loads}; print('dataclasses' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "a config module imports dataclasses: use @record (config/record.py)"


def test_a_stack_config_is_a_record():
    assert is_record(StackConfig()) and not is_record(object())
