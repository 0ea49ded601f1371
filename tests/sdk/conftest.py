"""Harness running each client-level test against both the sync and the async client."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx
import pytest

from tmf629.runtime import Backoff

from .example_api import AsyncExampleClient, ExampleClient

BASE_URL = "http://api.test/tmf-api/customerManagement/v5"
NOW = 1_700_000_000.0

Handler = Callable[[httpx.Request], httpx.Response]


def customer(id: str = "42", **extra: Any) -> dict[str, Any]:
    return {
        "@type": "Customer",
        "id": id,
        "href": f"{BASE_URL}/customer/{id}",
        "name": f"Customer {id}",
        **extra,
    }


def json_response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def sequence(*responses: httpx.Response | Exception) -> Handler:
    """A handler answering with ``responses`` in order (exceptions are raised)."""
    queue = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        # A fresh copy: one Response object must not be sent twice (or by two clients).
        return httpx.Response(item.status_code, headers=item.headers, content=item.content)

    return handle


class Harness:
    """One client (sync or async) over a MockTransport, recording requests and sleeps."""

    def __init__(self, is_async: bool, handler: Handler, **client_kwargs: Any) -> None:
        self.is_async = is_async
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        transport = httpx.MockTransport(record)
        client_kwargs.setdefault("base_url", BASE_URL)
        self.client: Any
        if is_async:
            self.client = AsyncExampleClient(transport=transport, **client_kwargs)

            async def fake_async_sleep(seconds: float) -> None:
                self.sleeps.append(seconds)

            self.client._sleep = fake_async_sleep
        else:
            self.client = ExampleClient(transport=transport, **client_kwargs)
            self.client._sleep = self.sleeps.append
        # random() == 0.5 means zero jitter, so delays are exact.
        self.client._backoff = Backoff(random=lambda: 0.5, now=lambda: NOW)

    async def call(self, operation: Callable[[Any], Any]) -> Any:
        """Run ``operation(client)``, awaiting it for the async client."""
        result = operation(self.client)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def collect(self, operation: Callable[[Any], Any]) -> list[Any]:
        """Drain the (async) iterator returned by ``operation(client)``."""
        iterator = operation(self.client)
        if self.is_async:
            return [item async for item in iterator]
        return list(iterator)

    async def parse(self, raw: Any) -> Any:
        parsed = raw.parse()
        if inspect.isawaitable(parsed):
            parsed = await parsed
        return parsed

    async def close(self) -> None:
        if self.is_async:
            await self.client.aclose()
        else:
            self.client.close()


MakeHarness = Callable[..., Harness]


@pytest.fixture(params=["sync", "async"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[MakeHarness]:
    created: list[Harness] = []

    def factory(handler: Handler, **client_kwargs: Any) -> Harness:
        harness = Harness(request.param == "async", handler, **client_kwargs)
        created.append(harness)
        return harness

    yield factory
    for harness in created:
        await harness.close()


def query_items(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


def params_of(requests: Iterable[httpx.Request]) -> list[dict[str, str]]:
    return [dict(request.url.params) for request in requests]
