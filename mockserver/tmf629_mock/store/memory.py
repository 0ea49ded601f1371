"""In-memory store: a dict of insertion-ordered dicts; documents are copied in and out.

A filter made only of top-level attributes equal to strings (``status=Active``, the common
case) is answered from an index, ``{attribute: {string: ids}}`` per collection, instead of a scan
of every document: the index of an attribute is built the first time a filter uses it and then
kept up to date by every write. It holds, like :func:`tmf629_mock.query.matches`, the string
value of the attribute or the strings of a top-level array.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from sys import intern
from typing import Any

from tmf629_mock.query import Filter, SortKey
from tmf629_mock.store import Change, Document, Page, Store, copy_document, page_in_memory

__all__ = ["MemoryStore"]


_copy = copy_document
_ATOMIC = frozenset({str, int, float, bool, type(None)})


def _kept(value: Any) -> Any:
    """:func:`_copy` for storing: attribute names and short strings are interned, so stored
    documents share one string per name (``@type``, ...) and per repeated value (``Customer``,
    ``Active``, ...) instead of one per document: JSON parsing makes new ones for every request
    body. Interned strings are freed like any other once no document uses them."""
    kind = type(value)
    if kind is dict:
        kept = {}
        for key, item in value.items():
            kept[intern(key) if type(key) is str else key] = _kept_leaf(item)
        return kept
    if kind is list:
        return [_kept_leaf(item) for item in value]
    return _kept_leaf(value)


def _kept_leaf(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return intern(value) if len(value) <= _SHORT else value
    if kind is dict or kind is list:
        return _kept(value)
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)


_SHORT = 32


def _strings(document: Document, name: str) -> set[str]:
    """The strings a top-level equality filter on ``name`` compares (see the module docstring)."""
    value = document.get(name)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def _indexable(filter_: Filter) -> list[tuple[str, frozenset[str]]] | None:
    """``[(attribute, strings)]`` when every condition is a top-level equality to strings."""
    terms = []
    for condition in filter_.conditions:
        if condition.op != "eq" or len(condition.path) != 1:
            return None
        if any(value.kind != "string" for value in condition.values):
            return None
        terms.append((condition.path[0], frozenset(value.raw for value in condition.values)))
    return terms or None


class _Index:
    """``{attribute: {string: ids}}`` of one collection, for the attributes filters used."""

    def __init__(self) -> None:
        self.attributes: dict[str, dict[str, set[str]]] = {}

    def ids(self, documents: dict[str, Document], name: str, wanted: frozenset[str]) -> set[str]:
        values = self.attributes.get(name)
        if values is None:
            values = self.attributes[name] = {}
            for ident, document in documents.items():
                for string in _strings(document, name):
                    values.setdefault(string, set()).add(ident)
        if len(wanted) == 1:
            return values.get(next(iter(wanted)), set())
        found: set[str] = set()
        for string in wanted:
            found |= values.get(string, set())
        return found

    def add(self, ident: str, document: Document) -> None:
        for name, values in self.attributes.items():
            for string in _strings(document, name):
                values.setdefault(string, set()).add(ident)

    def remove(self, ident: str, document: Document) -> None:
        for name, values in self.attributes.items():
            for string in _strings(document, name):
                holders = values.get(string)
                if holders is not None:
                    holders.discard(ident)
                    if not holders:
                        del values[string]


class MemoryStore(Store):
    def __init__(self) -> None:
        self._collections: dict[str, dict[str, Document]] = {}
        self._sequences: dict[str, int] = {}
        self._indexes: dict[str, _Index] = {}

    async def insert(self, collection: str, document: Document) -> None:
        documents = self._collections.setdefault(collection, {})
        ident = str(document["id"])
        if ident in documents:
            raise KeyError(ident)
        documents[ident] = stored = _kept(document)
        index = self._indexes.get(collection)
        if index is not None:
            index.add(ident, stored)

    async def get(self, collection: str, ident: str) -> Document | None:
        document = self._collections.get(collection, {}).get(ident)
        return _copy(document) if document is not None else None

    async def view(self, collection: str, ident: str) -> Document | None:
        # Stored documents are replaced on update, never changed in place (see update).
        return self._collections.get(collection, {}).get(ident)

    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        terms = _indexable(filter_) if filter_ else None
        if terms is None:
            documents = list(self._collections.get(collection, {}).values())
            page = page_in_memory(documents, filter_, sort, offset, limit)
            return Page(_copy(page.items), page.total)
        return Page(*self._indexed(collection, terms, sort, offset, limit))

    def _indexed(
        self,
        collection: str,
        terms: list[tuple[str, frozenset[str]]],
        sort: Sequence[SortKey],
        offset: int,
        limit: int | None,
    ) -> tuple[list[Document], int]:
        documents = self._collections.get(collection, {})
        index = self._indexes.setdefault(collection, _Index())
        sets = sorted((index.ids(documents, name, wanted) for name, wanted in terms), key=len)
        ids = sets[0] if len(sets) == 1 else set.intersection(*sets)
        total = len(ids)
        if sort:
            selected = [document for ident, document in documents.items() if ident in ids]
            page = page_in_memory(selected, Filter(), sort, offset, limit)
            return _copy(page.items), total
        end = None if limit is None else offset + limit
        items: list[Document] = []
        if end is None or end > 0:
            seen = 0
            for ident, document in documents.items():  # insertion order, up to the page's end
                if ident in ids:
                    if seen >= offset:
                        items.append(document)
                    seen += 1
                    if end is not None and seen >= end:
                        break
        return _copy(items), total

    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        # No await between read and write: atomic on the event loop.
        documents = self._collections.get(collection, {})
        current = documents.get(ident)
        if current is None:
            return None
        updated = change(_copy(current))
        documents[ident] = stored = _kept(updated)
        index = self._indexes.get(collection)
        if index is not None:
            index.remove(ident, current)
            index.add(ident, stored)
        return updated

    async def delete(self, collection: str, ident: str) -> Document | None:
        document = self._collections.get(collection, {}).pop(ident, None)
        index = self._indexes.get(collection)
        if document is not None and index is not None:
            index.remove(ident, document)
        return document

    async def next_sequence(self, collection: str) -> int:
        value = self._sequences.get(collection, 0) + 1
        self._sequences[collection] = value
        return value

    async def clear(self) -> None:
        self._collections.clear()
        self._sequences.clear()
        self._indexes.clear()
