"""Typed builders for the TMF query string: filtering, attribute selection and sorting.

Wire format (the mock server implements the same):

* ``attr=value`` equality, ``attr=v1,v2`` equality with any of the values (OR);
* dotted paths reach into sub-resources and arrays: ``contactMedium.characteristic.city=Paris``;
* an operator as the final dotted segment: ``attr.gte=3`` (eq, ne, gt, gte, lt, lte, regex);
  a ``regex`` value is taken whole, so it may contain commas;
* several parameters are ANDed;
* ``fields=name,status`` selects attributes, ``sort=name,-creditScore`` sorts (``-`` descends).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

__all__ = [
    "RESERVED_PARAMS",
    "Filter",
    "FilterInput",
    "FilterValue",
    "Where",
    "build_list_params",
    "fields_param",
    "filter_params",
    "render_value",
    "sort_param",
    "where",
]

RESERVED_PARAMS = frozenset({"fields", "offset", "limit", "sort", "depth", "expand"})

FilterValue: TypeAlias = str | int | float | bool | datetime.date | enum.Enum


def render_value(value: FilterValue) -> str:
    """Render one value for the query string; commas are rejected because they mean OR."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    if "," in text:
        raise ValueError(
            f"filter value {text!r} contains a comma, which the TMF query syntax reads as OR; "
            "pass the alternatives as a list instead"
        )
    return text


def _check_path(path: str) -> str:
    segments = path.split(".")
    if not path or any(not segment for segment in segments):
        raise ValueError(f"invalid attribute path {path!r}")
    if segments[0] in RESERVED_PARAMS:
        raise ValueError(
            f"{segments[0]!r} is a reserved query parameter, not a filterable attribute"
        )
    if any(char in path for char in ",=&"):
        raise ValueError(f"invalid character in attribute path {path!r}")
    return path


@dataclass(frozen=True)
class Filter:
    """A conjunction of query-string conditions; combine filters with ``&``."""

    terms: tuple[tuple[str, str], ...]

    def __and__(self, other: Filter) -> Filter:
        return Filter(self.terms + other.terms)

    def to_params(self) -> list[tuple[str, str]]:
        return list(self.terms)


FilterInput: TypeAlias = Filter | Mapping[str, FilterValue | Sequence[FilterValue]]
"""What list operations accept as ``filter``: a built :class:`Filter` or equality conditions."""


class Where:
    """Conditions on one attribute path; create it with :func:`where`."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, path: str) -> None:
        self.path = _check_path(path)

    def _term(self, operator: str | None, value: FilterValue) -> Filter:
        key = self.path if operator is None else f"{self.path}.{operator}"
        return Filter(((key, render_value(value)),))

    def __eq__(self, value: FilterValue) -> Filter:  # type: ignore[override]
        return self._term(None, value)

    def __ne__(self, value: FilterValue) -> Filter:  # type: ignore[override]
        return self._term("ne", value)

    def in_(self, values: Iterable[FilterValue]) -> Filter:
        """Matches when the attribute equals any of ``values``."""
        rendered = [render_value(value) for value in values]
        if not rendered:
            raise ValueError(f"in_() on {self.path!r} needs at least one value")
        return Filter(((self.path, ",".join(rendered)),))

    def eq(self, value: FilterValue) -> Filter:
        return self._term("eq", value)

    def ne(self, value: FilterValue) -> Filter:
        return self._term("ne", value)

    def gt(self, value: FilterValue) -> Filter:
        return self._term("gt", value)

    def gte(self, value: FilterValue) -> Filter:
        return self._term("gte", value)

    def lt(self, value: FilterValue) -> Filter:
        return self._term("lt", value)

    def lte(self, value: FilterValue) -> Filter:
        return self._term("lte", value)

    def regex(self, pattern: str) -> Filter:
        # The one operator whose value is not split on commas, so ``a{1,3}`` is fine.
        return Filter(((f"{self.path}.regex", pattern),))


def where(path: str) -> Where:
    """Start a condition on a (possibly dotted) attribute path: ``where("status") == "Active"``."""
    return Where(path)


def filter_params(filter: FilterInput | None) -> list[tuple[str, str]]:
    """Query parameters for a :class:`Filter` or a mapping of equality conditions.

    Mapping keys may carry an operator segment (``{"creditScore.gte": 3}``); a sequence value
    means OR.
    """
    if filter is None:
        return []
    if isinstance(filter, Filter):
        return filter.to_params()
    params: list[tuple[str, str]] = []
    for key, value in filter.items():
        _check_path(key)
        if isinstance(value, str) or not isinstance(value, Sequence):
            params.append((key, render_value(value)))
        else:
            params.extend(where(key).in_(value).to_params())
    return params


def _names(kind: str, names: str | Sequence[str]) -> list[str]:
    # A bare string is one name, not a sequence of one-letter names.
    items = [names] if isinstance(names, str) else list(names)
    for name in items:
        if not name or "," in name:
            raise ValueError(f"invalid {kind} entry {name!r}: pass one attribute name per item")
    return items


def fields_param(fields: str | Sequence[str] | None) -> list[tuple[str, str]]:
    if fields is None:
        return []
    return [("fields", ",".join(_names("fields", fields)))]


def sort_param(sort: str | Sequence[str] | None) -> list[tuple[str, str]]:
    """``sort`` items are attribute names, prefixed with ``-`` for descending order."""
    if sort is None:
        return []
    return [("sort", ",".join(_names("sort", sort)))]


def build_list_params(
    *,
    fields: str | Sequence[str] | None = None,
    filter: FilterInput | None = None,
    sort: str | Sequence[str] | None = None,
    offset: int | None = None,
    limit: int | None = None,
) -> list[tuple[str, str]]:
    params = fields_param(fields) + filter_params(filter) + sort_param(sort)
    if offset is not None:
        params.append(("offset", str(offset)))
    if limit is not None:
        params.append(("limit", str(limit)))
    return params
