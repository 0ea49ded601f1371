"""Attribute selection (``fields=a,b``): first-level attributes only.

``id``, ``href`` and ``@type`` are always returned; a dotted name selects its first segment;
``fields=none`` returns only the always-returned attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["ALWAYS_RETURNED", "parse_fields", "select_fields"]

ALWAYS_RETURNED = ("id", "href", "@type")


def parse_fields(value: str | None) -> frozenset[str] | None:
    """``None`` when no selection applies (absent or empty parameter)."""
    if value is None or not value.strip():
        return None
    names = {item.strip().split(".")[0] for item in value.split(",")}
    names.discard("")
    names.discard("none")
    return frozenset(names)


def select_fields(
    document: dict[str, Any],
    fields: frozenset[str] | None,
    always: Iterable[str] = ALWAYS_RETURNED,
) -> dict[str, Any]:
    if fields is None:
        return document
    keep = set(fields) | set(always)
    return {key: value for key, value in document.items() if key in keep}
