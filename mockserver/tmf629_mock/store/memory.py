"""In-memory store: a dict of insertion-ordered dicts; documents are copied in and out."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from tmf629_mock.query import Filter, SortKey
from tmf629_mock.store import Change, Document, Page, Store, page_in_memory

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    def __init__(self) -> None:
        self._collections: dict[str, dict[str, Document]] = {}
        self._sequences: dict[str, int] = {}

    async def insert(self, collection: str, document: Document) -> None:
        documents = self._collections.setdefault(collection, {})
        ident = str(document["id"])
        if ident in documents:
            raise KeyError(ident)
        documents[ident] = copy.deepcopy(document)

    async def get(self, collection: str, ident: str) -> Document | None:
        document = self._collections.get(collection, {}).get(ident)
        return copy.deepcopy(document) if document is not None else None

    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        documents = list(self._collections.get(collection, {}).values())
        page = page_in_memory(documents, filter_, sort, offset, limit)
        return Page(copy.deepcopy(page.items), page.total)

    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        # No await between read and write: atomic on the event loop.
        documents = self._collections.get(collection, {})
        current = documents.get(ident)
        if current is None:
            return None
        updated = change(copy.deepcopy(current))
        documents[ident] = copy.deepcopy(updated)
        return updated

    async def delete(self, collection: str, ident: str) -> Document | None:
        return self._collections.get(collection, {}).pop(ident, None)

    async def next_sequence(self, collection: str) -> int:
        value = self._sequences.get(collection, 0) + 1
        self._sequences[collection] = value
        return value

    async def clear(self) -> None:
        self._collections.clear()
        self._sequences.clear()
