"""The change report between two contracts: what a service update means for this client.

Why: after a service update a maintainer needs to know, before reading 600 lines of diff, which
operations came and went, which schemas changed, and which of those changes break calls the
handwritten layer (``claude_client/``) already makes. What that layer uses is read from its
source (the generated operations it imports and the generated models it names), so the report
stays true as the client grows. Schemas are compared by title: the title names the generated
class, and served schema keys change when the service's modules move.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Usage:
    """What the handwritten layer uses of the generated client."""

    operations: frozenset[str]  # operationIds it imports
    models: frozenset[str]  # generated class names it names


def handwritten_usage(package: Path) -> Usage:
    """The generated operations and models the handwritten package's source refers to."""
    operations: set[str] = set()
    models: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "claude_code_api.api."
            ):
                operations.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module == "claude_code_api.models":
                models.update(alias.name for alias in node.names)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "g"
                and node.attr[:1].isupper()
            ):
                models.add(node.attr)
    return Usage(frozenset(operations), frozenset(models))


# --- reading a contract ----------------------------------------------------------------------


def operations(doc: Doc) -> dict[str, dict[str, Any]]:
    """``"METHOD /path"`` -> operation object."""
    return {
        f"{method.upper()} {path}": op
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in METHODS and isinstance(op, dict)
    }


def _schemas(doc: Doc) -> dict[str, Any]:
    found: dict[str, Any] = doc.get("components", {}).get("schemas", {})
    return found


def _title(doc: Doc, key: str) -> str:
    return str(_schemas(doc).get(key, {}).get("title", key))


def schemas_by_title(doc: Doc) -> dict[str, dict[str, Any]]:
    """Generated class name (the title) -> schema."""
    return {_title(doc, key): schema for key, schema in _schemas(doc).items()}


def _ref_title(doc: Doc, ref: str) -> str:
    return _title(doc, ref.rsplit("/", 1)[-1])


def type_of(doc: Doc, schema: Mapping[str, Any]) -> str:
    """A Python-like type for a property schema (descriptions and titles ignored)."""
    if "$ref" in schema:
        return _ref_title(doc, schema["$ref"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(sorted({type_of(doc, option) for option in schema[key]}))
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    if "enum" in schema:
        return "enum[" + ", ".join(str(value) for value in schema["enum"]) + "]"
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(sorted(type_of(doc, {**schema, "type": one}) for one in kind))
    if kind == "array":
        return f"list[{type_of(doc, schema.get('items', {}))}]"
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"dict[str, {type_of(doc, extra)}]"
        return "object" if schema.get("properties") else "dict"
    return SCALARS.get(str(kind), "Any")


def _refs(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "$ref" and isinstance(inner, str):
                yield inner
            else:
                yield from _refs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _refs(inner)


def _closure(doc: Doc, titles: Iterable[str]) -> set[str]:
    """The titles and every schema they refer to, transitively."""
    by_title = schemas_by_title(doc)
    seen: set[str] = set()
    todo = [t for t in titles if t in by_title]
    while todo:
        title = todo.pop()
        if title in seen or title not in by_title:  # a dangling $ref names nothing to read
            continue
        seen.add(title)
        todo.extend(_ref_title(doc, ref) for ref in _refs(by_title[title]))
    return seen


def _stream_messages(doc: Doc, direction: str) -> set[str]:
    """Titles of the WebSocket messages of ``direction`` (``client-messages``: sent)."""
    streams = doc.get("x-websocket-streams", {})
    return {
        _ref_title(doc, ref) for stream in streams.values() for ref in _refs(stream.get(direction))
    }


def _bodies(doc: Doc, op: Mapping[str, Any], *, request: bool) -> set[str]:
    part = op.get("requestBody", {}) if request else op.get("responses", {}).get("200", {})
    return {_ref_title(doc, ref) for ref in _refs(part)}


# --- comparing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaChange:
    """How one schema (by title) changed."""

    name: str
    added: tuple[str, ...] = ()  # "field: type"
    removed: tuple[str, ...] = ()
    retyped: tuple[str, ...] = ()  # "field: old -> new"
    now_required: tuple[str, ...] = ()
    now_optional: tuple[str, ...] = ()
    values: str = ""  # enum values "old -> new"

    def lines(self) -> list[str]:
        """One line per kind of change."""
        out = [f"+ {item}" for item in self.added]
        out += [f"- {item}" for item in self.removed]
        out += [f"~ {item}" for item in self.retyped]
        out += [f"required now: {item}" for item in self.now_required]
        out += [f"optional now: {item}" for item in self.now_optional]
        out += [f"values: {self.values}"] if self.values else []
        return out


def _compare_schema(old: Doc, new: Doc, name: str) -> SchemaChange | None:
    before, after = schemas_by_title(old)[name], schemas_by_title(new)[name]
    if "properties" not in before and "properties" not in after:
        old_type, new_type = type_of(old, before), type_of(new, after)
        if old_type == new_type:
            return None
        return SchemaChange(name, values=f"{old_type} -> {new_type}")
    old_props, new_props = before.get("properties", {}), after.get("properties", {})
    old_req, new_req = set(before.get("required", [])), set(after.get("required", []))
    both = [f for f in old_props if f in new_props]
    change = SchemaChange(
        name,
        added=tuple(f"{f}: {type_of(new, new_props[f])}" for f in new_props if f not in old_props),
        removed=tuple(
            f"{f}: {type_of(old, old_props[f])}" for f in old_props if f not in new_props
        ),
        retyped=tuple(
            f"{f}: {type_of(old, old_props[f])} -> {type_of(new, new_props[f])}"
            for f in both
            if type_of(old, old_props[f]) != type_of(new, new_props[f])
        ),
        now_required=tuple(f for f in both if f in new_req and f not in old_req),
        now_optional=tuple(f for f in both if f in old_req and f not in new_req),
    )
    return change if change.lines() else None


@dataclass(frozen=True)
class Report:
    """The change report (``str(report)`` is what ``scripts/sync-contract`` prints)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    renamed: tuple[str, ...]
    answers: tuple[str, ...]  # "METHOD /path: +404 -500"
    schemas_added: tuple[str, ...]
    schemas_removed: tuple[str, ...]
    schemas_changed: tuple[SchemaChange, ...]
    breaking: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        out: list[str] = []

        def section(title: str, items: Iterable[str]) -> None:
            items = list(items)
            out.append(f"{title} ({len(items)}):" if items else f"{title}: none")
            out.extend(f"  {item}" for item in items)

        section("Operations added", self.added)
        section("Operations removed", self.removed)
        section("Operations renamed (operationId)", self.renamed)
        section("Operations whose documented answers changed", self.answers)
        section("Schemas added", self.schemas_added)
        section("Schemas removed", self.schemas_removed)
        changed = [
            f"{change.name}: {line}" for change in self.schemas_changed for line in change.lines()
        ]
        section(f"Schemas changed ({len(self.schemas_changed)} schemas), fields", changed)
        section("BREAKING for existing calls of claude_client", self.breaking)
        for note in self.notes:
            out.append(note)
        return "\n".join(out) + "\n"


def _statuses(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    before, after = set(old.get("responses", {})), set(new.get("responses", {}))
    return " ".join(
        [*(f"+{s}" for s in sorted(after - before)), *(f"-{s}" for s in sorted(before - after))]
    )


def _label(name: str, op: Mapping[str, Any]) -> str:
    return f"{name} ({op.get('operationId', '?')})"


def compare(old: Doc, new: Doc, usage: Usage, notes: Iterable[str] = ()) -> Report:
    """The report of what changed from ``old`` to ``new`` for a client that uses ``usage``."""
    old_ops, new_ops = operations(old), operations(new)
    old_schemas, new_schemas = schemas_by_title(old), schemas_by_title(new)
    used_ops = {n: op for n, op in old_ops.items() if op.get("operationId") in usage.operations}
    sent = _closure(
        old,
        {t for op in used_ops.values() for t in _bodies(old, op, request=True)}
        | (set(usage.models) & _stream_messages(old, "client-messages")),
    )
    read = _closure(
        old,
        {t for op in used_ops.values() for t in _bodies(old, op, request=False)}
        | (set(usage.models) - sent),
    )
    changes = [
        change
        for name in old_schemas
        if name in new_schemas and (change := _compare_schema(old, new, name)) is not None
    ]
    breaking: list[str] = []
    for name, op in used_ops.items():
        if name not in new_ops:
            breaking.append(f"operation removed: {_label(name, op)}")
        elif new_ops[name].get("operationId") != op.get("operationId"):
            breaking.append(
                f"operation renamed: {name} {op.get('operationId')} -> "
                f"{new_ops[name].get('operationId')} (the generated module moves)"
            )
    for name in sorted((read | sent) - set(new_schemas)):
        breaking.append(f"schema removed: {name}")
    for change in changes:
        if change.name in read:
            breaking += [f"{change.name}.{item} (removed; read)" for item in change.removed]
            breaking += [f"{change.name}.{item} (retyped; read)" for item in change.retyped]
            breaking += [
                f"{change.name}.{item} (may be absent now; read)" for item in change.now_optional
            ]
            breaking += [f"{change.name} {change.values} (read)"] if change.values else []
        if change.name in sent:
            breaking += [f"{change.name}.{item} (retyped; sent)" for item in change.retyped]
            breaking += [
                f"{change.name}.{item} (new required field; not sent)"
                for item in change.now_required
            ]
            new_props = new_schemas[change.name].get("required", [])
            breaking += [
                f"{change.name}.{item.split(':')[0]} (new required field; not sent)"
                for item in change.added
                if item.split(":")[0] in new_props
            ]
    return Report(
        added=tuple(_label(n, op) for n, op in new_ops.items() if n not in old_ops),
        removed=tuple(_label(n, op) for n, op in old_ops.items() if n not in new_ops),
        renamed=tuple(
            f"{n}: {op.get('operationId')} -> {new_ops[n].get('operationId')}"
            for n, op in old_ops.items()
            if n in new_ops and new_ops[n].get("operationId") != op.get("operationId")
        ),
        answers=tuple(
            f"{n}: {_statuses(op, new_ops[n])}"
            for n, op in old_ops.items()
            if n in new_ops and _statuses(op, new_ops[n])
        ),
        schemas_added=tuple(sorted(set(new_schemas) - set(old_schemas))),
        schemas_removed=tuple(sorted(set(old_schemas) - set(new_schemas))),
        schemas_changed=tuple(changes),
        breaking=tuple(breaking),
        notes=tuple(notes),
    )
