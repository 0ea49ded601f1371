"""The store contract, run against every backend; SQL pushdown agrees with Python."""

from __future__ import annotations

import asyncio
import gc
import json
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.mockserver.conftest import POSTGRES_URL, require_postgres
from tmf629_mock.errors import TmfError
from tmf629_mock.jsonbody import encode_json
from tmf629_mock.query import parse_filter, parse_sort
from tmf629_mock.store import Store, open_store
from tmf629_mock.store import postgres as postgres_store
from tmf629_mock.store.memory import MemoryStore


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    backend = open_store(store_url)
    await backend.open()
    yield backend
    drop = getattr(backend, "drop", None)
    if drop is not None:
        await drop()
    await backend.close()


DOCS: list[dict[str, Any]] = [
    {
        "id": "1",
        "name": "b",
        "tags": ["x", "y"],
        "score": 3,
        "flag": True,
        "cm": [{"c": {"city": "Paris"}}, {"c": {"city": "Rome"}}],
        "when": "2024-01-01T00:00:00Z",
    },
    {
        "id": "2",
        "name": "a",
        "tags": "z",
        "score": "10",
        "cm": [{"c": {"city": "Oslo"}}],
        "when": "2023-01-01T00:00:00Z",
    },
    {"id": "3", "name": "c", "score": 2.5, "flag": False, "when": "not a date"},
    {"id": "4", "name": "B", "score": None, "flag": "true"},
    {"id": "5", "name": "é", "score": 10, "tags": [], "cm": []},
]


async def test_a_view_is_never_changed_by_later_writes(store: Store) -> None:
    await store.insert("C", {"id": "1", "name": "x", "cm": [{"city": "Paris"}]})
    found = await store.view_json("C", "1")
    assert found is not None
    view, encoded = found
    assert view == {"id": "1", "name": "x", "cm": [{"city": "Paris"}]}
    assert encoded is None or encoded == encode_json(view)

    def change(document: dict[str, Any]) -> dict[str, Any]:
        document["cm"][0]["city"] = "Rome"
        document["name"] = "y"
        return document

    await store.update("C", "1", change)
    await store.delete("C", "1")
    assert view == {"id": "1", "name": "x", "cm": [{"city": "Paris"}]}
    assert await store.view_json("C", "1") is None


async def test_an_encoding_the_store_returns_is_the_servers_own(store: Store) -> None:
    document = {"id": "1", "name": "é", "n": [1, 2.5, None, True], "o": {"k": "v"}}
    encoded = await store.insert("C", document)
    assert encoded is None or encoded == encode_json(document)
    if isinstance(store, MemoryStore):
        assert encoded is not None
        surrogate = {"id": "2", "name": "\ud800"}  # kept as a dict: nothing to return
        assert await store.insert("C", surrogate) is None
        assert await store.get("C", "2") == surrogate


async def test_insert_get_delete(store: Store) -> None:
    await store.insert("C", {"id": "1", "name": "x"})
    assert await store.get("C", "1") == {"id": "1", "name": "x"}
    assert await store.get("D", "1") is None
    with pytest.raises(KeyError):
        await store.insert("C", {"id": "1", "name": "again"})
    await store.insert("D", {"id": "1", "name": "other collection"})
    assert await store.delete("C", "1") == {"id": "1", "name": "x"}
    assert await store.delete("C", "1") is None
    assert await store.get("C", "1") is None
    assert (await store.get("D", "1")) == {"id": "1", "name": "other collection"}


async def test_returned_documents_are_copies(store: Store) -> None:
    document: dict[str, Any] = {"id": "1", "nested": {"a": 1}}
    await store.insert("C", document)
    document["nested"]["a"] = 2
    got = await store.get("C", "1")
    assert got is not None
    got["nested"]["a"] = 3
    assert await store.get("C", "1") == {"id": "1", "nested": {"a": 1}}


async def test_update_and_failed_update(store: Store) -> None:
    await store.insert("C", {"id": "1", "n": 1})
    updated = await store.update("C", "1", lambda doc: {**doc, "n": doc["n"] + 1})
    assert updated == {"id": "1", "n": 2}
    assert await store.update("C", "missing", lambda doc: doc) is None

    def refuse(doc: dict[str, Any]) -> dict[str, Any]:
        doc["n"] = 99
        raise TmfError(400, "no")

    with pytest.raises(TmfError):
        await store.update("C", "1", refuse)
    assert await store.get("C", "1") == {"id": "1", "n": 2}


async def test_concurrent_updates_lose_nothing(store: Store) -> None:
    await store.insert("C", {"id": "1", "items": []})

    async def add(index: int) -> None:
        await store.update("C", "1", lambda doc: {**doc, "items": [*doc["items"], index]})

    await asyncio.gather(*(add(index) for index in range(40)))
    document = await store.get("C", "1")
    assert document is not None
    assert sorted(document["items"]) == list(range(40))


async def test_sequences_and_clear(store: Store) -> None:
    assert [await store.next_sequence("C") for _ in range(3)] == [1, 2, 3]
    assert await store.next_sequence("D") == 1
    await store.insert("C", {"id": "1"})
    await store.clear()
    assert await store.get("C", "1") is None
    assert await store.next_sequence("C") == 1


async def test_query_paging_and_insertion_order(store: Store) -> None:
    for document in DOCS:
        await store.insert("C", document)
    page = await store.query("C", parse_filter([]), offset=1, limit=2)
    assert [d["id"] for d in page.items] == ["2", "3"]
    assert page.total == 5
    assert [d["id"] for d in await store.all("C")] == ["1", "2", "3", "4", "5"]


QUERIES: list[list[tuple[str, str]]] = [
    [("name", "a")],
    [("name", "a,b")],
    [("name.ne", "b")],
    [("name.ne", "a,b")],
    [("name.gt", "a")],
    [("name.lte", "b")],
    [("name.regex", "^[a-c]$")],
    [("tags", "x")],
    [("tags", "z")],
    [("tags.ne", "x")],
    [("cm.c.city", "Rome")],
    [("cm.c.city", "Oslo,Paris")],
    [("cm.c.city.ne", "Paris")],
    [("score", "10")],
    [("score.gt", "2.6")],
    [("score.lt", "10")],
    [("score.gte", "3"), ("score.lte", "10")],
    [("flag", "true")],
    [("flag", "false")],
    [("flag.ne", "true")],
    [("when.gt", "2023-06-01T00:00:00Z")],
    [("when.lt", "2024-01-01T01:00:00+01:00")],
    [("name", "é")],
    [("missing", "x")],
    [("missing.ne", "x")],
]
SORTS = ["name", "-name", "score", "-score", "tags", "cm.c.city", "-cm.c.city", "flag,name"]


async def test_backend_agrees_with_reference(store: Store) -> None:
    """Every backend (the SQL pushdown included) returns what the in-memory reference does."""
    reference = MemoryStore()
    for document in DOCS:
        await store.insert("C", document)
        await reference.insert("C", document)
    failures = []
    for pairs in QUERIES:
        for sort in [None, *SORTS]:
            for offset, limit in ((0, None), (1, 2)):
                filter_ = parse_filter(pairs)
                keys = parse_sort(sort)
                want = await reference.query("C", filter_, keys, offset, limit)
                got = await store.query("C", filter_, keys, offset, limit)
                if ([d["id"] for d in got.items], got.total) != (
                    [d["id"] for d in want.items],
                    want.total,
                ):
                    failures.append(
                        f"{pairs} sort={sort} page={offset},{limit}: "
                        f"{[d['id'] for d in got.items]} != {[d['id'] for d in want.items]}"
                    )
    assert not failures, "\n".join(failures[:20])


def test_pushdown_split() -> None:
    split_filter = postgres_store.split_filter
    pushed, remaining = split_filter(
        parse_filter(
            [
                ("name", "a"),
                ("score.gt", "3"),
                ("flag", "true"),
                ("name.regex", "x"),
                ("when.gt", "2024-01-01T00:00:00Z"),
                ("name.gt", "a"),
            ]
        )
    )
    assert [path for path, _ in pushed] == [
        '$."name" ? ((@ == "a"))',
        '$."score" ? ((@.double() > 3.0))',
        '$."flag" ? (((@ == true || @ == "true")))',
    ]
    assert [c.op for c in remaining.conditions] == ["regex", "gt", "gt"]


def test_jsonpath_quotes_hostile_names_and_values() -> None:
    split_filter = postgres_store.split_filter
    pushed, _ = split_filter(parse_filter([('a"b', 'x") || (true'), ("c\\", "\\")]))
    assert pushed[0][0] == '$."a\\"b" ? ((@ == "x\\") || (true"))'
    assert pushed[1][0] == '$."c\\\\" ? ((@ == "\\\\"))'


async def test_sqlite_writes_are_durable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'durable.db'}"
    first = open_store(url)
    await first.insert("C", {"id": "1", "name": "kept"})
    await first.update("C", "1", lambda doc: {**doc, "name": "updated"})
    await first.close()
    second = open_store(url)
    assert await second.get("C", "1") == {"id": "1", "name": "updated"}
    await second.close()


@pytest.mark.services
async def test_postgres_tables_are_per_name() -> None:
    require_postgres()
    from tmf629_mock.store.postgres import PostgresStore

    a = PostgresStore(POSTGRES_URL, table=f"tmf_test_{uuid.uuid4().hex[:12]}")
    b = PostgresStore(f"{POSTGRES_URL}?table=tmf_test_{uuid.uuid4().hex[:12]}")
    try:
        await a.insert("C", {"id": "1"})
        assert await b.get("C", "1") is None
    finally:
        for store in (a, b):
            await store.drop()
            await store.close()


def test_postgres_refuses_bad_table_names() -> None:
    PostgresStore = postgres_store.PostgresStore
    with pytest.raises(ValueError, match="table"):
        PostgresStore(POSTGRES_URL, table="x; DROP TABLE y")


def test_open_store_urls(tmp_path: Path) -> None:
    from tmf629_mock.store.sqlite import SqliteStore

    assert isinstance(open_store("memory"), MemoryStore)
    relative = open_store("sqlite:///relative.db")
    assert isinstance(relative, SqliteStore)
    assert relative.path == "relative.db"
    absolute = open_store(f"sqlite:///{tmp_path}/x.db")
    assert isinstance(absolute, SqliteStore)
    assert absolute.path == f"{tmp_path}/x.db"
    postgres = postgres_store
    assert isinstance(open_store("postgresql://u@h/db"), postgres.PostgresStore)
    with pytest.raises(ValueError, match="Unsupported"):
        open_store("mongodb://x")


async def test_the_memory_store_adds_nothing_the_garbage_collector_walks() -> None:
    store = MemoryStore()
    body = {"@type": "Customer", "cm": [{"c": {"city": "Paris"}, "tags": ["a"]}], "v": {"s": 1}}
    gc.collect()
    before = len(gc.get_objects())
    for index in range(2000):
        await store.insert("C", {"id": str(index), **json.loads(json.dumps(body))})
    gc.collect()
    # As dicts and lists these would be about 8,000 tracked objects.
    assert len(gc.get_objects()) - before < 100
    assert await store.get("C", "1999") == {"id": "1999", **body}


async def test_the_memory_store_keeps_about_the_size_of_the_encoding() -> None:
    store = MemoryStore()
    document = {"@type": "Customer", "name": "x" * 1200, "cm": [{"c": {"city": "Paris"}}]}
    size = len(json.dumps(document, separators=(",", ":")))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(500):
            await store.insert("C", {"id": f"{index:04}", **document})
        per_document = (tracemalloc.get_traced_memory()[0] - before) / 500
    finally:
        tracemalloc.stop()
    assert per_document < 1.5 * size, (per_document, size)


@pytest.mark.parametrize(
    "value",
    [
        "lone \ud800 surrogate",
        2**64 + 1,
        -(2**63),
        2**64 - 1,
        0.1,
        -0.0,
        1e300,
        "é \u2028 \U0001f600",
        {"nested": [[], {}, None, True, False]},
    ],
)
async def test_the_memory_store_gives_back_exactly_what_it_was_given(value: Any) -> None:
    store = MemoryStore()
    document = {"id": "1", "value": value}
    await store.insert("C", document)
    got = await store.get("C", "1")
    assert got == document
    assert got is not None
    assert type(got["value"]) is type(value)
    assert json.dumps(got) == json.dumps(document)
    updated = await store.update("C", "1", lambda doc: {**doc, "other": value})
    assert updated == {**document, "other": value}
    assert await store.get("C", "1") == updated
