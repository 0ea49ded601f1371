"""Response parsing and raw-response wrappers (no I/O here).

pydantic is imported inside the functions that validate: the clients import this module, and
loading pydantic's model machinery with them would dominate the SDK's import time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, Hashable, Sequence
from contextvars import ContextVar
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._errors import APIResponseValidationError
from ._models import partial_model

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "ResponseParser",
    "async_to_raw_response_wrapper",
    "model_parser",
    "no_content",
    "parse_json",
    "raw_response_requested",
    "to_raw_response_wrapper",
    "validate",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")

ResponseParser = Callable[[httpx.Response], _T]

# Set by the raw-response wrappers for the duration of one call; the client's core request
# method then returns the APIResponse instead of the parsed value.
_raw_response: ContextVar[bool] = ContextVar("tmf629_raw_response", default=False)


def raw_response_requested() -> bool:
    return _raw_response.get()


def parse_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise APIResponseValidationError(
            response=response, body=None, detail=f"invalid JSON: {exc}"
        ) from exc


@functools.cache
def _validator(tp: Any) -> Callable[[Any], Any]:
    """The function validating Python data as ``tp``, looked up once per type."""
    from pydantic import BaseModel, TypeAdapter

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.model_validate
    return TypeAdapter(tp).validate_python


def validate(response: httpx.Response, tp: type[_T], data: Any) -> _T:
    """Validate ``data`` taken from ``response`` as ``tp``, raising APIResponseValidationError."""
    from pydantic import ValidationError

    try:
        return cast("_T", _validator(cast("Hashable", tp))(data))
    except ValidationError as exc:
        raise APIResponseValidationError(response=response, body=data, detail=str(exc)) from exc


def no_content(response: httpx.Response) -> None:
    """Parser for operations without a response body (DELETE)."""
    return None


def model_parser(
    cast_to: type[_T], *, fields: Sequence[str] | str | None = None
) -> ResponseParser[_T]:
    """Parser for a single resource; with ``fields`` a model is validated as its partial twin."""

    def parse(response: httpx.Response) -> _T:
        target: type[Any] = cast_to
        if fields is not None:
            from pydantic import BaseModel

            if isinstance(cast_to, type) and issubclass(cast_to, BaseModel):
                target = partial_model(cast_to)
        return cast("_T", validate(response, target, parse_json(response)))

    return parse


class _BaseAPIResponse(Generic[_T]):
    def __init__(self, http_response: httpx.Response, parser: ResponseParser[_T]) -> None:
        self.http_response = http_response
        self._parser = parser
        self._parsed: tuple[_T] | None = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    def _parse(self) -> _T:
        if self._parsed is None:
            self._parsed = (self._parser(self.http_response),)
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_response.request.url}>"


class APIResponse(_BaseAPIResponse[_T]):
    """The HTTP response of a call made through ``with_raw_response``."""

    def parse(self) -> _T:
        """The value the call would have returned (parsed once, then cached)."""
        return self._parse()


class AsyncAPIResponse(_BaseAPIResponse[_T]):
    """The HTTP response of an async call made through ``with_raw_response``."""

    async def parse(self) -> _T:
        """The value the call would have returned (parsed once, then cached)."""
        return self._parse()


def to_raw_response_wrapper(func: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    """Make a resource method return the :class:`APIResponse` instead of the parsed value."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        token = _raw_response.set(True)
        try:
            result: object = func(*args, **kwargs)
        finally:
            _raw_response.reset(token)
        if not isinstance(result, APIResponse):
            raise TypeError(f"{func.__qualname__} does not support raw response access")
        return result

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_T]]]:
    """Async twin of :func:`to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_T]:
        token = _raw_response.set(True)
        try:
            result: object = await func(*args, **kwargs)
        finally:
            _raw_response.reset(token)
        if not isinstance(result, AsyncAPIResponse):
            raise TypeError(f"{func.__qualname__} does not support raw response access")
        return result

    return wrapped
