"""Persistence of resources: one interface, three implementations.

* :class:`~tmf629_mock.store.memory.MemoryStore` - a dict, for tests and demos;
* :class:`~tmf629_mock.store.sqlite.SqliteStore` - stdlib ``sqlite3`` on one worker thread, WAL
  journal, ``synchronous=FULL``: an acknowledged write is committed and durable;
* :class:`~tmf629_mock.store.postgres.PostgresStore` - psycopg 3 (async pool), one JSONB column,
  filtering/sorting/paging pushed into SQL where the filter allows it, row locks for updates.

Documents are JSON objects keyed by ``(collection, id)``; collections keep insertion order, which
is the default order of lists and the tie-breaker of sorts. :meth:`Store.update` is an atomic
read-modify-write: concurrent updates of one document lose nothing.
"""

from __future__ import annotations

import abc
import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tmf629_mock.query import Filter, SortKey, matcher, sort_documents

__all__ = ["Document", "Page", "Store", "copy_document", "open_store", "page_in_memory"]

Document = dict[str, Any]
Change = Callable[[Document], Document]


@dataclass(frozen=True)
class Page:
    items: list[Document]
    total: int


class Store(abc.ABC):
    """The persistence interface shared by every backend."""

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect / create tables; called lazily before first use, safe to call twice."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    @abc.abstractmethod
    async def insert(self, collection: str, document: Document) -> bytes | None:
        """Insert ``document`` (which has an ``id``); :class:`KeyError` if the id exists.

        A store that keeps documents encoded returns the encoding it keeps, the bytes
        :func:`~tmf629_mock.jsonbody.encode_json` writes for ``document``, so that the caller
        need not encode it again; others return ``None``."""

    @abc.abstractmethod
    async def get(self, collection: str, ident: str) -> Document | None: ...

    async def view_json(self, collection: str, ident: str) -> tuple[Document, bytes | None] | None:
        """Like :meth:`get`, for a caller that only reads and sends the document: a store may
        hand out a document it holds instead of a copy, so the caller must not change it; and
        with its JSON encoding when the store keeps one (the bytes
        :func:`~tmf629_mock.jsonbody.encode_json` writes for it), so that it need not be
        encoded again."""
        document = await self.get(collection, ident)
        return None if document is None else (document, None)

    @abc.abstractmethod
    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page: ...

    @abc.abstractmethod
    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        """Atomically replace the document by ``change(document)``; ``None`` if missing.

        An exception raised by ``change`` leaves the document untouched and propagates.
        """

    @abc.abstractmethod
    async def delete(self, collection: str, ident: str) -> Document | None:
        """Remove and return the document; ``None`` if missing."""

    def known_empty(self, collection: str) -> bool:
        """``True`` only when the store knows, without I/O, that ``collection`` is empty and
        that nothing else (another process) can fill it: the hub then drops a write's events
        at once instead of asking for subscriptions."""
        return False

    @abc.abstractmethod
    async def next_sequence(self, collection: str) -> int:
        """1, 2, 3, ... per collection (deterministic ids)."""

    @abc.abstractmethod
    async def clear(self) -> None:
        """Remove every document and reset the sequences."""

    async def all(self, collection: str) -> list[Document]:
        return (await self.query(collection, Filter())).items


def copy_document(value: Any) -> Any:
    """``copy.deepcopy`` for JSON values, several times faster (other values are deep-copied)."""
    kind = type(value)
    if kind is dict:
        return {key: copy_document(item) for key, item in value.items()}
    if kind is list:
        return [copy_document(item) for item in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)


_ATOMIC = frozenset({str, int, float, bool, type(None)})


def page_in_memory(
    documents: list[Document],
    filter_: Filter,
    sort: Sequence[SortKey],
    offset: int,
    limit: int | None,
) -> Page:
    if filter_:
        check = matcher(filter_)
        selected = [doc for doc in documents if check(doc)]
    else:
        selected = documents
    if sort:
        selected = sort_documents(selected, sort)
    total = len(selected)
    end = None if limit is None else offset + limit
    return Page(selected[offset:end], total)


def open_store(url: str, **options: Any) -> Store:
    """``memory``, ``sqlite:///path.db`` (or ``sqlite://:memory:``), ``postgresql://...``."""
    if url in ("", "memory", "memory://"):
        from tmf629_mock.store.memory import MemoryStore

        return MemoryStore()
    if url.startswith("sqlite:"):
        from tmf629_mock.store.sqlite import SqliteStore

        # SQLAlchemy convention: sqlite:///relative.db, sqlite:////absolute/path.db
        path = url.removeprefix("sqlite:").removeprefix("//")
        path = path[1:] if path.startswith("/") else path
        return SqliteStore(path or ":memory:")
    if url.startswith(("postgresql:", "postgres:")):
        from tmf629_mock.store.postgres import PostgresStore

        return PostgresStore(url, **options)
    raise ValueError(f"Unsupported store URL {url!r} (memory, sqlite:///path, postgresql://...)")
