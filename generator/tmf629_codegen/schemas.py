"""Questions about component schemas that follow ``allOf`` inheritance."""

from __future__ import annotations

from typing import Any

from .loader import Document

__all__ = ["SchemaIndex", "ref_name"]


def ref_name(node: Any) -> str | None:
    """``Customer`` for ``{"$ref": "...#/components/schemas/Customer"}``, else ``None``."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


class SchemaIndex:
    """The component schemas of one OpenAPI document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        components = document.data.get("components") or {}
        self.schemas: dict[str, Any] = dict(components.get("schemas") or {})

    def get(self, name: str) -> dict[str, Any]:
        schema = self.document.deref(self.schemas[name])
        return schema if isinstance(schema, dict) else {}

    def _parts(self, schema: Any, seen: frozenset[str]) -> list[dict[str, Any]]:
        """The schema and every schema it inherits through allOf, bases first."""
        name = ref_name(schema)
        if name is not None:
            if name in seen or name not in self.schemas:
                return []
            return self._parts(self.get(name), seen | {name})
        if not isinstance(schema, dict):
            return []
        parts: list[dict[str, Any]] = []
        for member in schema.get("allOf") or []:
            parts.extend(self._parts(member, seen))
        parts.append(schema)
        return parts

    def properties(self, name: str) -> dict[str, Any]:
        """Every property of ``name``, inherited ones first (later definitions win)."""
        merged: dict[str, Any] = {}
        for part in self._parts({"$ref": f"#/components/schemas/{name}"}, frozenset()):
            for key, value in (part.get("properties") or {}).items():
                merged[key] = value
        return merged

    def required(self, name: str) -> list[str]:
        found: list[str] = []
        for part in self._parts({"$ref": f"#/components/schemas/{name}"}, frozenset()):
            for key in part.get("required") or []:
                if key not in found:
                    found.append(key)
        return found

    def bases(self, name: str) -> list[str]:
        """Direct allOf bases of ``name``."""
        return [n for n in (ref_name(m) for m in self.get(name).get("allOf") or []) if n]

    def discriminator_mapping(self, name: str) -> dict[str, str]:
        """The ``@type`` tag -> schema name mapping declared on ``name`` itself."""
        discriminator = self.get(name).get("discriminator") or {}
        mapping = discriminator.get("mapping") or {}
        return {tag: target.rsplit("/", 1)[-1] for tag, target in mapping.items()}

    def read_only(self, name: str) -> list[str]:
        props = self.properties(name)
        return [key for key, value in props.items() if self._is_read_only(value)]

    def _is_read_only(self, node: Any) -> bool:
        target = self.document.deref(node) if isinstance(node, dict) else node
        return isinstance(target, dict) and bool(target.get("readOnly"))
