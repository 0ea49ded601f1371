"""The shortcuts taken for speed answer exactly what the general code answers.

- compiled schema checks (``tmf629_mock.fastschema``) against jsonschema, on the real spec's
  schemas and on every single-point mutation of a realistic customer;
- the compiled filter (``query.matcher``) against ``query.matches``;
- JSON responses built without Starlette's header handling against ``Response``;
- the memory store's attribute index and the PostgreSQL ``<table>_attr`` counts against
  filtering in Python (and the general SQL count), across inserts, updates and deletes.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from starlette.responses import Response

from tests.mockserver.conftest import POSTGRES_URL, require_postgres
from tmf629_mock.fastschema import CachedValidator, compile_check
from tmf629_mock.handlers import to_response
from tmf629_mock.ids import random_uuid
from tmf629_mock.jsonbody import MalformedBody, _parse_standard, parse_json_body
from tmf629_mock.query import matcher, matches, parse_filter, parse_sort
from tmf629_mock.schemas import (
    SchemaRegistry,
    _object_branches,
    _selected_branches,
    fill_missing_ids,
    load_spec,
)
from tmf629_mock.service import Result
from tmf629_mock.store import page_in_memory
from tmf629_mock.store.memory import MemoryStore

REAL_SPEC = Path(__file__).resolve().parents[2] / "specs/tmf629-customer-management.openapi.yaml"

CUSTOMER: dict[str, Any] = {
    "id": "42",
    "href": "http://x/customer/42",
    "@type": "Customer",
    "name": "Jane",
    "status": "Active",
    "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
    "engagedParty": {"@type": "PartyRef", "id": "p1", "@referredType": "Individual"},
    "contactMedium": [
        {
            "@type": "ContactMedium",
            "type": "email",
            "preferred": True,
            "characteristic": {"@type": "MediumCharacteristic", "emailAddress": "j@x.org"},
        }
    ],
    "characteristic": [{"@type": "Characteristic", "name": "tier", "value": "gold"}],
    "creditProfile": [
        {"@type": "CreditProfile", "id": "c1", "creditScore": 700, "creditRiskRating": 2}
    ],
    "relatedParty": [{"@type": "RelatedPartyRef", "id": "r1", "role": "manager"}],
}

REPLACEMENTS: list[Any] = [None, 1, 1.0, 2.5, True, "x", "2024-13-45T00:00:00Z", [], {}, [1]]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutations(document: dict[str, Any]) -> Iterator[Any]:
    """Every single-point change: each value replaced by each of REPLACEMENTS, or removed."""
    for path in _paths(document):
        if not path:
            yield from REPLACEMENTS
            continue
        for replacement in [*REPLACEMENTS, "<remove>"]:
            changed = copy.deepcopy(document)
            parent = changed
            for step in path[:-1]:
                parent = parent[step]
            if replacement == "<remove>":
                del parent[path[-1]]
            else:
                parent[path[-1]] = replacement
            yield changed


def _first_error(validator: Any, instance: Any) -> str | None:
    for error in validator.iter_errors(instance):
        return str(error)
    return None


def _raised(validator: CachedValidator, instance: Any) -> Any:
    """The message of the ValidationError ``validate`` raises, another exception's type, or
    ``None``."""
    try:
        validator.validate(instance)
    except ValidationError as exc:
        return str(exc)
    except Exception as exc:
        return type(exc)
    return None


@pytest.fixture(scope="module")
def registry() -> SchemaRegistry:
    return SchemaRegistry(load_spec(REAL_SPEC))


@pytest.mark.parametrize("kind", [Draft4RequestValidator, Draft4ResponseValidator])
@pytest.mark.parametrize("name", ["Customer", "Customer_FVO", "Customer_MVO"])
def test_compiled_checks_agree_with_jsonschema(
    registry: SchemaRegistry, kind: Any, name: str
) -> None:
    schema = registry.schema(name)
    assert schema is not None
    check = compile_check(schema, kind, Draft4Validator.FORMAT_CHECKER)
    assert check is not None
    full = kind(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    cached = CachedValidator(schema, kind, Draft4Validator.FORMAT_CHECKER)
    count = 0
    for instance in _mutations(CUSTOMER):
        count += 1
        assert check(instance) == full.is_valid(instance), json.dumps(instance)
        assert _raised(cached, instance) == _first_error(full, instance)
    assert count > 300


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "enum": ["a", "b"], "nullable": True},
        {"type": "integer", "minimum": 3},
        {"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}, {"type": "null"}]}}},
        {"type": "object", "properties": {"a": {"type": "string", "writeOnly": True}}},
        {"type": ["string", "null"], "format": "date-time"},
        {"type": "number", "x-nullable": True},
        {"allOf": [{"required": ["a"]}, {"properties": {"a": {"type": "boolean"}}}]},
        {"type": "array", "items": [{"type": "string"}]},
        {"type": "object", "additionalProperties": False, "properties": {"a": {}}},
        {"not": {"type": "string"}},
        {"type": "frob"},
    ],
)
@pytest.mark.parametrize("kind", [Draft4RequestValidator, Draft4ResponseValidator])
def test_other_keywords_are_left_to_jsonschema(schema: dict[str, Any], kind: Any) -> None:
    cached = CachedValidator(schema, kind, Draft4Validator.FORMAT_CHECKER)
    full = kind(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    for instance in [*REPLACEMENTS, "a", "c", 3, 2, 4.0, {"a": None}, {"a": "x"}, {"a": True}]:
        for candidate in (instance, {"a": instance}, [instance]):
            try:
                expected: Any = _first_error(full, candidate)
            except Exception as exc:  # jsonschema's own failure (unknown type) is kept
                expected = type(exc)
            assert _raised(cached, candidate) == expected


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {"a": {"$ref": "#/definitions/x"}}},
        {"type": "string", "pattern": "^a+$"},
        {"type": "object", "properties": {"a": {"type": "string", "writeOnly": True}}},
        {"type": "number", "multipleOf": 0.1},
        {"type": "array", "uniqueItems": True},
    ],
)
def test_keywords_that_could_mean_otherwise_get_no_fast_path(schema: dict[str, Any]) -> None:
    assert compile_check(schema, Draft4ResponseValidator) is None
    cached = CachedValidator(schema, Draft4ResponseValidator)
    assert cached.is_valid("aaa") == Draft4ResponseValidator(schema).is_valid("aaa")


def test_formats_inside_one_of_are_judged_by_the_python_checker() -> None:
    """A stricter format check in one branch would turn an invalid ``oneOf`` valid: the fast
    path must run jsonschema's own format checks, and pass formats jsonschema ignores."""
    schema = {
        "oneOf": [
            {"type": "string", "format": "email"},
            {"type": "string", "format": "no-such-format"},
        ]
    }
    check = compile_check(schema, Draft4RequestValidator)
    assert check is not None
    full = Draft4RequestValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    for value in ["a@b", "not an e-mail", "x@@y", "", 3]:
        assert check(value) == full.is_valid(value), value


_DATE_TIME_ALPHABET = "0123456789-:+.TZtz \n\u1e97\ufb06"  # two upper-case into "T" and "ST"


def _date_time_strings() -> Iterator[str]:
    """Every month and day of a few years, February 29th of every year, and corner cases."""
    for year in (0, 1, 1900, 2000, 2023, 2024):
        for month in range(14):
            for day in range(33):
                yield f"{year:04d}-{month:02d}-{day:02d}T12:30:59Z"
    for year in range(10000):
        yield f"{year:04d}-02-29t00:00:00z"
    yield from (
        "2024-06-30T23:59:60Z",  # a leap second: rfc3339-validator refuses it
        "2024-01-01T00:00:00Z\n",  # its "$" lets one trailing newline by
        "2024-01-01T00:00:00Z\n\n",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.5-23:59",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01 00:00:00Z",
        "2024-01-01\u1e9700:00:00Z",
    )


@pytest.mark.parametrize("wrap", [lambda s: s, lambda s: {"not": s}])
def test_date_time_pattern_is_exactly_the_python_check(wrap: Any) -> None:
    """``date-time`` compiles to a pattern: it must accept exactly what the Python check
    accepts, also where a stricter check would accept more (under ``not``)."""
    schema = wrap({"type": "string", "format": "date-time"})
    check = compile_check(schema)
    assert check is not None
    full = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    for value in _date_time_strings():
        assert check(value) == full.is_valid(value), repr(value)


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(["2024-02-29T23:59:59.123+05:30", "1900-02-28t12:00:00z", "0400-02-29T00:00Z"]),
    st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from(_DATE_TIME_ALPHABET), st.booleans()),
        max_size=3,
    ),
)
def test_date_time_pattern_agrees_on_near_misses(base: str, edits: list[Any]) -> None:
    value = base
    for position, character, insert in edits:
        position = min(position, len(value))
        value = value[:position] + character + value[position + (0 if insert else 1) :]
    check = compile_check({"type": "string", "format": "date-time"})
    assert check is not None
    assert check(value) == Draft4Validator.FORMAT_CHECKER.conforms(value, "date-time")


@given(st.text(alphabet=st.sampled_from("@a\n\u00e9 ."), max_size=6))
def test_email_pattern_is_exactly_the_python_check(value: str) -> None:
    check = compile_check({"not": {"type": "string", "format": "email"}})
    assert check is not None
    assert check(value) == (not Draft4Validator.FORMAT_CHECKER.conforms(value, "email"))


def test_a_format_check_of_its_own_is_called_back() -> None:
    """Only Draft 4's own functions are replaced by patterns; another checker's ``date-time``
    is asked."""
    checker = FormatChecker()
    checker.checks("date-time")(lambda value: value == "now")
    check = compile_check({"type": "string", "format": "date-time"}, Draft4Validator, checker)
    assert check is not None
    assert check("now") is True
    assert check("2024-01-01T00:00:00Z") is False


def test_values_jsonschema_rs_cannot_take_fall_back() -> None:
    """A lone surrogate (a client may escape one into a JSON string) makes jsonschema-rs raise:
    the fast path answers "not known valid" and jsonschema decides."""
    schema = {"type": "string", "maxLength": 3}
    check = compile_check(schema)
    assert check is not None
    assert check("\ud800") is False
    CachedValidator(schema).validate("\ud800")  # valid for jsonschema, so no error
    with pytest.raises(ValidationError):
        CachedValidator(schema).validate("\ud800abcd")


DOCUMENTS: list[dict[str, Any]] = [
    {"id": "1", "status": "Active", "tags": ["x", "y"], "cm": [{"city": "Paris"}]},
    {"id": "2", "status": "Closed", "tags": "x", "cm": {"city": "Rome"}},
    {"id": "3", "status": ["Active", 3], "tags": [["x"]], "name": None},
    {"id": "4", "status": 5, "tags": [], "cm": [{"city": ["Paris", "Lyon"]}]},
    {"id": "5", "name": "Active", "status": {"a": "Active"}},
    {"id": "6", "status": "true", "score": 3},
]

FILTERS = [
    "status=Active",
    "status=Active,Closed",
    "status.ne=Active",
    "status.ne=Active,Closed",
    "tags=x",
    "tags=x&status=Active",
    "cm.city=Paris",
    "cm.city.ne=Paris",
    "status=true",
    "score=3",
    "status.regex=^Act",
    "name=Active",
    "status=",
    "missing=x",
]


@pytest.mark.parametrize("query", FILTERS)
def test_compiled_filter_agrees_with_matches(query: str) -> None:
    pairs = [tuple(part.split("=", 1)) for part in query.split("&")]
    filter_ = parse_filter(pairs)  # type: ignore[arg-type]
    check = matcher(filter_)
    for document in [*DOCUMENTS, [DOCUMENTS[0]], "text", 3]:
        assert check(document) == matches(document, filter_), (query, document)


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize(("offset", "limit"), [(0, None), (0, 2), (1, 1), (2, 0), (5, 3)])
@pytest.mark.parametrize("sort", [None, "-id", "status,id"])
async def test_memory_index_agrees_with_a_scan(
    query: str, offset: int, limit: int | None, sort: str | None
) -> None:
    pairs = [tuple(part.split("=", 1)) for part in query.split("&")]
    filter_ = parse_filter(pairs)  # type: ignore[arg-type]
    keys = parse_sort(sort)
    store = MemoryStore()
    documents = copy.deepcopy(DOCUMENTS)
    for document in documents:
        await store.insert("C", document)

    async def check() -> None:
        page = await store.query("C", filter_, keys, offset, limit)
        expected = page_in_memory(list(documents), filter_, keys, offset, limit)
        assert (page.items, page.total) == (expected.items, expected.total), query

    await check()  # builds the index

    def close_in_place(document: dict[str, Any]) -> dict[str, Any]:
        document["status"], document["tags"] = "Closed", ["z"]
        return document

    await store.update("C", "1", close_in_place)
    documents[0] = {**documents[0], "status": "Closed", "tags": ["z"]}
    await store.update("C", "2", lambda d: {**d, "status": ["Active"], "name": "Active"})
    documents[1] = {**documents[1], "status": ["Active"], "name": "Active"}
    await check()
    await store.delete("C", "3")
    del documents[2]
    await store.insert("C", {"id": "7", "status": "Active", "tags": "x"})
    documents.append({"id": "7", "status": "Active", "tags": "x"})
    await check()
    await store.clear()
    documents.clear()
    await check()


@pytest.mark.services
async def test_postgres_attribute_counts_agree_with_the_general_count() -> None:
    require_postgres()
    from psycopg import AsyncConnection

    from tmf629_mock.store.postgres import PostgresStore, split_filter

    table = f"tmf_test_{uuid.uuid4().hex[:12]}"
    store = PostgresStore(POSTGRES_URL, table=table)
    documents = [
        *copy.deepcopy(DOCUMENTS),
        {"id": "8", "status": "x" * 300, "tags": [[["x"]]]},
        {"id": "10", "status": "y" * 64, "name": "z" * 65},
        {"id": "9", "status": ["Active", "Active"], "tags": [["x", 1], "y"]},
    ]

    async def check() -> None:
        async with await AsyncConnection.connect(store.conninfo) as connection:
            long = ["status=" + "x" * 300, "status=" + "y" * 64, "name=" + "z" * 65]
            for query in [*FILTERS, *long, "tags=y,x"]:
                pairs = [tuple(part.split("=", 1)) for part in query.split("&")]
                filter_ = parse_filter(pairs)  # type: ignore[arg-type]
                page = await store.query("C", filter_, [], 0, 2)
                pushed, remaining = split_filter(filter_)
                if remaining:
                    continue
                where = " AND ".join(
                    f"{'NOT ' if negated else ''}(doc @? %s::jsonpath)" for _, negated in pushed
                )
                cursor = await connection.execute(
                    f'SELECT count(*) FROM "{table}" WHERE collection = %s AND {where}',
                    ["C", *(path for path, _ in pushed)],
                )
                row = await cursor.fetchone()
                assert row is not None
                assert page.total == row[0], query

    try:
        for document in documents:
            await store.insert("C", document)
        await store.insert("Other", {"id": "1", "status": "Active"})
        await check()
        await store.update("C", "1", lambda d: {**d, "status": "Closed"})
        await store.update("C", "9", lambda d: {**d, "tags": "x"})
        await store.delete("C", "4")
        await check()
        # A table from before the attribute rows: they are filled on opening.
        await store.close()
        async with await AsyncConnection.connect(store.conninfo, autocommit=True) as connection:
            await connection.execute(f'DROP TABLE "{table}_attr" CASCADE')
            await connection.execute(f'DROP FUNCTION "{table}_attr_sync"() CASCADE')
        store = PostgresStore(POSTGRES_URL, table=table)
        await check()
        await store.clear()
        await check()
    finally:
        await store.drop()
        await store.close()


def _reference_fill(schema: Any, value: Any, make_id: Any, depth: int = 0) -> None:
    """``fill_missing_ids`` without plans or pruning: every branch, every level."""
    if depth > 32:
        return
    if isinstance(value, list):
        for branch in _object_branches(schema):
            if isinstance(branch.get("items"), dict):
                for item in value:
                    _reference_fill(branch["items"], item, make_id, depth + 1)
        return
    if not isinstance(value, dict):
        return
    branches = _object_branches(schema)
    if any("oneOf" in branch or "anyOf" in branch for branch in branches):
        branches = _selected_branches(schema, value)
    required = any("id" in (branch.get("required") or []) for branch in branches)
    if depth > 0 and "id" not in value and required:
        value["id"] = make_id()
    for key, item in value.items():
        for branch in branches:
            child = (branch.get("properties") or {}).get(key)
            if isinstance(item, dict | list) and isinstance(child, dict):
                _reference_fill(child, item, make_id, depth + 1)


def _without_ids(document: Any, path: tuple[Any, ...] = ()) -> Iterator[Any]:
    """The document with the ``id`` of one nested object removed, for each such object."""
    for where in _paths(document):
        if where and where[-1] == "id" and len(where) > 1:
            changed = copy.deepcopy(document)
            parent = changed
            for step in where[:-1]:
                parent = parent[step]
            del parent["id"]
            yield changed


PARTY_SPEC = Path(__file__).resolve().parents[1] / "specs/party/tmf-party-style.openapi.yaml"


@pytest.mark.parametrize(
    ("spec", "name"),
    [(REAL_SPEC, "Customer"), (REAL_SPEC, "Customer_FVO"), (PARTY_SPEC, "Individual")],
)
def test_pruned_id_filling_matches_the_full_walk(spec: Path, name: str) -> None:
    schema = SchemaRegistry(load_spec(spec)).schema(name)
    assert schema is not None
    documents = [CUSTOMER, *(_without_ids(CUSTOMER))]
    documents += [{**CUSTOMER, "contactMedium": [{"characteristic": {}}], "partyRef": []}]
    for document in documents:
        ours, reference = copy.deepcopy(document), copy.deepcopy(document)
        fill_missing_ids(schema, ours, lambda: "new")
        _reference_fill(schema, reference, lambda: "new")
        assert ours == reference


def test_id_filling_through_a_cycle() -> None:
    node: dict[str, Any] = {"type": "object", "required": ["id"], "properties": {}}
    node["properties"]["children"] = {"type": "array", "items": node}
    tree: dict[str, Any] = {"children": [{"children": [{}]}, {}]}
    fill_missing_ids(node, tree, lambda: "new")
    assert tree == {"children": [{"id": "new", "children": [{"id": "new"}]}, {"id": "new"}]}


@pytest.mark.parametrize("shape", ["object", "array"])
def test_id_filling_stops_at_the_same_depth_as_the_reference(shape: str) -> None:
    """Objects and arrays of objects that only need their own id are filled in place; near the
    depth limit that must stop exactly where the recursive walk stops."""
    leaf = {"type": "object", "required": ["id"], "properties": {"name": {"type": "string"}}}
    node: dict[str, Any] = {"type": "object", "properties": {}}
    node["properties"]["next"] = node
    node["properties"]["leaf"] = leaf if shape == "object" else {"type": "array", "items": leaf}
    document: dict[str, Any] = {}
    level = document
    for _ in range(40):
        level["leaf"] = {} if shape == "object" else [{}]
        level["next"] = {}
        level = level["next"]
    ours, reference = copy.deepcopy(document), copy.deepcopy(document)
    fill_missing_ids(node, ours, lambda: "new")
    _reference_fill(node, reference, lambda: "new")
    assert ours == reference
    assert json.dumps(ours).count("new") in (31, 32)


def test_random_ids_are_version_4_uuids_as_uuid4_writes_them() -> None:
    seen = set()
    for _ in range(2000):
        ident = random_uuid()
        parsed = uuid.UUID(ident)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == ident
        seen.add(ident)
    assert len(seen) == 2000


def test_random_ids_drawn_by_threads_at_once_are_all_different() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(lambda _: [random_uuid() for _ in range(3000)], range(8)))
    drawn = [ident for batch in batches for ident in batch]
    assert len(set(drawn)) == len(drawn) == 24000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_draws_none_of_its_parents_ready_ids() -> None:
    random_uuid()  # the parent now holds ready ids
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(writing, ",".join(random_uuid() for _ in range(10)).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        childs = set(pipe.read().split(","))
    os.waitpid(child, 0)
    parents = {random_uuid() for _ in range(10)}
    assert len(childs) == 10
    assert not childs & parents


def _parsed(parse: Any, raw: bytes) -> Any:
    try:
        return ("value", parse(raw))
    except MalformedBody as exc:
        return ("refused", str(exc))


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES, st.booleans())
def test_the_fast_json_parse_answers_as_the_strict_standard_one(value: Any, compact: bool) -> None:
    raw = json.dumps(value, separators=(",", ":") if compact else None).encode()
    assert _parsed(parse_json_body, raw) == _parsed(
        lambda body: _parse_standard(body, "utf-8"), raw
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"  ",
        b"1e999",
        b"-1e400",
        b"NaN",
        b'{"a": Infinity}',
        b"9223372036854775807",
        b"9223372036854775808",
        b"18446744073709551616",
        b"-9223372036854775809",
        b'{"a":1,"a":2}',
        b'"\\ud800"',
        b'"\\ud83d\\ude00"',
        b"\xef\xbb\xbf{}",
        b'{"a": "\xff"}',
        b"[" * 300 + b"]" * 300,
        b"[" * 2000 + b"]" * 2000,
        b'{"a": "\x01"}',
        b"0.1234567890123456789",
        b"[1,]",
        b"[" * 128 + b"{" * 128 + b"}" * 128 + b"]" * 128,
        b"[" * 129 + b"{" * 128 + b"}" * 128 + b"]" * 129,
        b"123456789012345678",
        b"-123456789012345678",
        b'{"a": "1234567890123456789012"}',
        b'{"a": "\xc2\xb2\xc2\xb3"}',
    ],
)
def test_the_fast_json_parse_agrees_on_corner_cases(raw: bytes) -> None:
    standard = _parsed(lambda body: _parse_standard(body, "utf-8"), raw)
    assert _parsed(parse_json_body, raw) == standard


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Location": "http://h/customer/1"},
        {"X-Total-Count": "3", "X-Result-Count": "1"},
        {"X-Note": "caf\u00e9"},
        {"Content-Type": "application/merge-patch+json"},
        {"content-length": "2"},
    ],
)
@pytest.mark.parametrize("status", [201, 200, 204, 304, 103])
async def test_json_responses_send_what_starlette_would_send(
    headers: dict[str, str], status: int
) -> None:
    result = Result(status, {"a": 1}, dict(headers), encoded=b'{"a":1}')
    ours = to_response(result)
    theirs = Response(b'{"a":1}', status, dict(headers), media_type="application/json")
    assert ours.raw_headers == theirs.raw_headers
    assert (ours.status_code, ours.body, ours.media_type) == (
        status,
        b'{"a":1}',
        "application/json",
    )
    assert ours.headers["content-type"] == theirs.headers["content-type"]
    sent: list[list[Any]] = [[], []]
    for response, messages in zip((ours, theirs), sent, strict=True):

        async def receive() -> dict[str, Any]:
            raise AssertionError("a response does not read")

        async def send(message: Any, messages: list[Any] = messages) -> None:
            messages.append(message)

        await response({"type": "http", "method": "POST"}, receive, send)
    assert sent[0] == sent[1]
