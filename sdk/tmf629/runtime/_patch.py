"""PATCH bodies: JSON Merge Patch (RFC 7386, mandatory in TMF) and JSON Patch (RFC 6902)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from pydantic import BaseModel

from ._models import encode_json_body

__all__ = [
    "JSON_PATCH_CONTENT_TYPE",
    "MERGE_PATCH_CONTENT_TYPE",
    "JsonPatch",
    "PatchInput",
    "encode_patch",
    "escape_pointer_token",
    "json_pointer",
    "patch_content_type",
    "unescape_pointer_token",
]

MERGE_PATCH_CONTENT_TYPE = "application/merge-patch+json"
JSON_PATCH_CONTENT_TYPE = "application/json-patch+json"

PointerLike: TypeAlias = str | Sequence[str | int]


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token (RFC 6901): ``~`` -> ``~0``, ``/`` -> ``~1``."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def json_pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from raw tokens: ``json_pointer("a/b", 0)`` -> ``"/a~1b/0"``."""
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def _pointer(path: PointerLike) -> str:
    if isinstance(path, str):
        if path and not path.startswith("/"):
            raise ValueError(f"JSON pointer {path!r} must be empty or start with '/'")
        return path
    return json_pointer(*path)


class JsonPatch:
    """A JSON Patch document built fluently.

    Paths are JSON pointers (``"/contactMedium/0/preferred"``) or sequences of raw tokens
    (``["contactMedium", 0, "preferred"]``), which are escaped for you.
    """

    def __init__(self) -> None:
        self.operations: list[dict[str, Any]] = []

    def _op(self, op: str, path: PointerLike, **extra: Any) -> JsonPatch:
        self.operations.append({"op": op, "path": _pointer(path), **extra})
        return self

    def add(self, path: PointerLike, value: Any) -> JsonPatch:
        return self._op("add", path, value=value)

    def remove(self, path: PointerLike) -> JsonPatch:
        return self._op("remove", path)

    def replace(self, path: PointerLike, value: Any) -> JsonPatch:
        return self._op("replace", path, value=value)

    def move(self, from_: PointerLike, path: PointerLike) -> JsonPatch:
        return self._op("move", path, **{"from": _pointer(from_)})

    def copy(self, from_: PointerLike, path: PointerLike) -> JsonPatch:
        return self._op("copy", path, **{"from": _pointer(from_)})

    def test(self, path: PointerLike, value: Any) -> JsonPatch:
        return self._op("test", path, value=value)

    def to_list(self) -> list[dict[str, Any]]:
        return [dict(operation) for operation in self.operations]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonPatch) and self.operations == other.operations

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JsonPatch({self.operations!r})"


PatchInput: TypeAlias = BaseModel | Mapping[str, Any] | JsonPatch
"""A merge patch (partial model or dict; ``None`` values delete attributes) or a JSON Patch."""


def patch_content_type(patch: PatchInput) -> str:
    return JSON_PATCH_CONTENT_TYPE if isinstance(patch, JsonPatch) else MERGE_PATCH_CONTENT_TYPE


def encode_patch(patch: PatchInput) -> tuple[str, bytes]:
    """``(content type, body)`` for a PATCH request.

    A model is dumped with ``exclude_unset``: attributes explicitly set to ``None`` become JSON
    ``null`` (remove the attribute) while attributes never set are left out (unchanged).
    """
    body = patch.to_list() if isinstance(patch, JsonPatch) else patch
    return patch_content_type(patch), encode_json_body(body)
