"""Unit tests of the query language, attribute selection and patch helpers."""

from __future__ import annotations

import time

import pytest

from tmf629_mock.errors import TmfError
from tmf629_mock.fields import parse_fields, select_fields
from tmf629_mock.patching import apply_patch, merge_patch, patch_kind
from tmf629_mock.query import matches, parse_filter, parse_sort, query_pairs, resolve_path

DOC = {
    "id": "1",
    "name": "Alice",
    "status": "Active",
    "score": 7,
    "contactMedium": [
        {"type": "email", "characteristic": {"emailAddress": "a@x.org"}},
        {"type": "postal", "characteristic": {"city": "Paris"}},
    ],
    "validFor": {"startDateTime": "2024-05-01T10:00:00+02:00"},
}


def check(query: str) -> bool:
    return matches(DOC, parse_filter(query_pairs(query)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=Alice", True),
        ("name=Bob", False),
        ("name=Bob,Alice", True),
        ("name.eq=Alice", True),
        ("name.ne=Alice", False),
        ("name.ne=Bob", True),
        ("score.gt=6", True),
        ("score.gt=7", False),
        ("score.gte=7", True),
        ("score.lt=10", True),
        ("score=7.0", True),
        ("score.lte=6.5", False),
        ("contactMedium.characteristic.city=Paris", True),
        ("contactMedium.characteristic.city=Lyon", False),
        ("contactMedium.type=postal&contactMedium.characteristic.city=Paris", True),
        ("contactMedium.characteristic.emailAddress.regex=@x\\.org$", True),
        ("validFor.startDateTime.lt=2024-05-01T09:00:00Z", True),
        ("validFor.startDateTime.gt=2024-05-01T08:30:00Z", False),
        ("validFor.startDateTime=2024-05-01T08:00:00Z", True),
        ("name=Alice&status=Inactive", False),
        ("missing=x", False),
        ("missing.ne=x", True),
        ("fields=name&offset=1&limit=2&sort=name", True),
    ],
)
def test_matches(query: str, expected: bool) -> None:
    assert check(query) is expected


def test_strings_that_look_like_numbers_compare_numerically() -> None:
    assert matches({"v": "10"}, parse_filter([("v.gt", "9")]))
    assert not matches({"v": "abc"}, parse_filter([("v.gt", "9")]))


def test_known_attributes_are_enforced() -> None:
    with pytest.raises(TmfError) as raised:
        parse_filter([("nope.city", "x")], known_attributes={"name"})
    assert raised.value.status == 400
    assert "nope" in raised.value.message


@pytest.mark.parametrize("pattern", ["(", "[a-", "a" * 1000, "*a"])
def test_bad_regex_is_400(pattern: str) -> None:
    with pytest.raises(TmfError) as raised:
        parse_filter([("name.regex", pattern)])
    assert raised.value.status == 400


def test_catastrophic_regex_is_bounded() -> None:
    filter_ = parse_filter([("name.regex", "^(a|aa)+$")])
    started = time.monotonic()
    with pytest.raises(TmfError) as raised:
        matches({"name": "a" * 200 + "!"}, filter_)
    assert raised.value.status == 400
    assert time.monotonic() - started < 2


def test_resolve_path_descends_arrays() -> None:
    assert list(resolve_path(DOC, ("contactMedium", "type"))) == ["email", "postal"]
    assert list(resolve_path({"a": [[{"b": 1}], {"b": [2, 3]}]}, ("a", "b"))) == [2, 3]


def test_sort_parsing() -> None:
    keys = parse_sort("name,-creditProfile.creditScore")
    assert [(k.path, k.descending) for k in keys] == [
        (("name",), False),
        (("creditProfile", "creditScore"), True),
    ]
    with pytest.raises(TmfError):
        parse_sort("nope", known_attributes={"name"})
    with pytest.raises(TmfError):
        parse_sort("name,,x")


def test_fields() -> None:
    assert parse_fields(None) is None
    assert parse_fields("") is None
    expected = frozenset({"name", "status", "contactMedium"})
    assert parse_fields("name, status,contactMedium.type") == expected
    selected = select_fields({**DOC, "href": "h", "@type": "T"}, parse_fields("status"))
    assert selected == {"id": "1", "href": "h", "@type": "T", "status": "Active"}
    assert select_fields(DOC, parse_fields("none")) == {"id": "1"}


def test_merge_patch_rfc7386_examples() -> None:
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": ["b"]}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}


def test_patch_kind() -> None:
    assert patch_kind("application/merge-patch+json") == "merge-patch"
    assert patch_kind("application/json; charset=utf-8") == "merge-patch"
    assert patch_kind("application/json-patch+json") == "json-patch"
    with pytest.raises(TmfError):
        patch_kind("text/plain")


def test_non_patchable_unchanged_value_is_accepted() -> None:
    document = {"id": "1", "href": "h", "name": "x"}
    assert apply_patch(document, {"id": "1", "name": "y"}, "merge-patch", ("id", "href")) == {
        "id": "1",
        "href": "h",
        "name": "y",
    }
    with pytest.raises(TmfError) as raised:
        apply_patch(document, {"id": "2", "href": "g"}, "merge-patch", ("id", "href"))
    assert "'href'" in raised.value.message
    assert "'id'" in raised.value.message
    assert document == {"id": "1", "href": "h", "name": "x"}


@pytest.mark.parametrize(
    ("pattern", "dangerous"),
    [
        ("^(a|aa)+$", True),
        ("(a+)+b", True),
        ("(x*)*", True),
        ("((ab)+)+", True),
        ("(.*a){20}", True),
        ("(a)\\1", True),
        ("^[A-C]", False),
        ("(foo|bar)", False),
        ("(ab)+c", False),
        ("a+b*c?", False),
        ("[(]+[)]*", False),
        ("\\(a+\\)+", False),
        ("(?:ab)+", False),
    ],
)
def test_catastrophic_shapes(pattern: str, dangerous: bool) -> None:
    from tmf629_mock.query import _catastrophic

    assert _catastrophic(pattern) is dangerous


def test_fallback_without_regex_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from tmf629_mock import query

    monkeypatch.setattr(query, "_engine", re)
    monkeypatch.setattr(query, "REGEX_TIMEOUT_SUPPORTED", False)
    with pytest.raises(TmfError) as raised:
        parse_filter([("name.regex", "^(a|aa)+$")])
    assert raised.value.status == 400
    assert matches({"name": "Alice"}, parse_filter([("name.regex", "^Al")]))
    with pytest.raises(TmfError):
        parse_filter([("name.regex", "(")])
