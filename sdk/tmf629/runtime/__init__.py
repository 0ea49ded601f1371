"""Hand-written runtime of the TMF629 SDK: clients, errors, retries, paging, filters, patches,
raw responses and the notification listener. Generated resources build on these names.

Names are imported from their submodule on first use (PEP 562), so importing a client does not
pay for what it does not use yet: pydantic's model machinery, asyncio, the listener.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._client import AsyncAPIClient, QueryParams, SyncAPIClient
    from ._errors import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        InternalServerError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
    )
    from ._listener import NotificationListener, running_listener
    from ._messaging import (
        AsyncCommandClient,
        AsyncCommandResource,
        IncomingMessage,
        MessageBus,
        channel_address,
    )
    from ._messaging_headers import MessageHeaders, MessageParameters, json_text
    from ._models import partial_model
    from ._paging import Page
    from ._patch import (
        JSON_PATCH_CONTENT_TYPE,
        MERGE_PATCH_CONTENT_TYPE,
        JsonPatch,
        PatchInput,
        escape_pointer_token,
        json_pointer,
        patch_content_type,
        unescape_pointer_token,
    )
    from ._query import Filter, FilterInput, FilterValue, Where, where
    from ._resource import AsyncAPIResource, SyncAPIResource, format_path
    from ._response import (
        APIResponse,
        AsyncAPIResponse,
        async_to_raw_response_wrapper,
        to_raw_response_wrapper,
    )
    from ._retry import Backoff
    from ._tmf_error import TmfError
    from ._types import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientOptions, RequestOptions

# Public name -> the submodule defining it.
_SUBMODULES: dict[str, str] = {
    "AsyncAPIClient": "_client",
    "QueryParams": "_client",
    "SyncAPIClient": "_client",
    "APIConnectionError": "_errors",
    "APIError": "_errors",
    "APIResponseValidationError": "_errors",
    "APIStatusError": "_errors",
    "APITimeoutError": "_errors",
    "AuthenticationError": "_errors",
    "BadRequestError": "_errors",
    "ConflictError": "_errors",
    "InternalServerError": "_errors",
    "NotFoundError": "_errors",
    "PermissionDeniedError": "_errors",
    "RateLimitError": "_errors",
    "UnprocessableEntityError": "_errors",
    "NotificationListener": "_listener",
    "running_listener": "_listener",
    "AsyncCommandClient": "_messaging",
    "AsyncCommandResource": "_messaging",
    "MessageHeaders": "_messaging_headers",
    "MessageParameters": "_messaging_headers",
    "json_text": "_messaging_headers",
    "IncomingMessage": "_messaging",
    "MessageBus": "_messaging",
    "channel_address": "_messaging",
    "partial_model": "_models",
    "Page": "_paging",
    "JSON_PATCH_CONTENT_TYPE": "_patch",
    "MERGE_PATCH_CONTENT_TYPE": "_patch",
    "JsonPatch": "_patch",
    "PatchInput": "_patch",
    "escape_pointer_token": "_patch",
    "json_pointer": "_patch",
    "patch_content_type": "_patch",
    "unescape_pointer_token": "_patch",
    "Filter": "_query",
    "FilterInput": "_query",
    "FilterValue": "_query",
    "Where": "_query",
    "where": "_query",
    "AsyncAPIResource": "_resource",
    "SyncAPIResource": "_resource",
    "format_path": "_resource",
    "APIResponse": "_response",
    "AsyncAPIResponse": "_response",
    "async_to_raw_response_wrapper": "_response",
    "to_raw_response_wrapper": "_response",
    "Backoff": "_retry",
    "TmfError": "_tmf_error",
    "DEFAULT_MAX_RETRIES": "_types",
    "DEFAULT_TIMEOUT": "_types",
    "ClientOptions": "_types",
    "RequestOptions": "_types",
}

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "JSON_PATCH_CONTENT_TYPE",
    "MERGE_PATCH_CONTENT_TYPE",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncAPIResponse",
    "AsyncCommandClient",
    "AsyncCommandResource",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "ClientOptions",
    "ConflictError",
    "Filter",
    "FilterInput",
    "FilterValue",
    "IncomingMessage",
    "InternalServerError",
    "JsonPatch",
    "MessageBus",
    "MessageHeaders",
    "MessageParameters",
    "NotFoundError",
    "NotificationListener",
    "Page",
    "PatchInput",
    "PermissionDeniedError",
    "QueryParams",
    "RateLimitError",
    "RequestOptions",
    "SyncAPIClient",
    "SyncAPIResource",
    "TmfError",
    "UnprocessableEntityError",
    "Where",
    "async_to_raw_response_wrapper",
    "channel_address",
    "escape_pointer_token",
    "format_path",
    "json_pointer",
    "json_text",
    "partial_model",
    "patch_content_type",
    "running_listener",
    "to_raw_response_wrapper",
    "unescape_pointer_token",
    "where",
]


def __getattr__(name: str) -> object:
    submodule = _SUBMODULES.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{submodule}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
