"""In-memory store: each document kept as its JSON encoding, decoded on every read.

Why encoded rather than as dicts: every dict holding a dict or list, and every list, is tracked
by CPython's cyclic garbage collector, about ten objects per customer, and each full collection
walks them all. With 20,000 customers those walks took a third of the time of a create, with
pauses of 0.1 to 0.4 s. Bytes are not tracked, take about a third of the memory, and decoding
hands every reader its own document, so nothing a caller changes reaches the store. A document
orjson cannot encode (a lone surrogate a client escaped, an integer beyond 64 bits) is kept as
a copy of the dict instead.

Reads for display (:meth:`~MemoryStore.view_json`) keep the last 1,024 documents decoded, with
their encoding, which is the response body as it stands: a document read again is neither
decoded nor encoded. A write drops its document from there.

A filter made only of top-level attributes equal to strings (``status=Active``, the common
case) is answered from an index, ``{attribute: {string: ids}}`` per collection, instead of a
decode and scan of every document: the index of an attribute is built the first time a filter
uses it and then kept up to date by every write. It holds, like
:func:`tmf629_mock.query.matches`, the string value of the attribute or the strings of a
top-level array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import orjson

from tmf629_mock.query import Filter, SortKey, matcher
from tmf629_mock.store import Change, Document, Page, Store, copy_document, page_in_memory

__all__ = ["MemoryStore"]

Entry = bytes | Document
View = tuple[Document, bytes | None]

_VIEWS = 1024

# Types orjson would write as strings or objects, which would come back as something else.
_LOSSLESS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LOSSLESS |= orjson.OPT_PASSTHROUGH_SUBCLASS


def _entry(document: Document) -> Entry:
    try:
        encoded = orjson.dumps(document, option=_LOSSLESS)
    except TypeError:
        return copy_document(document)  # type: ignore[no-any-return]
    # orjson's bytes keep the buffer it wrote into, about 4 KiB for a 1.3 KiB customer: a
    # copy of the exact size is a third of the memory and of the page faults of a growing store.
    return bytes(memoryview(encoded))


def _document(entry: Entry) -> Document:
    if type(entry) is bytes:
        return orjson.loads(entry)  # type: ignore[no-any-return]
    return copy_document(entry)  # type: ignore[no-any-return]


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

    def ids(self, entries: dict[str, Entry], name: str, wanted: frozenset[str]) -> set[str]:
        values = self.attributes.get(name)
        if values is None:
            values = self.attributes[name] = {}
            for ident, entry in entries.items():
                for string in _strings(_document(entry), name):
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
        self._collections: dict[str, dict[str, Entry]] = {}
        self._sequences: dict[str, int] = {}
        self._indexes: dict[str, _Index] = {}
        self._views: dict[tuple[str, str], View] = {}

    async def insert(self, collection: str, document: Document) -> bytes | None:
        entries = self._collections.setdefault(collection, {})
        ident = str(document["id"])
        if ident in entries:
            raise KeyError(ident)
        entries[ident] = entry = _entry(document)
        index = self._indexes.get(collection)
        if index is not None:
            index.add(ident, document)
        return entry if type(entry) is bytes else None

    async def get(self, collection: str, ident: str) -> Document | None:
        entry = self._collections.get(collection, {}).get(ident)
        return _document(entry) if entry is not None else None

    async def view_json(self, collection: str, ident: str) -> View | None:
        key = (collection, ident)
        found = self._views.get(key)
        if found is not None:
            return found
        entry = self._collections.get(collection, {}).get(ident)
        if entry is None:
            return None
        found = (_document(entry), entry if type(entry) is bytes else None)
        if len(self._views) >= _VIEWS:
            del self._views[next(iter(self._views))]  # the oldest
        self._views[key] = found
        return found

    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        entries = self._collections.get(collection, {})
        terms = _indexable(filter_) if filter_ else None
        selected: Iterable[Entry] = entries.values()
        total: int | None = None if filter_ else len(entries)
        if terms is not None:  # the index answers the whole filter
            index = self._indexes.setdefault(collection, _Index())
            sets = sorted((index.ids(entries, name, wanted) for name, wanted in terms), key=len)
            ids = sets[0] if len(sets) == 1 else set.intersection(*sets)
            selected = (entries[ident] for ident in entries if ident in ids)
            filter_, total = Filter(), len(ids)
        if sort:
            documents = [_document(entry) for entry in selected]
            return page_in_memory(documents, filter_, sort, offset, limit)
        return _page(selected, matcher(filter_) if filter_ else None, offset, limit, total)

    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        # No await between read and write: atomic on the event loop.
        entries = self._collections.get(collection, {})
        entry = entries.get(ident)
        if entry is None:
            return None
        updated = change(_document(entry))
        entries[ident] = _entry(updated)
        self._views.pop((collection, ident), None)
        index = self._indexes.get(collection)
        if index is not None:
            index.remove(ident, _document(entry))
            index.add(ident, updated)
        return updated

    async def delete(self, collection: str, ident: str) -> Document | None:
        entry = self._collections.get(collection, {}).pop(ident, None)
        if entry is None:
            return None
        self._views.pop((collection, ident), None)
        document = _document(entry)
        index = self._indexes.get(collection)
        if index is not None:
            index.remove(ident, document)
        return document

    def known_empty(self, collection: str) -> bool:
        return not self._collections.get(collection)

    async def next_sequence(self, collection: str) -> int:
        value = self._sequences.get(collection, 0) + 1
        self._sequences[collection] = value
        return value

    async def clear(self) -> None:
        self._collections.clear()
        self._sequences.clear()
        self._indexes.clear()
        self._views.clear()


def _page(
    entries: Iterable[Entry],
    check: Callable[[Document], bool] | None,
    offset: int,
    limit: int | None,
    total: int | None,
) -> Page:
    """The page of ``entries`` (in insertion order) that pass ``check``, decoding only what
    must be: every entry when filtering, else just the page. ``total`` is the count when
    already known."""
    end = None if limit is None else offset + limit
    items: list[Document] = []
    seen = 0
    for entry in entries:
        if check is None:
            if end is not None and seen >= end:
                break
            if seen >= offset:
                items.append(_document(entry))
            seen += 1
            continue
        document = _document(entry)
        if check(document):
            if seen >= offset and (end is None or seen < end):
                items.append(document)
            seen += 1
    return Page(items, seen if total is None else total)
