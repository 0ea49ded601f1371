"""Offset/limit pages and the page-walking state shared by sync and async iteration."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

import httpx

from ._models import partial_model
from ._response import ResponseParser, parse_json, validate

if TYPE_CHECKING:
    # Only a bound here; importing pydantic's model machinery waits for the first validation.
    from pydantic import BaseModel

__all__ = ["Page", "PageWalker", "page_parser"]

_T = TypeVar("_T")
_ModelT = TypeVar("_ModelT", bound="BaseModel")


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class Page(Generic[_T]):
    """One page of a list operation; iterating over it yields its items."""

    def __init__(
        self,
        items: list[_T],
        *,
        offset: int,
        limit: int | None,
        total_count: int | None = None,
        result_count: int | None = None,
        partial: bool = False,
    ) -> None:
        self.items = items
        self.offset = offset
        self.limit = limit
        self.total_count = total_count
        """``X-Total-Count``: matching resources on the server, when it says so."""
        self.result_count = result_count
        """``X-Result-Count``: resources in this page, as reported by the server."""
        self.partial = partial
        """True for ``206 Partial Content``: the server says more items exist."""

    def has_next_page(self) -> bool:
        if not self.items:
            return False
        if self.total_count is not None and self.offset + len(self.items) >= self.total_count:
            return False
        # A complete (200) page shorter than what was asked for is the last one; a 206 says
        # the server cut the page short and more items exist.
        return self.partial or (self.limit is not None and len(self.items) >= self.limit)

    @property
    def next_offset(self) -> int | None:
        return self.offset + len(self.items) if self.has_next_page() else None

    def __iter__(self) -> Iterator[_T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return (
            f"Page(offset={self.offset}, limit={self.limit}, items={len(self.items)}, "
            f"total_count={self.total_count}, partial={self.partial})"
        )


def page_parser(
    model: type[_ModelT],
    *,
    fields: str | Sequence[str] | None,
    offset: int | None,
    limit: int | None,
) -> ResponseParser[Page[_ModelT]]:
    item_model = partial_model(model) if fields is not None else model

    def parse(response: httpx.Response) -> Page[_ModelT]:
        data = parse_json(response)
        items = validate(response, list[item_model], data)  # type: ignore[valid-type]
        return Page(
            items,
            offset=offset or 0,
            limit=limit,
            total_count=_int_header(response.headers, "x-total-count"),
            result_count=_int_header(response.headers, "x-result-count"),
            partial=response.status_code == 206,
        )

    return parse


class PageWalker(Generic[_T]):
    """Decides which offset to fetch next while iterating over every page.

    Stops on an empty page, a complete page shorter than the limit, when ``X-Total-Count`` is
    reached, and when a page repeats the previous one (a server that ignores ``offset``).
    """

    def __init__(self, *, offset: int = 0) -> None:
        self.next_offset: int | None = offset
        self._previous: list[_T] | None = None

    def advance(self, page: Page[_T]) -> list[_T]:
        """Record ``page`` and return the items to yield from it."""
        if self._previous is not None and page.items == self._previous:
            self.next_offset = None
            return []
        self._previous = page.items
        self.next_offset = page.next_offset
        return page.items
