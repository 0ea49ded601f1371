"""What changed between two releases of a TMF OpenAPI spec, and who it breaks.

Both documents are read with the generator's loaders (``$ref``s checked, spec validated) and
compared on what the generated SDK and the mock server depend on: operations, their parameters,
request media types, response status codes and headers; component schemas with their properties
(``allOf`` inheritance followed), required sets, enum values and ``@type`` discriminator mappings.

Each :class:`Change` carries a kind, a JSON pointer (into the new document, or into the old one
for what was removed: see ``document``) and one class:

``breaking-sdk``
    code written against the old generated SDK stops type-checking or running: an operation,
    a schema or a property removed, a property retyped or made optional, a schema renamed, a
    mandatory attribute added to an ``_FVO``/``_MVO`` input, an enum value removed;
``breaking-wire``
    an old client and a new server (or the reverse) disagree on the wire: a success status code
    or a header removed, a request media type removed, a parameter made required, a property
    made required in a resource, a ``@type`` tag removed from a mapping;
``compatible``
    additions that old code never sees, a property moved into an ``allOf`` base, mandatory
    attributes dropped from an input.

TMF structure is understood: a property that a schema no longer declares but now inherits from
an ``allOf`` base is one ``property-moved`` change, and a schema that disappears while another
with the same shape and the same ``@type`` tags appears is one ``schema-renamed`` change (the
references to it are compared through the rename).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import pointer
from .loader import Document, load_openapi
from .schemas import SchemaIndex, ref_name

__all__ = ["IMPACTS", "Change", "DiffReport", "Impact", "diff_documents", "diff_files"]

Impact = Literal["breaking-sdk", "breaking-wire", "compatible"]
IMPACTS: tuple[Impact, ...] = ("breaking-sdk", "breaking-wire", "compatible")

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SDK_QUERY = frozenset({"fields", "offset", "limit"})
"""Query parameters the generated SDK methods expose as keyword arguments."""
_NOISE = frozenset({"description", "example", "examples", "title", "externalDocs"})
_INPUT_SUFFIXES = ("_FVO", "_MVO")


@dataclass(frozen=True)
class Change:
    kind: str
    """``operation-removed``, ``property-moved``, ``schema-renamed``... (see the module doc)."""
    impact: Impact
    pointer: str
    """JSON pointer into ``document``."""
    message: str
    document: Literal["old", "new"] = "new"

    @property
    def breaking(self) -> bool:
        return self.impact != "compatible"


@dataclass(frozen=True)
class DiffReport:
    old: str
    new: str
    changes: tuple[Change, ...] = field(default=())

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    def by_impact(self, impact: Impact) -> list[Change]:
        return [change for change in self.changes if change.impact == impact]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "summary": {impact: len(self.by_impact(impact)) for impact in IMPACTS},
            "changes": [asdict(change) for change in self.changes],
        }


def diff_files(old: Path, new: Path) -> DiffReport:
    """Load and validate both specs (``SpecError`` on bad input), then compare them."""
    old_document = load_openapi(old)
    new_document = load_openapi(new)
    return DiffReport(
        old=str(old), new=str(new), changes=diff_documents(old_document, new_document)
    )


def diff_documents(old: Document, new: Document) -> tuple[Change, ...]:
    """Every change from ``old`` to ``new``, in document order (schemas, then operations)."""
    differ = _Differ(_Side(old), _Side(new))
    return tuple([*differ.schemas(), *differ.operations()])


# ---------------------------------------------------------------------------- one document


class _Side:
    """One document with the schema questions the comparison asks, answered once."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.index = SchemaIndex(document)
        self._declared: dict[str, dict[str, tuple[Any, str]]] = {}
        self._owners: dict[str, dict[str, str]] = {}
        self._required: dict[str, set[str]] = {}
        self.tags: dict[str, set[str]] = {}
        """Schema name -> every ``@type`` tag mapped to it, in any discriminator."""
        for name in self.index.schemas:
            for tag, target in self.index.discriminator_mapping(name).items():
                self.tags.setdefault(target, set()).add(tag)

    def schema(self, name: str) -> dict[str, Any]:
        return self.index.get(name)

    def declared(self, name: str) -> dict[str, tuple[Any, str]]:
        """Properties ``name`` declares itself, inline ``allOf`` members included: node, pointer."""
        if name not in self._declared:
            found: dict[str, tuple[Any, str]] = {}
            self._walk_declared(self.schema(name), ("components", "schemas", name), found)
            self._declared[name] = found
        return self._declared[name]

    def _walk_declared(
        self, node: Any, where: tuple[str | int, ...], found: dict[str, tuple[Any, str]]
    ) -> None:
        if not isinstance(node, dict) or ref_name(node) is not None:
            return
        for index, member in enumerate(node.get("allOf") or []):
            self._walk_declared(member, (*where, "allOf", index), found)
        for key, value in (node.get("properties") or {}).items():
            found[key] = (value, pointer(*where, "properties", key))

    def owners(self, name: str, seen: frozenset[str] = frozenset()) -> dict[str, str]:
        """Every property of ``name`` (inherited ones included) -> the schema declaring it."""
        if name in self._owners:
            return self._owners[name]
        merged: dict[str, str] = {}
        for base in self.bases(name):
            if base in self.index.schemas and base not in seen:
                merged.update(self.owners(base, seen | {name}))
        merged.update(dict.fromkeys(self.declared(name), name))
        if not seen:
            self._owners[name] = merged
        return merged

    def bases(self, name: str) -> list[str]:
        found: list[str] = []
        self._walk_bases(self.schema(name), found)
        return found

    def _walk_bases(self, node: Any, found: list[str]) -> None:
        for member in node.get("allOf") or [] if isinstance(node, dict) else []:
            base = ref_name(member)
            if base is not None:
                found.append(base)
            else:
                self._walk_bases(member, found)

    def required(self, name: str) -> set[str]:
        if name not in self._required:
            self._required[name] = set(self.index.required(name))
        return self._required[name]

    def property_node(self, name: str, prop: str) -> Any:
        owner = self.owners(name).get(prop)
        return self.declared(owner)[prop][0] if owner else None

    def operations(self) -> dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """operationId -> (method, path, operation, path item)."""
        found: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {}
        for path, item in (self.document.data.get("paths") or {}).items():
            item = self.document.deref(item)
            for method in _METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found[str(op.get("operationId") or f"{method} {path}")] = (
                        method,
                        path,
                        op,
                        item,
                    )
        return found


# ---------------------------------------------------------------------------- comparison


class _Differ:
    def __init__(self, old: _Side, new: _Side) -> None:
        self.old = old
        self.new = new
        self.renames = _renames(old, new)
        """Old schema name -> new schema name, for schemas recognised as renamed."""

    # ------------------------------------------------------------------ helpers

    def _name(self, old_name: str) -> str:
        return self.renames.get(old_name, old_name)

    def _sig(self, side: _Side, node: Any) -> str:
        """A type signature of a schema node; old names read through the renames."""
        rename = self._name if side is self.old else None
        return _signature(node, rename)

    @staticmethod
    def _change(
        kind: str, impact: Impact, where: str, message: str, document: Literal["old", "new"]
    ) -> Change:
        return Change(kind=kind, impact=impact, pointer=where, message=message, document=document)

    # ------------------------------------------------------------------ schemas

    def schemas(self) -> Iterator[Change]:
        old_names = list(self.old.index.schemas)
        new_names = list(self.new.index.schemas)
        renamed_to = set(self.renames.values())
        for name in old_names:
            target = self._name(name)
            where = pointer("components", "schemas", name)
            if name in self.renames:
                yield self._change(
                    "schema-renamed",
                    "breaking-sdk",
                    pointer("components", "schemas", target),
                    f"schema {name} renamed to {target} (same shape and @type tags; "
                    "the model class is renamed)",
                    "new",
                )
            elif name not in self.new.index.schemas:
                yield self._change(
                    "schema-removed", "breaking-sdk", where, f"schema {name} removed", "old"
                )
                continue
            yield from self._schema(name, target)
        for name in new_names:
            if name not in self.old.index.schemas and name not in renamed_to:
                yield self._change(
                    "schema-added",
                    "compatible",
                    pointer("components", "schemas", name),
                    f"schema {name} added",
                    "new",
                )

    def _schema(self, old_name: str, name: str) -> Iterator[Change]:
        old, new = self.old, self.new
        where = pointer("components", "schemas", name)
        old_schema, new_schema = old.schema(old_name), new.schema(name)
        old_type, new_type = old_schema.get("type"), new_schema.get("type")
        if old_type != new_type and old_type is not None and new_type is not None:
            yield self._change(
                "schema-retyped",
                "breaking-sdk",
                where + "/type",
                f"schema {name} retyped from {old_type} to {new_type}",
                "new",
            )
        yield from self._enum(old_schema, new_schema, where, name)
        # allOf bases
        old_bases = [self._name(b) for b in old.bases(old_name)]
        new_bases = new.bases(name)
        for base in new_bases:
            if base not in old_bases:
                yield self._change(
                    "base-added",
                    "compatible",
                    where + "/allOf",
                    f"{name} now inherits from {base}",
                    "new",
                )
        for base in old_bases:
            if base not in new_bases:
                yield self._change(
                    "base-removed",
                    "breaking-sdk",
                    pointer("components", "schemas", old_name, "allOf"),
                    f"{name} no longer inherits from {base}",
                    "old",
                )
        yield from self._properties(old_name, name)
        yield from self._required(old_name, name)
        yield from self._mapping(old_name, name)

    def _properties(self, old_name: str, name: str) -> Iterator[Change]:
        old, new = self.old, self.new
        old_declared, new_declared = old.declared(old_name), new.declared(name)
        old_owners, new_owners = old.owners(old_name), new.owners(name)
        new_required = new.required(name)
        for prop, (old_node, old_where) in old_declared.items():
            label = f"{name}.{prop}"
            if prop in new_declared:
                new_node, new_where = new_declared[prop]
                yield from self._retyped(old_node, new_node, new_where, label)
                continue
            owner = new_owners.get(prop)
            if owner is None:
                yield self._change(
                    "property-removed", "breaking-sdk", old_where, f"{label} removed", "old"
                )
                continue
            owner_where = new.declared(owner)[prop][1]
            yield self._change(
                "property-moved",
                "compatible",
                owner_where,
                f"{label} moved into the allOf base {owner}",
                "new",
            )
            yield from self._retyped(old_node, new.declared(owner)[prop][0], owner_where, label)
        for prop, (new_node, new_where) in new_declared.items():
            if prop in old_declared:
                continue
            label = f"{name}.{prop}"
            if prop in old_owners:
                # Redeclared here, inherited before: only a different type matters.
                yield from self._retyped(
                    old.property_node(old_name, prop), new_node, new_where, label
                )
                continue
            required = prop in new_required
            yield self._change(
                "property-added",
                "breaking-wire" if required and not _is_input(name) else "compatible",
                new_where,
                f"{label} added" + (" (required)" if required else ""),
                "new",
            )
            yield from self._enum({}, new_node, new_where, label)

    def _retyped(self, old_node: Any, new_node: Any, where: str, label: str) -> Iterator[Change]:
        before, after = self._sig(self.old, old_node), self._sig(self.new, new_node)
        if before != after:
            yield self._change(
                "property-retyped",
                "breaking-sdk",
                where,
                f"{label} retyped from {before} to {after}",
                "new",
            )
        yield from self._enum(old_node, new_node, where, label)

    def _enum(self, old_node: Any, new_node: Any, where: str, label: str) -> Iterator[Change]:
        for suffix, old_values, new_values in _enums(old_node, new_node):
            for value in new_values:
                if value not in old_values:
                    yield self._change(
                        "enum-value-added",
                        "compatible",
                        where + suffix,
                        f"{label}: enum value {value!r} added",
                        "new",
                    )
            for value in old_values:
                if value not in new_values:
                    yield self._change(
                        "enum-value-removed",
                        "breaking-sdk",
                        where + suffix,
                        f"{label}: enum value {value!r} removed",
                        "new",
                    )

    def _required(self, old_name: str, name: str) -> Iterator[Change]:
        old, new = self.old, self.new
        before, after = old.required(old_name), new.required(name)
        common = set(old.owners(old_name)) & set(new.owners(name))
        is_input = _is_input(name)
        for prop in sorted(common & (before ^ after)):
            owner = new.owners(name)[prop]
            if owner != name and old.owners(old_name).get(prop) == self._old_name(owner):
                owner_before = prop in old.required(self._old_name(owner))
                owner_after = prop in new.required(owner)
                if owner_before == (prop in before) and owner_after == (prop in after):
                    continue  # reported on the base that declares it
            made_required = prop in after
            label = f"{name}.{prop}"
            if is_input:
                kind = "mandatory-added" if made_required else "mandatory-removed"
                impact: Impact = "breaking-sdk" if made_required else "compatible"
                text = f"{label} {'now' if made_required else 'no longer'} mandatory in input"
            else:
                kind = "property-required" if made_required else "property-optional"
                impact = "breaking-wire" if made_required else "breaking-sdk"
                text = f"{label} made {'required' if made_required else 'optional'}"
            yield self._change(kind, impact, _required_where(new, name, prop), text, "new")

    def _old_name(self, new_name: str) -> str:
        for old_name, renamed in self.renames.items():
            if renamed == new_name:
                return old_name
        return new_name

    def _mapping(self, old_name: str, name: str) -> Iterator[Change]:
        before = {
            tag: self._name(target)
            for tag, target in self.old.index.discriminator_mapping(old_name).items()
        }
        after = self.new.index.discriminator_mapping(name)
        where = pointer("components", "schemas", name, "discriminator", "mapping")
        for tag, target in after.items():
            if tag not in before:
                yield self._change(
                    "mapping-added",
                    "compatible",
                    where + pointer(tag),
                    f"{name}: @type {tag!r} -> {target} added",
                    "new",
                )
            elif before[tag] != target:
                yield self._change(
                    "mapping-retargeted",
                    "breaking-sdk",
                    where + pointer(tag),
                    f"{name}: @type {tag!r} now maps to {target}, was {before[tag]}",
                    "new",
                )
        for tag, target in before.items():
            if tag not in after:
                yield self._change(
                    "mapping-removed",
                    "breaking-wire",
                    pointer("components", "schemas", old_name, "discriminator", "mapping", tag),
                    f"{name}: @type {tag!r} -> {target} removed",
                    "old",
                )

    # ------------------------------------------------------------------ operations

    def operations(self) -> Iterator[Change]:
        old_ops, new_ops = self.old.operations(), self.new.operations()
        for op_id, (method, path, _, _) in old_ops.items():
            if op_id not in new_ops:
                yield self._change(
                    "operation-removed",
                    "breaking-sdk",
                    pointer("paths", path, method),
                    f"operation {op_id} ({method.upper()} {path}) removed",
                    "old",
                )
                continue
            new_method, new_path, _, _ = new_ops[op_id]
            if (method, path) != (new_method, new_path):
                yield self._change(
                    "operation-moved",
                    "breaking-wire",
                    pointer("paths", new_path, new_method),
                    f"operation {op_id} moved from {method.upper()} {path} to "
                    f"{new_method.upper()} {new_path}",
                    "new",
                )
            yield from self._operation(op_id, old_ops[op_id], new_ops[op_id])
        for op_id, (method, path, _, _) in new_ops.items():
            if op_id not in old_ops:
                yield self._change(
                    "operation-added",
                    "compatible",
                    pointer("paths", path, method),
                    f"operation {op_id} ({method.upper()} {path}) added",
                    "new",
                )

    def _operation(
        self,
        op_id: str,
        old: tuple[str, str, dict[str, Any], dict[str, Any]],
        new: tuple[str, str, dict[str, Any], dict[str, Any]],
    ) -> Iterator[Change]:
        old_where = pointer("paths", old[1], old[0])
        new_where = pointer("paths", new[1], new[0])
        yield from self._parameters(op_id, old, new)
        yield from self._request(op_id, old[2], new[2], old_where, new_where)
        yield from self._responses(op_id, old[2], new[2], old_where, new_where)

    def _params(
        self, side: _Side, entry: tuple[str, str, dict[str, Any], dict[str, Any]]
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        method, path, op, item = entry
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for where, raw in (
            *(
                (pointer("paths", path, "parameters", i), p)
                for i, p in enumerate(item.get("parameters") or [])
            ),
            *(
                (pointer("paths", path, method, "parameters", i), p)
                for i, p in enumerate(op.get("parameters") or [])
            ),
        ):
            param = side.document.deref(raw)
            if isinstance(param, dict) and "name" in param:
                found[(str(param.get("in")), str(param["name"]))] = (param, where)
        return found

    def _parameters(
        self,
        op_id: str,
        old: tuple[str, str, dict[str, Any], dict[str, Any]],
        new: tuple[str, str, dict[str, Any], dict[str, Any]],
    ) -> Iterator[Change]:
        before, after = self._params(self.old, old), self._params(self.new, new)
        for key, (param, where) in after.items():
            location, name = key
            label = f"{op_id}: {location} parameter {name!r}"
            required = bool(param.get("required"))
            if key not in before:
                impact: Impact = "compatible"
                if required:
                    impact = "breaking-sdk" if location == "path" else "breaking-wire"
                text = f"{label} added" + (" (required)" if required else "")
                yield self._change("parameter-added", impact, where, text, "new")
                continue
            old_param = before[key][0]
            if required != bool(old_param.get("required")):
                yield self._change(
                    "parameter-required" if required else "parameter-optional",
                    "breaking-wire" if required else "compatible",
                    where,
                    f"{label} made {'required' if required else 'optional'}",
                    "new",
                )
            old_type = self._sig(self.old, self.old.document.deref(old_param.get("schema") or {}))
            new_type = self._sig(self.new, self.new.document.deref(param.get("schema") or {}))
            if old_type != new_type:
                yield self._change(
                    "parameter-retyped",
                    "breaking-wire",
                    where,
                    f"{label} retyped from {old_type} to {new_type}",
                    "new",
                )
        for key, (_, where) in before.items():
            if key not in after:
                location, name = key
                sdk = location == "path" or (location == "query" and name in _SDK_QUERY)
                yield self._change(
                    "parameter-removed",
                    "breaking-sdk" if sdk else "breaking-wire",
                    where,
                    f"{op_id}: {location} parameter {name!r} removed",
                    "old",
                )

    def _content(self, side: _Side, node: Any) -> dict[str, str]:
        """Media type -> schema signature of a request body or response."""
        node = side.document.deref(node) if node is not None else {}
        content = node.get("content") or {} if isinstance(node, dict) else {}
        return {
            str(media): self._sig(side, (value or {}).get("schema"))
            for media, value in content.items()
        }

    def _request(
        self,
        op_id: str,
        old: dict[str, Any],
        new: dict[str, Any],
        old_where: str,
        new_where: str,
    ) -> Iterator[Change]:
        before = self._content(self.old, old.get("requestBody"))
        after = self._content(self.new, new.get("requestBody"))
        where = new_where + "/requestBody/content"
        for media, schema in after.items():
            if media not in before:
                yield self._change(
                    "request-media-type-added",
                    "compatible",
                    where + pointer(media),
                    f"{op_id}: request media type {media} added",
                    "new",
                )
            elif before[media] != schema:
                yield self._change(
                    "request-schema-changed",
                    "breaking-sdk",
                    where + pointer(media, "schema"),
                    f"{op_id}: {media} request body changed from {before[media]} to {schema}",
                    "new",
                )
        for media in before:
            if media not in after:
                yield self._change(
                    "request-media-type-removed",
                    "breaking-wire",
                    old_where + "/requestBody/content" + pointer(media),
                    f"{op_id}: request media type {media} removed",
                    "old",
                )

    def _responses(
        self,
        op_id: str,
        old: dict[str, Any],
        new: dict[str, Any],
        old_where: str,
        new_where: str,
    ) -> Iterator[Change]:
        before = {str(k): v for k, v in (old.get("responses") or {}).items()}
        after = {str(k): v for k, v in (new.get("responses") or {}).items()}
        gone = [s for s in before if s not in after and s.startswith("2")]
        came = [s for s in after if s not in before and s.startswith("2")]
        if len(gone) == 1 and len(came) == 1:
            yield self._change(
                "response-status-changed",
                "breaking-wire",
                new_where + pointer("responses", came[0]),
                f"{op_id}: success status {gone[0]} changed to {came[0]}",
                "new",
            )
            before[came[0]] = before.pop(gone[0])
        for status, response in after.items():
            where = new_where + pointer("responses", status)
            if status not in before:
                yield self._change(
                    "response-added",
                    "compatible",
                    where,
                    f"{op_id}: response {status} added",
                    "new",
                )
                continue
            old_content = self._content(self.old, before[status])
            new_content = self._content(self.new, response)
            for media, schema in new_content.items():
                if media in old_content and old_content[media] != schema:
                    yield self._change(
                        "response-schema-changed",
                        "breaking-sdk",
                        where + pointer("content", media, "schema"),
                        f"{op_id}: response {status} {media} body changed from "
                        f"{old_content[media]} to {schema}",
                        "new",
                    )
            old_headers = set(_headers(self.old, before[status]))
            new_headers = _headers(self.new, response)
            for header in new_headers:
                if header not in old_headers:
                    yield self._change(
                        "response-header-added",
                        "compatible",
                        where + pointer("headers", header),
                        f"{op_id}: response {status} header {header} added",
                        "new",
                    )
            for header in _headers(self.old, before[status]):
                if header not in new_headers:
                    yield self._change(
                        "response-header-removed",
                        "breaking-wire",
                        old_where + pointer("responses", status, "headers", header),
                        f"{op_id}: response {status} header {header} removed",
                        "old",
                    )
        for status in before:
            if status not in after:
                success = status.startswith("2")
                yield self._change(
                    "response-removed",
                    "breaking-wire" if success else "compatible",
                    old_where + pointer("responses", status),
                    f"{op_id}: response {status} removed",
                    "old",
                )


# ---------------------------------------------------------------------------- pure helpers


def _is_input(name: str) -> bool:
    return name.endswith(_INPUT_SUFFIXES)


def _required_where(side: _Side, name: str, prop: str) -> str:
    """Pointer to the ``required`` list of ``name`` naming ``prop`` (else to the schema)."""
    where: tuple[str | int, ...] = ("components", "schemas", name)
    node: Any = side.schema(name)
    while isinstance(node, dict):
        if prop in (node.get("required") or []):
            return pointer(*where, "required")
        inline = [(i, m) for i, m in enumerate(node.get("allOf") or []) if ref_name(m) is None]
        holding = [(i, m) for i, m in inline if prop in (m.get("required") or []) or m.get("allOf")]
        if not holding:
            break
        index, node = holding[0]
        where = (*where, "allOf", index)
    return pointer(*where)


def _headers(side: _Side, response: Any) -> list[str]:
    node = side.document.deref(response)
    return [str(h) for h in (node.get("headers") or {})] if isinstance(node, dict) else []


def _enums(old_node: Any, new_node: Any) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """(pointer suffix, old values, new values) for an inline enum and an array items' enum."""
    for suffix, path in (("/enum", ()), ("/items/enum", ("items",))):
        old_values, new_values = _enum_at(old_node, path), _enum_at(new_node, path)
        if old_values != new_values and (old_values or new_values):
            yield suffix, old_values, new_values


def _enum_at(node: Any, path: tuple[str, ...]) -> list[Any]:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or ref_name(node) is not None:
        return []
    return list(node.get("enum") or [])


def _signature(node: Any, rename: Any = None) -> str:
    """``string(date-time)``, ``TimePeriod``, ``array[AccountRef]``... (enums left out)."""
    if not isinstance(node, dict):
        return "none" if node is None else "any"
    name = ref_name(node)
    if name is not None:
        return str(rename(name)) if rename else name
    for combinator in ("oneOf", "anyOf", "allOf"):
        if node.get(combinator):
            members = sorted(_signature(m, rename) for m in node[combinator])
            return f"{combinator}[{', '.join(members)}]"
    kind = str(node.get("type", "any"))
    if kind == "array":
        return f"array[{_signature(node.get('items'), rename)}]"
    if kind == "object" and node.get("properties"):
        props = sorted(node["properties"].items())
        inner = ", ".join(f"{key}: {_signature(value, rename)}" for key, value in props)
        return f"object{{{inner}}}"
    text = f"{kind}({node['format']})" if node.get("format") else kind
    return text + " | null" if node.get("nullable") else text


def _shape(node: Any, self_name: str) -> Any:
    """The schema without documentation, references reduced to names (itself as ``<self>``)."""
    if isinstance(node, list):
        return [_shape(item, self_name) for item in node]
    if not isinstance(node, dict):
        return node
    name = ref_name(node)
    if name is not None:
        return {"$ref": "<self>" if name == self_name else name}
    shaped: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NOISE:
            continue
        if key == "mapping" and isinstance(value, dict):
            shaped[key] = {
                tag: "<self>" if str(target).rsplit("/", 1)[-1] == self_name else target
                for tag, target in value.items()
            }
        elif key == "properties" and isinstance(value, dict):
            shaped[key] = {prop: _shape(sub, self_name) for prop, sub in value.items()}
        else:
            shaped[key] = _shape(value, self_name)
    return shaped


def _renames(old: _Side, new: _Side) -> dict[str, str]:
    """Schemas gone from ``old`` whose shape and ``@type`` tags reappear under one new name."""
    gone = [n for n in old.index.schemas if n not in new.index.schemas]
    came = [n for n in new.index.schemas if n not in old.index.schemas]
    if not gone or not came:
        return {}

    def key(side: _Side, name: str) -> str:
        shape = _shape(side.schema(name), name)
        tags = sorted(side.tags.get(name, ()))
        return json.dumps([shape, tags], sort_keys=True, default=str)

    candidates: dict[str, list[str]] = {}
    for name in came:
        candidates.setdefault(key(new, name), []).append(name)
    found: dict[str, list[str]] = {}
    for name in gone:
        found.setdefault(key(old, name), []).append(name)
    renames: dict[str, str] = {}
    for shape, olds in found.items():
        news = candidates.get(shape, [])
        if len(olds) == 1 and len(news) == 1:
            renames[olds[0]] = news[0]
    return renames
