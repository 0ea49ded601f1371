"""Hand-written runtime of the TMF629 SDK: clients, errors, retries, paging, filters, patches,
raw responses and the notification listener. Generated resources build on these names."""

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
    TmfError,
    UnprocessableEntityError,
)
from ._listener import NotificationListener, running_listener
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
from ._types import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientOptions, RequestOptions

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
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "ClientOptions",
    "ConflictError",
    "Filter",
    "FilterInput",
    "FilterValue",
    "InternalServerError",
    "JsonPatch",
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
    "escape_pointer_token",
    "format_path",
    "json_pointer",
    "partial_model",
    "patch_content_type",
    "running_listener",
    "to_raw_response_wrapper",
    "unescape_pointer_token",
    "where",
]
