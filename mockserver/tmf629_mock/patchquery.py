"""JSON Patch Query (``application/json-patch-query+json``, TMF630): JSON Patch whose paths may
select array elements by their content.

A path segment ``?(<condition>)`` stands for every element of the array at that point that meets
the condition: ``attribute==value`` or ``attribute!=value``, joined by ``&&``; the attribute may
be written ``@.name``, ``@name`` (so ``@type``) or ``name``, and the value is a quoted string, a
number, ``true``, ``false`` or ``null``. :func:`expand` turns such operations into plain JSON Patch
operations on the matching indices (removals from the highest index down, so the others stay
valid), which are then applied atomically like any JSON Patch. A condition no element meets, or
one that cannot be read, is a 400; ``from`` paths must be plain JSON Pointers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tmf629_mock.errors import TmfError, bad_request

__all__ = ["expand"]

_CONDITION = re.compile(r"\s*(?:@\.)?([^=!&\s]+)\s*(==|!=)\s*")
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|([^\s&)]+)")


def _invalid(message: str) -> TmfError:
    return bad_request(message, reason="Invalid patch")


def _segments(path: str) -> list[str]:
    """``path`` split at the slashes that are not inside a ``?(...)`` condition."""
    if not path.startswith("/"):
        raise _invalid(f"JSON Patch Query path {path!r} must start with '/'")
    segments: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in path[1:]:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and depth:
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "/" and not depth:
            segments.append("".join(current))
            current = []
            continue
        current.append(char)
    if depth or quote:
        raise _invalid(f"Unbalanced condition in JSON Patch Query path {path!r}")
    segments.append("".join(current))
    return segments


def _literal(text: str) -> Any:
    match = _LITERAL.fullmatch(text.strip())
    if match is None:
        raise _invalid(f"Unreadable value {text!r} in JSON Patch Query condition")
    single, double, bare = match.groups()
    if single is not None:
        return single.replace("\\'", "'").replace("\\\\", "\\")
    if double is not None:
        return json.loads(f'"{double}"')
    try:
        return json.loads(bare)
    except ValueError:
        raise _invalid(f"Unreadable value {bare!r} in JSON Patch Query condition") from None


def _condition(segment: str) -> list[tuple[str, str, Any]]:
    """The ``(attribute, operator, value)`` terms of ``?(...)``, all of which must hold."""
    body = segment[2:-1]
    terms = []
    for part in _split_and(body):
        match = _CONDITION.match(part)
        if match is None:
            raise _invalid(f"Unreadable JSON Patch Query condition {segment!r}")
        attribute, operator = match.groups()
        terms.append((attribute, operator, _literal(part[match.end() :])))
    return terms


def _split_and(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif text.startswith("&&", index):
            parts.append("".join(current))
            current = []
            index += 2
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _same(left: Any, right: Any) -> bool:
    """JSON equality: numbers by value (1 is 1.0), booleans only equal booleans."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and bool(left == right)


def _meets(item: Any, terms: list[tuple[str, str, Any]]) -> bool:
    if not isinstance(item, dict):
        return False
    for attribute, operator, value in terms:
        equal = attribute in item and _same(item[attribute], value)
        if (operator == "==") != equal:
            return False
    return True


def _pointer(parts: list[str]) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _resolve(document: Any, path: str) -> list[str]:
    """The plain JSON Pointers ``path`` stands for in ``document``."""
    candidates: list[tuple[list[str], Any]] = [([], document)]
    segments = _segments(path)
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        found: list[tuple[list[str], Any]] = []
        if segment.startswith("?(") and segment.endswith(")"):
            terms = _condition(segment)
            for parts, value in candidates:
                if isinstance(value, list):
                    found += [
                        ([*parts, str(index)], item)
                        for index, item in enumerate(value)
                        if _meets(item, terms)
                    ]
            if not found:
                raise _invalid(f"JSON Patch Query path {path!r} matches no element")
        else:
            name = segment.replace("~1", "/").replace("~0", "~")
            for parts, value in candidates:
                child = None
                if isinstance(value, dict):
                    child = value.get(name)
                elif isinstance(value, list) and name.isdigit() and int(name) < len(value):
                    child = value[int(name)]
                if child is not None or last:
                    found.append(([*parts, name], child))
            if not found:  # let JSON Patch say what is missing, on the first candidate
                found = [([*candidates[0][0], name], None)]
        candidates = found
    return [_pointer(parts) for parts, _value in candidates]


def expand(document: Any, operations: Any) -> list[Any]:
    """Plain JSON Patch operations equivalent to the JSON Patch Query ``operations``."""
    if not isinstance(operations, list):
        raise _invalid("A JSON Patch Query body must be an array of operations")
    expanded: list[Any] = []
    for operation in operations:
        path = operation.get("path") if isinstance(operation, dict) else None
        if not isinstance(path, str) or "?(" not in path:
            expanded.append(operation)  # plain JSON Patch: jsonpatch judges it
            continue
        if "?(" in str(operation.get("from", "")):
            raise _invalid("A JSON Patch Query 'from' must be a plain JSON Pointer")
        pointers = _resolve(document, path)
        if operation.get("op") == "remove":
            pointers.reverse()  # highest index first: the others keep theirs
        expanded += [{**operation, "path": pointer} for pointer in pointers]
    return expanded
