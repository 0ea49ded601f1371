"""SQLite store: stdlib ``sqlite3`` driven from one dedicated worker thread.

Every call runs on that thread, one after the other, so a read-modify-write of
:meth:`SqliteStore.update` is atomic (inside ``BEGIN IMMEDIATE``, which also guards against other
processes). The journal is WAL with ``synchronous=FULL``: a write is acknowledged only once
committed and durable. Filtering, sorting and paging are done in Python on the collection.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from tmf629_mock.query import Filter, SortKey
from tmf629_mock.store import Change, Document, Page, Store, page_in_memory

__all__ = ["SqliteStore"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    doc TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE TABLE IF NOT EXISTS sequences (
    collection TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


class SqliteStore(Store):
    def __init__(self, path: str) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tmf-sqlite")
        self._connection: sqlite3.Connection | None = None

    async def _run(self, function: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, function)

    def _call(self, function: Callable[[sqlite3.Connection], T]) -> T:
        if self._connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA busy_timeout=5000")
            connection.executescript(_SCHEMA)
            self._connection = connection
        return function(self._connection)

    async def open(self) -> None:
        await self._run(lambda connection: None)

    async def close(self) -> None:
        def close(connection: sqlite3.Connection) -> None:
            connection.close()
            self._connection = None

        if self._connection is not None:
            await self._run(close)
        self._executor.shutdown(wait=True)

    async def insert(self, collection: str, document: Document) -> None:
        def insert(connection: sqlite3.Connection) -> None:
            try:
                connection.execute(
                    "INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?)",
                    (collection, str(document["id"]), json.dumps(document)),
                )
            except sqlite3.IntegrityError as exc:
                raise KeyError(str(document["id"])) from exc

        await self._run(insert)

    async def get(self, collection: str, ident: str) -> Document | None:
        def get(connection: sqlite3.Connection) -> Document | None:
            row = connection.execute(
                "SELECT doc FROM documents WHERE collection = ? AND id = ?", (collection, ident)
            ).fetchone()
            return _load(row[0]) if row else None

        return await self._run(get)

    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        def query(connection: sqlite3.Connection) -> list[Document]:
            rows = connection.execute(
                "SELECT doc FROM documents WHERE collection = ? ORDER BY seq", (collection,)
            ).fetchall()
            return [_load(row[0]) for row in rows]

        documents = await self._run(query)
        return page_in_memory(documents, filter_, sort, offset, limit)

    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        def update(connection: sqlite3.Connection) -> Document | None:
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute(
                    "SELECT doc FROM documents WHERE collection = ? AND id = ?",
                    (collection, ident),
                ).fetchone()
                if row is None:
                    connection.execute("ROLLBACK")
                    return None
                updated = change(_load(row[0]))
                connection.execute(
                    "UPDATE documents SET doc = ?, version = version + 1 "
                    "WHERE collection = ? AND id = ?",
                    (json.dumps(updated), collection, ident),
                )
                connection.execute("COMMIT")
                return updated
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

        return await self._run(update)

    async def delete(self, collection: str, ident: str) -> Document | None:
        def delete(connection: sqlite3.Connection) -> Document | None:
            row = connection.execute(
                "DELETE FROM documents WHERE collection = ? AND id = ? RETURNING doc",
                (collection, ident),
            ).fetchone()
            return _load(row[0]) if row else None

        return await self._run(delete)

    async def next_sequence(self, collection: str) -> int:
        def next_sequence(connection: sqlite3.Connection) -> int:
            row = connection.execute(
                "INSERT INTO sequences (collection, value) VALUES (?, 1) "
                "ON CONFLICT (collection) DO UPDATE SET value = value + 1 RETURNING value",
                (collection,),
            ).fetchone()
            return int(row[0])

        return await self._run(next_sequence)

    async def clear(self) -> None:
        def clear(connection: sqlite3.Connection) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM documents")
            connection.execute("DELETE FROM sequences")
            connection.execute("COMMIT")

        await self._run(clear)


def _load(text: Any) -> Document:
    document = json.loads(text)
    assert isinstance(document, dict)
    return document
