"""`@record`: an immutable config record, a drop-in for `@dataclass(frozen=True)` that costs almost nothing to create.

Why: generate.py's run is mostly start-up, and on Python 3.11 each `@dataclass(frozen=True)` class costs about
1 ms at import, because dataclasses writes __init__, __repr__, __eq__, __hash__, __setattr__ and __delattr__ as
source text and exec-compiles them for every class. The config has a dozen such classes. A record instead gets
the shared generic methods below, which read the class's field list; the decorator itself only reads the class
body (~10 us a class, against ~700 us for a frozen dataclass on this machine).

Same class syntax as a frozen dataclass: annotated fields, defaults, `field(default_factory=...)` for a mutable
default; converting a class means changing its decorator line (and the import). What it gives: keyword and
positional construction with defaults, immutability (FrozenRecordError, an AttributeError like dataclasses'
FrozenInstanceError), equality and hashing by field values within the same class, a dataclass-style repr, and
`replace(record, **changes)` for dataclasses.replace. No ordering, no __post_init__, no ClassVar fields, no
dataclasses.fields()/asdict(): the config needs none (`fields_of` lists the field names).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_MUTABLE_DEFAULTS = (list, dict, set)


class FrozenRecordError(AttributeError):
    """Assigning to or deleting a record's field (what dataclasses.FrozenInstanceError is to a frozen dataclass)."""


class _Factory:
    """`field(default_factory=...)`'s value in the class body: the decorator replaces it by a per-instance default."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A field whose default is made for each instance (`field(default_factory=dict)`), as with dataclasses.field."""
    return _Factory(default_factory)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))  # type checkers see a frozen dataclass
def record(cls: type[T]) -> type[T]:
    """Make `cls` an immutable record of its annotated fields (inherited record fields first, like dataclasses)."""
    names: list[str] = list(getattr(cls, "__record_fields__", ()))
    defaults: dict[str, Any] = dict(getattr(cls, "__record_defaults__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if "ClassVar" in str(annotation):
            raise TypeError(f"{cls.__name__}.{name}: a record has no ClassVar fields; use a module constant")
        if name not in names:
            names.append(name)
        if name in cls.__dict__:
            defaults[name] = _default(cls, name, cls.__dict__[name])
        elif name in defaults:
            del defaults[name]  # re-declared without a default
    _refuse_required_after_default(cls, names, defaults)
    cls.__record_fields__ = tuple(names)  # type: ignore[attr-defined]
    cls.__record_defaults__ = defaults  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(names)  # type: ignore[attr-defined]
    for name, method in _SHARED_METHODS.items():
        setattr(cls, name, method)
    return cls


def replace(instance: T, **changes: Any) -> T:
    """A copy of `instance` with `changes` (dataclasses.replace for records); an unknown field is a TypeError."""
    values = {name: getattr(instance, name) for name in fields_of(instance)}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {sorted(unknown)[0]!r}")
    return type(instance)(**{**values, **changes})


def fields_of(instance_or_class: Any) -> tuple[str, ...]:
    """The record's field names, in order."""
    return instance_or_class.__record_fields__


def is_record(value: Any) -> bool:
    return hasattr(type(value), "__record_fields__")


def _default(cls: type, name: str, value: Any) -> Any:
    if isinstance(value, _MUTABLE_DEFAULTS):
        raise ValueError(
            f"{cls.__name__}.{name}: a mutable default {type(value).__name__} is shared by every instance; "
            "use field(default_factory=...)"
        )
    if isinstance(value, _Factory):
        delattr(cls, name)  # as dataclasses does: no class attribute for a per-instance default
    return value


def _refuse_required_after_default(cls: type, names: list[str], defaults: dict[str, Any]) -> None:
    seen_default = False
    for name in names:
        if name in defaults:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: the field {name!r} without a default follows a field with one")


# The methods every record shares (set by @record as __init__, __repr__, ...): each reads its class's field list.


def _record_init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names = cls.__record_fields__
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments but {len(args)} were given")
    values = dict(zip(names, args))
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")
        if name in values:
            raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
        values[name] = value
    for name in names[len(args) :]:
        if name not in values:
            values[name] = _default_value(cls, name)
    self.__dict__.update((name, values[name]) for name in names)  # field order, like a dataclass's vars()


def _default_value(cls: Any, name: str) -> Any:
    try:
        default = cls.__record_defaults__[name]
    except KeyError:
        raise TypeError(f"{cls.__name__}() missing required argument: {name!r}") from None
    return default.make() if isinstance(default, _Factory) else default


def _record_repr(self: Any) -> str:
    values = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_fields__)
    return f"{type(self).__qualname__}({values})"


def _values(instance: Any) -> tuple[Any, ...]:
    return tuple(getattr(instance, name) for name in type(instance).__record_fields__)


def _record_eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _record_hash(self: Any) -> int:
    return hash(_values(self))


def _record_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r}: {type(self).__name__} is immutable (use replace())")


def _record_delattr(self: Any, name: str) -> None:
    raise FrozenRecordError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")


_SHARED_METHODS = {
    "__init__": _record_init,
    "__repr__": _record_repr,
    "__eq__": _record_eq,
    "__hash__": _record_hash,
    "__setattr__": _record_setattr,
    "__delattr__": _record_delattr,
}
