"""The TMF query language: parse a query string into a typed filter, and evaluate it in memory.

Grammar (TMF REST Design Guidelines, as used by v5 APIs):

* ``attr=value`` - equality; ``attr`` may be a dotted path into sub-resources and arrays
  (``contactMedium.characteristic.city=Paris`` matches when *any* element matches);
* ``attr.<op>=value`` with ``op`` one of ``eq ne gt gte lt lte regex`` as the final segment;
* ``attr=a,b`` - OR of the values (for ``ne``: none of the values);
* several parameters are ANDed;
* ``sort=name,-creditScore`` - ascending, ``-`` for descending;
* ``fields``, ``offset``, ``limit`` are not filters.

Values compare as numbers when the filter value is a number, as date-times when it is an ISO
date-time, as booleans for ``true``/``false`` (equality), else as strings. A value typed as a
number (or date-time) only matches document values of that type. The same parsed
:class:`Filter` is translated to SQL by the PostgreSQL store.

Regular expressions are evaluated so that a hostile pattern cannot hang the server: patterns are
at most :data:`MAX_REGEX_LENGTH` characters, run with the ``regex`` engine under a per-match
timeout (:data:`REGEX_TIMEOUT`; a pattern that times out is answered 400) on subjects of bounded
length. Without the ``regex`` package, the stdlib ``re`` is used and patterns with
back-references or quantified groups that contain quantifiers or alternations (the shapes of
catastrophic backtracking) are refused instead.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl

from tmf629_mock.errors import bad_request

_engine: Any
try:
    _engine = importlib.import_module("regex")
    REGEX_TIMEOUT_SUPPORTED = True
except ImportError:  # pragma: no cover - the ``regex`` package is a declared dependency
    _engine = re
    REGEX_TIMEOUT_SUPPORTED = False

__all__ = [
    "MAX_REGEX_LENGTH",
    "RESERVED_PARAMETERS",
    "Condition",
    "Filter",
    "SortKey",
    "TypedValue",
    "matcher",
    "matches",
    "parse_filter",
    "parse_sort",
    "resolve_path",
    "sort_documents",
]

Operator = Literal["eq", "ne", "gt", "gte", "lt", "lte", "regex"]
OPERATORS: tuple[Operator, ...] = ("eq", "ne", "gt", "gte", "lt", "lte", "regex")
RESERVED_PARAMETERS = frozenset({"fields", "offset", "limit", "sort", "depth", "expand"})
MAX_REGEX_LENGTH = 256
MAX_REGEX_SUBJECT = 10_000
REGEX_TIMEOUT = 0.05

_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True)
class TypedValue:
    raw: str
    kind: Literal["number", "datetime", "bool", "string"]
    number: float = 0.0
    moment: datetime | None = None
    flag: bool = False


@dataclass(frozen=True)
class Condition:
    path: tuple[str, ...]
    op: Operator
    values: tuple[TypedValue, ...]
    pattern: Any = None
    """A compiled pattern of the regex engine in use (``regex`` or ``re``)."""


@dataclass(frozen=True)
class Filter:
    conditions: tuple[Condition, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.conditions)


@dataclass(frozen=True)
class SortKey:
    path: tuple[str, ...]
    descending: bool = False


def parse_datetime(text: str) -> datetime | None:
    if not _DATETIME_RE.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def typed(raw: str) -> TypedValue:
    if _NUMBER_RE.match(raw):
        number = float(raw)
        if math.isfinite(number):
            return TypedValue(raw, "number", number=number)
    moment = parse_datetime(raw)
    if moment is not None:
        return TypedValue(raw, "datetime", moment=moment)
    if raw in ("true", "false"):
        return TypedValue(raw, "bool", flag=raw == "true")
    return TypedValue(raw, "string")


def _catastrophic(pattern: str) -> bool:
    """Back-references, or a quantified group containing a quantifier or an alternation."""
    if re.search(r"\\[1-9]|\(\?P=", pattern):
        return True
    stack: list[bool] = []  # per open group: does it contain a quantifier / alternation?
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            stack.append(False)
        elif char in "*+{|?" and stack and not (char == "?" and pattern[index - 1] == "("):
            stack[-1] = True
        elif char == ")" and stack:
            risky = stack.pop()
            following = pattern[index + 1 : index + 2]
            if risky and following in ("*", "+", "{"):
                return True
            if stack and (risky or following in ("*", "+", "{", "?")):
                stack[-1] = True
        index += 1
    return False


def compile_regex(pattern: str) -> Any:
    if len(pattern) > MAX_REGEX_LENGTH:
        raise bad_request(
            f"Regular expression longer than {MAX_REGEX_LENGTH} characters", reason="Invalid filter"
        )
    if not REGEX_TIMEOUT_SUPPORTED and _catastrophic(pattern):
        raise bad_request(
            f"Regular expression {pattern!r} is too expensive to evaluate", reason="Invalid filter"
        )
    try:
        return _engine.compile(pattern)
    except (_engine.error, ValueError, OverflowError) as exc:
        raise bad_request(
            f"Invalid regular expression {pattern!r}: {exc}", reason="Invalid filter"
        ) from exc


def _split_path(name: str) -> tuple[tuple[str, ...], Operator]:
    segments = name.split(".")
    op: Operator = "eq"
    last = segments[-1]
    if len(segments) > 1 and last in OPERATORS:
        op = last
        segments = segments[:-1]
    if any(not segment for segment in segments):
        raise bad_request(f"Invalid filter attribute {name!r}", reason="Invalid filter")
    return tuple(segments), op


def query_pairs(query_string: str | bytes) -> list[tuple[str, str]]:
    text = query_string.decode("latin-1") if isinstance(query_string, bytes) else query_string
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False)
    except ValueError as exc:
        raise bad_request(f"Malformed query string: {exc}", reason="Invalid filter") from exc


def parse_filter(
    pairs: Iterable[tuple[str, str]],
    *,
    known_attributes: Iterable[str] | None = None,
    ignore: Iterable[str] = RESERVED_PARAMETERS,
) -> Filter:
    """Parse filter parameters; ``known_attributes`` (first-level names) are checked if given."""
    known = frozenset(known_attributes) if known_attributes is not None else None
    skip = frozenset(ignore)
    conditions: list[Condition] = []
    for name, raw_value in pairs:
        if name in skip:
            continue
        path, op = _split_path(name)
        if known is not None and path[0] not in known:
            raise bad_request(
                f"Unknown attribute {path[0]!r} in filter {name!r}", reason="Invalid filter"
            )
        if op == "regex":
            conditions.append(
                Condition(path, op, (TypedValue(raw_value, "string"),), compile_regex(raw_value))
            )
            continue
        raws = raw_value.split(",") if raw_value != "" else [""]
        conditions.append(Condition(path, op, tuple(typed(item) for item in raws)))
    return Filter(tuple(conditions))


def parse_sort(
    value: str | None, *, known_attributes: Iterable[str] | None = None
) -> list[SortKey]:
    if not value:
        return []
    known = frozenset(known_attributes) if known_attributes is not None else None
    keys: list[SortKey] = []
    for item in value.split(","):
        item = item.strip()
        descending = item.startswith("-")
        name = item.lstrip("+-")
        path = tuple(name.split("."))
        if not name or any(not segment for segment in path):
            raise bad_request(f"Invalid sort attribute {item!r}", reason="Invalid sort")
        if known is not None and path[0] not in known:
            raise bad_request(f"Unknown sort attribute {path[0]!r}", reason="Invalid sort")
        keys.append(SortKey(path, descending))
    return keys


def resolve_path(document: Any, path: Sequence[str]) -> Iterator[Any]:
    """Every value at ``path``, descending into arrays at each step (and at the leaf)."""
    current: list[Any] = [document]
    for segment in path:
        following: list[Any] = []
        for value in current:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, Mapping) and segment in item:
                    following.append(item[segment])
        current = following
    for value in current:
        if isinstance(value, list):
            yield from value
        else:
            yield value


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_RE.match(value):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _compare(op: Operator, left: Any, right: Any) -> bool:
    if op == "eq":
        return bool(left == right)
    if op == "gt":
        return bool(left > right)
    if op == "gte":
        return bool(left >= right)
    if op == "lt":
        return bool(left < right)
    if op == "lte":
        return bool(left <= right)
    raise AssertionError(op)


def _value_matches(value: Any, op: Operator, expected: TypedValue) -> bool:
    """``op`` is never ``ne`` here (``ne`` is ``not any(eq)``)."""
    if expected.kind == "number":
        number = _as_number(value)
        return number is not None and _compare(op, number, expected.number)
    if expected.kind == "datetime":
        moment = parse_datetime(value) if isinstance(value, str) else None
        return moment is not None and _compare(op, moment, expected.moment)
    if expected.kind == "bool" and isinstance(value, bool):
        return op == "eq" and value is expected.flag
    if isinstance(value, str):
        return _compare(op, value, expected.raw)
    return False


def condition_matches(document: Any, condition: Condition) -> bool:
    values = list(resolve_path(document, condition.path))
    if condition.op == "regex":
        assert condition.pattern is not None
        pattern = condition.pattern
        return any(
            isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and _regex_search(pattern, str(value))
            for value in values
        )
    if condition.op == "ne":
        return not any(
            _value_matches(value, "eq", expected)
            for value in values
            for expected in condition.values
        )
    return any(
        _value_matches(value, condition.op, expected)
        for value in values
        for expected in condition.values
    )


def _regex_search(pattern: Any, subject: str) -> bool:
    if not REGEX_TIMEOUT_SUPPORTED:  # pragma: no cover
        return pattern.search(subject[:MAX_REGEX_SUBJECT]) is not None
    try:
        return pattern.search(subject[:MAX_REGEX_SUBJECT], timeout=REGEX_TIMEOUT) is not None
    except TimeoutError as exc:
        raise bad_request(
            f"Regular expression {pattern.pattern!r} is too expensive to evaluate",
            reason="Invalid filter",
        ) from exc


def matches(document: Any, filter_: Filter) -> bool:
    return all(condition_matches(document, condition) for condition in filter_.conditions)


def _string_condition(condition: Condition) -> Callable[[Any], bool] | None:
    """A faster :func:`condition_matches` for ``eq``/``ne`` with string values only (the most
    common filter): a value at the path matches when it is a string equal to one of them."""
    if condition.op not in ("eq", "ne") or any(v.kind != "string" for v in condition.values):
        return None
    wanted = frozenset(value.raw for value in condition.values)
    path = condition.path
    negated = condition.op == "ne"
    if len(path) == 1:
        key = path[0]

        def top_level(document: Any) -> bool:
            if isinstance(document, Mapping):
                value = document.get(key)
                if isinstance(value, str):
                    return (value in wanted) is not negated
                if isinstance(value, list):
                    hit = any(isinstance(item, str) and item in wanted for item in value)
                    return hit is not negated
            elif isinstance(document, list):
                return condition_matches(document, condition)
            return negated

        return top_level

    def nested(document: Any) -> bool:
        hit = any(
            isinstance(value, str) and value in wanted for value in resolve_path(document, path)
        )
        return hit is not negated

    return nested


def _matches_one(condition: Condition, document: Any) -> bool:
    return condition_matches(document, condition)


def matcher(filter_: Filter) -> Callable[[Any], bool]:
    """``lambda document: matches(document, filter_)``, prepared once for many documents."""
    checks: list[Callable[[Any], bool]] = []
    for condition in filter_.conditions:
        fast = _string_condition(condition)
        checks.append(fast if fast is not None else functools.partial(_matches_one, condition))
    if len(checks) == 1:
        return checks[0]
    return lambda document: all(check(document) for check in checks)


def sort_value(document: Any, path: Sequence[str]) -> tuple[int, float, str] | None:
    """Sort key of the first value at ``path``: numbers, then strings, then anything else."""
    for value in resolve_path(document, path):
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (0, float(value), "")
        if isinstance(value, str):
            return (1, 0.0, value)
        if isinstance(value, bool):
            return (2, 0.0, "true" if value else "false")
        return (3, 0.0, "")
    return None


def sort_documents(
    documents: list[dict[str, Any]], keys: Sequence[SortKey]
) -> list[dict[str, Any]]:
    """Stable multi-key sort; documents without the attribute come last in either direction."""
    result = list(documents)
    for key in reversed(keys):
        present = [(sort_value(doc, key.path), doc) for doc in result]
        with_value = [(value, doc) for value, doc in present if value is not None]
        without = [doc for value, doc in present if value is None]
        with_value.sort(key=lambda pair: pair[0], reverse=key.descending)
        result = [doc for _, doc in with_value] + without
    return result
