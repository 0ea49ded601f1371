"""The base clients. All logic that does no I/O lives in ``_BaseClient``; the sync and async
clients only send requests, sleep between retries and close their connection pool."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, Unpack, cast, overload

import httpx

from ._errors import APIConnectionError, APITimeoutError, make_status_error
from ._models import encode_json_body
from ._query import fields_param
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    ResponseParser,
    model_parser,
    no_content,
    raw_response_requested,
)
from ._retry import RETRYABLE_STATUS_CODES, Backoff, is_retryable_method
from ._types import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientOptions, RequestOptions

__all__ = ["AsyncAPIClient", "QueryParams", "SyncAPIClient"]

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)

QueryParams = Mapping[str, str] | Sequence[tuple[str, str]]

_NO_OPTIONS: RequestOptions = {}  # stands in for ``options=None``; never mutated


@dataclass(frozen=True)
class _PreparedRequest:
    request: httpx.Request
    max_retries: int
    retryable: bool


class _BaseClient(Generic[_HttpxClientT]):
    _client: _HttpxClientT
    _owns_client: bool
    _sleep: Callable[[float], object]

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        bearer_token: str | None,
        api_key: str | None,
        api_key_header: str,
        auth: httpx.Auth | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        http_client: _HttpxClientT | None,
        transport: object | None,
        make_client: Callable[[], _HttpxClientT],
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("pass either http_client or transport, not both")
        if http_client is not None:
            # An injected client keeps its own timeout and auth unless they are overridden.
            if timeout is DEFAULT_TIMEOUT:
                timeout = http_client.timeout
            if auth is None:
                auth = http_client.auth
        self._owns_client = http_client is None
        self._client = http_client or make_client()
        url = httpx.URL(base_url)
        # A trailing slash makes relative resource paths resolve below the API base path.
        self.base_url = (
            url if url.raw_path.endswith(b"/") else url.copy_with(raw_path=url.raw_path + b"/")
        )
        self.timeout = timeout
        self.max_retries = max_retries
        self._auth = auth
        self._backoff = Backoff()
        self._options = ClientOptions(
            base_url=base_url,
            bearer_token=bearer_token,
            api_key=api_key,
            api_key_header=api_key_header,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        headers = {"Accept": "application/json"}
        if bearer_token is not None:
            headers["Authorization"] = f"Bearer {bearer_token}"
        if api_key is not None:
            headers[api_key_header] = api_key
        headers.update(default_headers or {})
        self.default_headers: Mapping[str, str] = headers

    def with_options(self, **overrides: Unpack[ClientOptions]) -> Self:
        """A copy with some settings changed, sharing (not owning) this client's connections."""
        merged = ClientOptions(**self._options)
        merged.update(overrides)
        # The concrete clients take ``http_client`` and build ``make_client`` themselves.
        copy = type(self)(**merged, http_client=self._client)  # type: ignore[call-arg]
        copy._backoff = self._backoff
        copy._sleep = self._sleep
        return copy

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None,
        content: bytes | None,
        content_type: str | None,
        options: RequestOptions | None,
        retryable: bool | None,
    ) -> _PreparedRequest:
        options = options or _NO_OPTIONS
        query = _query_list(params)
        extra_query = options.get("extra_query")
        if extra_query:
            query.extend(extra_query.items())
        # httpx copies the headers into the request, so the defaults are only copied here when
        # something is added to them.
        headers = self.default_headers
        extra_headers = options.get("extra_headers")
        if content is not None or extra_headers:
            added = dict(headers)
            if content is not None:
                added["Content-Type"] = content_type or "application/json"
            added.update(extra_headers or {})
            headers = added
        request = self._client.build_request(
            method,
            # ``base_url`` ends with "/" and ``path`` is relative to it, so appending is joining;
            # it parses the URL once where ``httpx.URL.join`` parses it three times.
            httpx.URL(f"{self.base_url}{path.lstrip('/')}"),
            # None rather than an empty tuple: any params make httpx parse the URL again.
            params=tuple(query) if query else None,
            headers=headers,
            content=content,
            timeout=options.get("timeout", self.timeout),
        )
        return _PreparedRequest(
            request=request,
            max_retries=options.get("max_retries", self.max_retries),
            retryable=is_retryable_method(method, options.get("retryable", retryable)),
        )

    def _response_retry_delay(
        self, prepared: _PreparedRequest, attempt: int, response: httpx.Response
    ) -> float | None:
        """Seconds to wait before retrying after ``response``, or None to keep it."""
        if (
            prepared.retryable
            and attempt < prepared.max_retries
            and response.status_code in RETRYABLE_STATUS_CODES
        ):
            return self._backoff.delay(attempt, response)
        return None

    def _error_retry_delay(
        self, prepared: _PreparedRequest, attempt: int, error: httpx.TransportError
    ) -> float:
        """Seconds to wait before retrying after a transport error; raises when giving up."""
        if prepared.retryable and attempt < prepared.max_retries:
            return self._backoff.delay(attempt)
        if isinstance(error, httpx.TimeoutException):
            raise APITimeoutError(request=prepared.request) from error
        raise APIConnectionError(request=prepared.request) from error

    def _finish(self, response: httpx.Response, parser: ResponseParser[_T]) -> _T:
        """Map an error status to an exception, else parse (or wrap, for raw access)."""
        if response.is_error:
            raise make_status_error(response)
        if raw_response_requested():
            return cast("_T", self._raw_response_cls(response, parser))
        return parser(response)

    _raw_response_cls: Callable[[httpx.Response, ResponseParser[Any]], object]


def _query_list(params: QueryParams | None) -> list[tuple[str, str]]:
    return list(params.items() if isinstance(params, Mapping) else params or [])


def _plain_request(
    cast_to: type[_T] | None,
    params: QueryParams | None,
    json_body: object,
    fields: str | Sequence[str] | None,
) -> tuple[ResponseParser[_T | None], list[tuple[str, str]], bytes | None]:
    """Parser, query and body of a ``_request`` call."""
    parser: ResponseParser[_T | None] = (
        no_content if cast_to is None else model_parser(cast_to, fields=fields)
    )
    content = None if json_body is None else encode_json_body(json_body)
    return parser, [*_query_list(params), *fields_param(fields)], content


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Synchronous base client; generated clients subclass it and add resource attributes.

    ``base_url`` includes the API base path (``https://host/tmf-api/customerManagement/v5``).
    ``bearer_token`` is sent as ``Authorization: Bearer ...``, ``api_key`` in the
    ``api_key_header`` header, and ``auth`` may be any ``httpx.Auth``. ``max_retries`` applies
    to idempotent requests (and to others marked ``retryable``). ``http_client`` is used as is
    and never closed by :meth:`close`; its own timeout and auth are kept unless overridden.
    ``transport`` builds the client's own ``httpx.Client`` on a custom transport (e.g. tests).
    """

    _raw_response_cls = APIResponse

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        bearer_token: str | None = None,
        api_key: str | None = None,
        api_key_header: str = "X-API-Key",
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            bearer_token=bearer_token,
            api_key=api_key,
            api_key_header=api_key_header,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            transport=transport,
            make_client=lambda: httpx.Client(transport=transport),
        )
        # Test seam: replace to observe retry delays without sleeping.
        self._sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None,
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> None: ...

    def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T] | None,
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T | None:
        """Send a request and parse the JSON response as ``cast_to`` (None: no body).

        With ``fields``, the attribute selection is sent and a model ``cast_to`` is validated
        as its partial variant.
        """
        parser, query, content = _plain_request(cast_to, params, json_body, fields)
        return self._send(
            method,
            path,
            parser=parser,
            params=query,
            content=content,
            content_type=content_type,
            options=options,
            retryable=retryable,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        parser: ResponseParser[_T],
        params: QueryParams | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T:
        """The core request loop: send, retry, map errors, then parse (or go raw)."""
        prepared = self._prepare(
            method,
            path,
            params=params,
            content=content,
            content_type=content_type,
            options=options,
            retryable=retryable,
        )
        attempt = 0
        while True:
            try:
                response = self._client.send(prepared.request, auth=self._auth)
            except httpx.TransportError as exc:
                self._sleep(self._error_retry_delay(prepared, attempt, exc))
                attempt += 1
                continue
            delay = self._response_retry_delay(prepared, attempt, response)
            if delay is None:
                break
            response.close()
            self._sleep(delay)
            attempt += 1
        return self._finish(response, parser)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Asynchronous twin of :class:`SyncAPIClient`."""

    _raw_response_cls = AsyncAPIResponse

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        bearer_token: str | None = None,
        api_key: str | None = None,
        api_key_header: str = "X-API-Key",
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            bearer_token=bearer_token,
            api_key=api_key,
            api_key_header=api_key_header,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            transport=transport,
            make_client=lambda: httpx.AsyncClient(transport=transport),
        )
        # Imported here rather than with the module: asyncio is a sizeable import that code using
        # only the sync client should not pay for.
        import asyncio

        # Test seam: replace to observe retry delays without sleeping.
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def aclose(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T: ...

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None,
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> None: ...

    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T] | None,
        params: QueryParams | None = None,
        json_body: object = None,
        content_type: str | None = None,
        fields: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T | None:
        """Async twin of :meth:`SyncAPIClient._request`."""
        parser, query, content = _plain_request(cast_to, params, json_body, fields)
        return await self._send(
            method,
            path,
            parser=parser,
            params=query,
            content=content,
            content_type=content_type,
            options=options,
            retryable=retryable,
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        parser: ResponseParser[_T],
        params: QueryParams | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        options: RequestOptions | None = None,
        retryable: bool | None = None,
    ) -> _T:
        """Async twin of :meth:`SyncAPIClient._send`."""
        prepared = self._prepare(
            method,
            path,
            params=params,
            content=content,
            content_type=content_type,
            options=options,
            retryable=retryable,
        )
        attempt = 0
        while True:
            try:
                response = await self._client.send(prepared.request, auth=self._auth)
            except httpx.TransportError as exc:
                await self._sleep(self._error_retry_delay(prepared, attempt, exc))
                attempt += 1
                continue
            delay = self._response_retry_delay(prepared, attempt, response)
            if delay is None:
                break
            await response.aclose()
            await self._sleep(delay)
            attempt += 1
        return self._finish(response, parser)
