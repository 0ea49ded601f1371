"""Partial updates: RFC 7386 JSON Merge Patch, RFC 6902 JSON Patch and TMF JSON Patch Query.

``application/merge-patch+json`` and ``application/json`` bodies are merge patches;
``application/json-patch+json`` bodies are JSON Patch documents applied atomically (all six
operations, via ``jsonpatch``); ``application/json-patch-query+json`` bodies are expanded into
JSON Patch first (:mod:`tmf629_mock.patchquery`), for APIs whose spec offers it. Changing a
non-patchable attribute is refused with a 400 naming it, unless the new value equals the
current one (a body repeating ``id``/``href``/``@type`` unchanged is accepted).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import jsonpatch

from tmf629_mock.errors import TmfError, bad_request
from tmf629_mock.patchquery import expand

__all__ = [
    "JSON_PATCH",
    "JSON_PATCH_QUERY",
    "MERGE_PATCH_TYPES",
    "apply_patch",
    "check_non_patchable",
    "merge_patch",
    "patch_kind",
    "strip_nulls",
]

JSON_PATCH = "application/json-patch+json"
JSON_PATCH_QUERY = "application/json-patch-query+json"
MERGE_PATCH_TYPES = ("application/merge-patch+json", "application/json")


def patch_kind(content_type: str | None) -> str:
    media = (content_type or "application/json").split(";")[0].strip().lower()
    if media == JSON_PATCH:
        return "json-patch"
    if media == JSON_PATCH_QUERY:
        return "json-patch-query"
    if media in MERGE_PATCH_TYPES:
        return "merge-patch"
    raise TmfError(415, f"Unsupported patch media type {media!r}")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result: dict[str, Any] = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _json_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    if not isinstance(operations, list):
        raise bad_request(
            "A JSON Patch body must be an array of operations", reason="Invalid patch"
        )
    try:
        patch = jsonpatch.JsonPatch(operations)
        result = patch.apply(document, in_place=False)
    except jsonpatch.JsonPatchTestFailed as exc:
        raise TmfError(409, f"JSON Patch test failed: {exc}", reason="Patch test failed") from exc
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise bad_request(
            f"JSON Patch could not be applied: {exc}", reason="Invalid patch"
        ) from exc
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise bad_request(f"Invalid JSON Patch document: {exc}", reason="Invalid patch") from exc
    if not isinstance(result, dict):
        raise bad_request("JSON Patch must leave an object", reason="Invalid patch")
    return result


def check_non_patchable(
    before: dict[str, Any], after: dict[str, Any], non_patchable: Iterable[str]
) -> None:
    changed = sorted(
        name
        for name in non_patchable
        if (name in before) != (name in after) or before.get(name) != after.get(name)
    )
    if changed:
        names = ", ".join(repr(name) for name in changed)
        raise bad_request(
            f"Non-patchable attribute(s) cannot be changed: {names}",
            reason="Non-patchable attribute",
        )


def apply_patch(
    document: dict[str, Any],
    body: Any,
    kind: str,
    non_patchable: Iterable[str],
) -> dict[str, Any]:
    """The patched copy of ``document``; raises :class:`TmfError` (nothing is changed)."""
    if kind == "json-patch":
        result = _json_patch(document, body)
    elif kind == "json-patch-query":
        result = _json_patch(document, expand(document, body))
    else:
        if not isinstance(body, dict):
            raise bad_request("A merge patch body must be a JSON object", reason="Invalid patch")
        result = merge_patch(document, body)
    check_non_patchable(document, result, non_patchable)
    return result


def strip_nulls(value: Any) -> Any:
    """Merge-patch ``null`` means "remove": validate the patch without those members."""
    if isinstance(value, dict):
        return {key: strip_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [strip_nulls(item) for item in value]
    return value
