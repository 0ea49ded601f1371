"""Option types shared by the clients and the resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import httpx

__all__ = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ClientOptions", "RequestOptions"]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every operation as ``options=``."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, str]
    timeout: float | httpx.Timeout | None
    max_retries: int
    retryable: bool
    """Force (or forbid) retries regardless of the HTTP method, e.g. for an idempotent POST."""


class ClientOptions(TypedDict, total=False):
    """Client settings that :meth:`with_options` can override."""

    base_url: str | httpx.URL
    bearer_token: str | None
    api_key: str | None
    api_key_header: str
    auth: httpx.Auth | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    default_headers: Mapping[str, str] | None
