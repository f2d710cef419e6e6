"""A Griffe extension for the API reference (mkdocs.yml loads it): signatures as users call them.

Griffe reads the source without running it, so the reference showed what the source spells:
``timeout: float = DEFAULT_TIMEOUT`` (a constant's name, not its value) and ``http_client: _H |
None`` (a private type variable of the shared base class). After the package is loaded, this
puts the values of such defaults in their place, gives each client class its own ``__init__``
with the base's type variables replaced by the class's own types (``httpx.Client``), and names
the other private type variables without their underscore (``_X`` -> ``X``).
"""

from __future__ import annotations

import enum
import importlib
import re
import typing
from collections.abc import Iterator
from typing import Any

import griffe

#: Values a default may be shown as (their repr reads as Python).
_LITERALS = (int, float, str, bool, type(None))


def _runtime(path: str) -> Any:
    """The object at a dotted ``path`` (module, then attributes), or ``None``."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for name in parts[cut:]:
                value = getattr(value, name)
        except AttributeError:
            return None
        return value
    return None


def _shown_default(default: str | griffe.Expr | None) -> str | griffe.Expr | None:
    """A default that names a constant or an enum member, as its value (``30.0``,
    ``Model.AUTO``); any other default as it is."""
    if not isinstance(default, griffe.ExprName | griffe.ExprAttribute):
        return default
    value = _runtime(default.canonical_path)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, _LITERALS):
        return repr(value)
    return default


def _substituted(
    annotation: str | griffe.Expr | None, names: dict[str, str]
) -> str | griffe.Expr | None:
    """``annotation`` with the type variables in ``names`` replaced (a string, then)."""
    if annotation is None:
        return None
    text = str(annotation)
    pattern = r"\b(" + "|".join(map(re.escape, names)) + r")\b"
    new = re.sub(pattern, lambda m: names[m.group(1)], text) if names else text
    return annotation if new == text else new


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    """Every module, class and function defined under ``obj`` (not the names it imports)."""
    for member in list(obj.members.values()):
        if not member.is_alias and isinstance(
            member, griffe.Module | griffe.Class | griffe.Function
        ):
            yield member
            yield from _walk(member)


def _type_arguments(cls: griffe.Class) -> tuple[str, dict[str, str]] | None:
    """The generic base of ``cls`` (its path) and its type variables' names -> the types
    ``cls`` gives them, read off the running class; ``None`` when it has no such base."""
    runtime = _runtime(cls.path)
    for base in getattr(runtime, "__orig_bases__", ()):
        origin = typing.get_origin(base)
        parameters = getattr(origin, "__parameters__", ())
        arguments = typing.get_args(base)
        if origin is None or not parameters or len(parameters) != len(arguments):
            continue
        names = {
            p.__name__: f"{a.__module__}.{a.__qualname__}" if isinstance(a, type) else str(a)
            for p, a in zip(parameters, arguments, strict=True)
        }
        return f"{origin.__module__}.{origin.__qualname__}", names
    return None


def _own_init(cls: griffe.Class, loader: griffe.GriffeLoader) -> None:
    """Give ``cls`` a copy of its generic base's ``__init__`` with the type variables replaced."""
    found = _type_arguments(cls)
    if found is None or "__init__" in cls.members:
        return
    base_path, names = found
    try:
        base = loader.modules_collection.get_member(base_path)
    except KeyError:
        return
    init = base.members.get("__init__")
    if not isinstance(init, griffe.Function):
        return
    parameters = griffe.Parameters(
        *(
            griffe.Parameter(
                p.name,
                annotation=_substituted(p.annotation, names),
                kind=p.kind,
                default=p.default,
                docstring=p.docstring,
            )
            for p in init.parameters
        )
    )
    copy = griffe.Function(
        "__init__",
        lineno=init.lineno,
        endlineno=init.endlineno,
        parameters=parameters,
        returns=init.returns,
        docstring=init.docstring,
    )
    copy.labels |= init.labels
    cls.set_member("__init__", copy)


class ReadableSignatures(griffe.Extension):
    """Defaults as values, and no private type variables, in ``claude_client``'s signatures."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if pkg.name != "claude_client":
            return
        for cls in [c for c in _walk(pkg) if isinstance(c, griffe.Class)]:
            _own_init(cls, loader)
        for func in [f for f in _walk(pkg) if isinstance(f, griffe.Function)]:
            text = " ".join(map(str, _annotations(func)))
            private = {
                name: name.lstrip("_")
                for name in re.findall(r"\b_[A-Z]\w*\b", text)
                if isinstance(_runtime(f"{func.module.path}.{name}"), typing.TypeVar)
            }
            for parameter in func.parameters:
                parameter.default = _shown_default(parameter.default)
                parameter.annotation = _substituted(parameter.annotation, private)
            func.returns = _substituted(func.returns, private)


def _annotations(func: griffe.Function) -> list[str | griffe.Expr]:
    found = [p.annotation for p in func.parameters if p.annotation is not None]
    return [*found, func.returns] if func.returns is not None else found
