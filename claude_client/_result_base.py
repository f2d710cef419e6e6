"""What every public result is built on: field validators and converters, read-only mappings
and the seed client's ``@dataclass`` compatibility (``_models`` and ``_gen2_models`` share them).

A field of the wrong type in a server answer fails in these validators while the answer is
converted, so the client reports a ``MalformedResponseError`` instead of handing out a
half-valid object.
"""

from __future__ import annotations

import abc
import dataclasses
import math
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Final, NoReturn, TypeVar

import attrs
from attrs import validators as v

# --- validators and converters -------------------------------------------------------------


def _integer(attribute: attrs.Attribute[Any], value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be an integer, got {value!r}")
    return value


def _int(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A count (tokens, prompts): an integer >= 0; a negative one would lower totals and let a
    budget guard spend more."""
    if _integer(attribute, value) < 0:
        raise ValueError(f"{attribute.name} must be an integer >= 0, got {value!r}")


def _opt_int(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A budget figure: any integer or ``None`` (``remaining`` is negative once overspent)."""
    if value is not None:
        _integer(attribute, value)


def _to_float(value: float) -> float:
    """A cost or a duration: a finite number >= 0. ``NaN`` and infinities (which Python's JSON
    reader accepts) would switch a spend cap off: every comparison with ``NaN`` is false."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"expected a finite number >= 0, got {value!r}")
    return float(value)


def _to_opt_float(value: float | None) -> float | None:
    return None if value is None else _to_float(value)


_V = TypeVar("_V")


class ReadOnlyDict(dict[str, _V]):
    """A ``dict`` that refuses changes: results stay frozen, yet ``json.dumps``, ``pickle``,
    ``copy`` and ``dataclasses.asdict`` take it as the plain dict the seed client returned."""

    __slots__ = ()

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError(f"this {type(self).__name__} is read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type[ReadOnlyDict[_V]], tuple[dict[str, _V]]]:
        # pickle and copy would otherwise refill the copy item by item, through __setitem__.
        return type(self), (dict(self),)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping, got {value!r}")
    return ReadOnlyDict(value)


def _frozen_mappings(value: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    return ReadOnlyDict({k: _frozen_mapping(inner) for k, inner in value.items()})


def _mapping_repr(value: Mapping[str, Any]) -> str:
    return repr(dict(value))


_str = v.instance_of(str)
_opt_str = v.optional(_str)
#: Every result's last field: the request's ``X-Request-ID``, not compared by ``==``.
_opt_request_id = attrs.field(default=None, validator=_opt_str, kw_only=True, eq=False)


# --- what the seed client's results offered ------------------------------------------------

_C = TypeVar("_C", bound=type)


def _dataclass_compatible(cls: _C) -> _C:
    """Let ``dataclasses.asdict`` / ``astuple`` / ``replace`` take ``cls`` as the seed's dataclass.

    The seed's results were ``@dataclass``es. ``dataclasses`` recognises one by its
    ``__dataclass_fields__``: ``cls`` gets those of a dataclass with the same fields (names
    and order), and builds its instances (validated) through its own ``__init__``.
    """
    # Only the fields are taken: the shadow generates no methods (compiling an __init__,
    # __repr__ and __eq__ per result was most of the results modules' import time), and the
    # parameters are those of a plain @dataclass, as the shadow's were.
    fields = [(f.name, Any) for f in attrs.fields(cls)]
    shadow = dataclasses.make_dataclass(cls.__name__, fields, init=False, repr=False, eq=False)
    cls.__dataclass_fields__ = shadow.__dataclass_fields__  # type: ignore[attr-defined]
    cls.__dataclass_params__ = _PLAIN_PARAMS  # type: ignore[attr-defined]
    return cls


@dataclasses.dataclass
class _Plain:
    """A plain ``@dataclass``: its ``__dataclass_params__`` are every shadow's."""


_PLAIN_PARAMS: Final = getattr(_Plain, "__dataclass_params__")  # noqa: B009 (not in typeshed)


def _tuples_as_lists(_inst: object, _field: object, value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


class _Result:
    """What every result offers besides its fields."""

    __slots__ = ()
    # Set by _dataclass_compatible; declared so type checkers accept dataclasses.asdict(result).
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (nested results, tuples and mappings as dicts and lists),
        as ``dataclasses.asdict`` gave it for the seed client's results; ready for ``json``."""
        return attrs.asdict(self, value_serializer=_tuples_as_lists)  # type: ignore[arg-type]


class _ReadsAsDict(Mapping[str, Any]):
    """Also read as the plain dict the seed client returned: ``x["key"]``, ``x.get(...)``,
    ``"key" in x``, ``x.items()``, ``dict(x)``; the attributes stay the documented way."""

    __slots__ = ()

    @abc.abstractmethod
    def _seed_dict(self) -> Mapping[str, Any]:
        """The keys and values the seed client's dict had."""

    def __getitem__(self, key: str) -> Any:
        return self._seed_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._seed_dict())

    def __len__(self) -> int:
        return len(self._seed_dict())
