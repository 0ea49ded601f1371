"""Retry decisions and backoff delays, shared by the sync and async clients (no I/O here)."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

__all__ = ["IDEMPOTENT_METHODS", "RETRYABLE_STATUS_CODES", "Backoff", "is_retryable_method"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# 500 is not here: it usually means a bug on the server, which a retry will not fix.
RETRYABLE_STATUS_CODES = frozenset({429, 502, 503, 504})


def is_retryable_method(method: str, retryable: bool | None) -> bool:
    """An explicit ``retryable`` wins; otherwise only idempotent methods are retried."""
    if retryable is not None:
        return retryable
    return method.upper() in IDEMPOTENT_METHODS


@dataclass(frozen=True)
class Backoff:
    """Backoff schedule: ``initial_delay * 2**attempt`` capped at ``max_delay``, +-``jitter``.

    ``random`` and ``now`` are injectable so tests can assert exact delays.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0
    random: Callable[[], float] = field(default=random.random)
    now: Callable[[], float] = field(default=time.time)

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0)."""
        if response is not None:
            retry_after = self.retry_after(response)
            if retry_after is not None:
                return retry_after
        base = min(self.initial_delay * 2.0**attempt, self.max_delay)
        return base * (1 + self.jitter * (2 * self.random() - 1))

    def retry_after(self, response: httpx.Response) -> float | None:
        """The server-requested delay from ``Retry-After`` (seconds or HTTP date), capped."""
        value = response.headers.get("retry-after")
        if value is None:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=datetime.UTC)
            seconds = when.timestamp() - self.now()
        if not math.isfinite(seconds):  # "nan" and "inf" parse as floats
            return None
        return min(max(seconds, 0.0), self.max_retry_after)
