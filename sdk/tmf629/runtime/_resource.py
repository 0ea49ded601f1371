"""Typed building blocks for generated resource classes (one per TMF resource path)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from ._client import AsyncAPIClient, SyncAPIClient
from ._paging import Page, PageWalker, page_parser
from ._patch import PatchInput, encode_patch
from ._query import FilterInput, build_list_params, fields_param
from ._response import model_parser
from ._types import RequestOptions

__all__ = ["AsyncAPIResource", "SyncAPIResource", "format_path"]

_ModelT = TypeVar("_ModelT", bound=BaseModel)

Fields = str | Sequence[str] | None


def format_path(template: str, **params: str) -> str:
    """Fill ``{name}`` placeholders with percent-encoded values (``/`` included)."""
    for name, value in params.items():
        if not value:
            raise ValueError(f"expected a non-empty value for path parameter {name!r}")
    return template.format_map({name: _segment(value) for name, value in params.items()})


def _segment(value: str) -> str:
    # "." and ".." are left alone by percent-encoding but removed by URL normalisation, which
    # would send the request to another resource.
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


class SyncAPIResource:
    """Base of generated sync resources; the ``_list``/``_retrieve``/... helpers do the work."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def _list(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        filter: FilterInput | None = None,
        sort: str | Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> Page[_ModelT]:
        return self._client._send(
            "GET",
            path,
            parser=page_parser(model, fields=fields, offset=offset, limit=limit),
            params=build_list_params(
                fields=fields, filter=filter, sort=sort, offset=offset, limit=limit
            ),
            options=options,
        )

    def _iter(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        filter: FilterInput | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = 100,
        options: RequestOptions | None = None,
    ) -> Iterator[_ModelT]:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        walker = PageWalker[_ModelT]()
        while walker.next_offset is not None:
            page = self._list(
                path,
                model=model,
                fields=fields,
                filter=filter,
                sort=sort,
                offset=walker.next_offset,
                limit=page_size,
                options=options,
            )
            yield from walker.advance(page)

    def _retrieve(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        return self._client._request("GET", path, cast_to=model, fields=fields, options=options)

    def _create(
        self,
        path: str,
        *,
        body: BaseModel | Mapping[str, Any],
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        return self._client._request(
            "POST", path, cast_to=model, json_body=body, fields=fields, options=options
        )

    def _update(
        self,
        path: str,
        *,
        patch: PatchInput,
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        content_type, content = encode_patch(patch)
        return self._client._send(
            "PATCH",
            path,
            parser=model_parser(model, fields=fields),
            params=fields_param(fields),
            content=content,
            content_type=content_type,
            options=options,
        )

    def _delete(self, path: str, *, options: RequestOptions | None = None) -> None:
        return self._client._request("DELETE", path, cast_to=None, options=options)


class AsyncAPIResource:
    """Async twin of :class:`SyncAPIResource`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def _list(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        filter: FilterInput | None = None,
        sort: str | Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> Page[_ModelT]:
        return await self._client._send(
            "GET",
            path,
            parser=page_parser(model, fields=fields, offset=offset, limit=limit),
            params=build_list_params(
                fields=fields, filter=filter, sort=sort, offset=offset, limit=limit
            ),
            options=options,
        )

    async def _iter(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        filter: FilterInput | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = 100,
        options: RequestOptions | None = None,
    ) -> AsyncIterator[_ModelT]:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        walker = PageWalker[_ModelT]()
        while walker.next_offset is not None:
            page = await self._list(
                path,
                model=model,
                fields=fields,
                filter=filter,
                sort=sort,
                offset=walker.next_offset,
                limit=page_size,
                options=options,
            )
            for item in walker.advance(page):
                yield item

    async def _retrieve(
        self,
        path: str,
        *,
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        return await self._client._request(
            "GET", path, cast_to=model, fields=fields, options=options
        )

    async def _create(
        self,
        path: str,
        *,
        body: BaseModel | Mapping[str, Any],
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        return await self._client._request(
            "POST", path, cast_to=model, json_body=body, fields=fields, options=options
        )

    async def _update(
        self,
        path: str,
        *,
        patch: PatchInput,
        model: type[_ModelT],
        fields: Fields = None,
        options: RequestOptions | None = None,
    ) -> _ModelT:
        content_type, content = encode_patch(patch)
        return await self._client._send(
            "PATCH",
            path,
            parser=model_parser(model, fields=fields),
            params=fields_param(fields),
            content=content,
            content_type=content_type,
            options=options,
        )

    async def _delete(self, path: str, *, options: RequestOptions | None = None) -> None:
        return await self._client._request("DELETE", path, cast_to=None, options=options)
