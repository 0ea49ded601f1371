"""Fixtures for the command channels and events over brokers: in-memory, NATS, RabbitMQ.

Real brokers are marked ``services``; without one the test is skipped with a reason, or fails
when ``TMF629_REQUIRE_SERVICES=1``. Each test uses its own channel prefix, so runs and tests
never see each other's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tmf629 import AsyncTmf629Client, AsyncTmf629CommandClient, MessageBus
from tmf629.runtime import IncomingMessage
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import default_spec, load_model
from tmf629_mock.messaging import Messaging

NATS_URL = os.environ.get("TMF629_NATS_URL", "nats://127.0.0.1:4222")
RABBIT_URL = os.environ.get("TMF629_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672/")
BASE_PATH = "/tmf-api/customerManagement/v5"
ORIGIN = "http://testserver"

BROKERS = [
    pytest.param("memory://", id="memory"),
    pytest.param(NATS_URL, id="nats", marks=pytest.mark.services),
    pytest.param(NATS_URL + "?jetstream=1", id="nats-jetstream", marks=pytest.mark.services),
    pytest.param(RABBIT_URL, id="rabbitmq", marks=pytest.mark.services),
]

MOON: dict[str, Any] = {
    "@type": "Customer",
    "name": "Moon Football Club",
    "engagedParty": {"@type": "PartyRef", "@referredType": "Organization", "id": "6610"},
}


def broker_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 1):
            return True
    except OSError:
        return False


def require_broker(url: str) -> None:
    """Skip (or, with ``TMF629_REQUIRE_SERVICES=1``, fail) without a reachable broker."""
    required = os.environ.get("TMF629_REQUIRE_SERVICES") == "1"
    try:
        import faststream  # noqa: F401
    except ImportError as exc:
        if required:
            pytest.fail(f"FastStream is not installed ({exc}) and TMF629_REQUIRE_SERVICES=1")
        pytest.skip(f"FastStream is not installed (extra 'messaging'): {exc}")
    if url.startswith("memory:") or broker_reachable(url):
        return
    shown = MessageBus(url).display_url
    if required:
        pytest.fail(f"broker at {shown} is unreachable and TMF629_REQUIRE_SERVICES=1")
    pytest.skip(f"broker at {shown} is unreachable")


def unique_prefix() -> str:
    return "t" + uuid.uuid4().hex[:12]


@dataclass
class Stack:
    """A mock server (REST app + message responder) and clients of both transports."""

    bus: MessageBus
    messaging: Messaging
    commands: AsyncTmf629CommandClient
    rest: AsyncTmf629Client
    prefix: str | None
    app: Any

    def address(self, template: str) -> str:
        return self.messaging.address(template)


@dataclass
class Recorder:
    """Records every message on one channel address."""

    messages: list[IncomingMessage] = field(default_factory=list)
    _event: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, message: IncomingMessage) -> None:
        self.messages.append(message)
        self._event.set()

    async def wait_for(self, count: int, seconds: float = 5.0) -> list[IncomingMessage]:
        async with asyncio.timeout(seconds):
            while len(self.messages) < count:
                self._event.clear()
                await self._event.wait()
        return list(self.messages)


async def open_stack(url: str, prefix: str | None) -> AsyncIterator[Stack]:
    require_broker(url)
    spec = default_spec()
    app = create_app(load_model(spec), spec)
    service = mock_state(app).service
    async with MessageBus(url) as bus:
        messaging = Messaging(
            service, bus, channel_prefix=prefix, base_url=ORIGIN + BASE_PATH, group="tests"
        )
        async with messaging:
            transport = httpx.ASGITransport(app=app)
            async with (
                AsyncTmf629CommandClient(bus, channel_prefix=prefix, timeout=5) as commands,
                AsyncTmf629Client(base_url=ORIGIN + BASE_PATH, transport=transport) as rest,
            ):
                yield Stack(bus, messaging, commands, rest, prefix, app)
    await mock_state(app).close()
    if bus.jetstream:
        await delete_streams([messaging.address(route.request) for route in messaging.routes])


async def delete_streams(addresses: list[str]) -> None:
    """Remove the JetStream streams a test made, so that runs leave nothing behind."""
    import nats
    from nats.js.errors import NotFoundError

    from tmf629.runtime._messaging import jetstream_name

    connection = await nats.connect(NATS_URL)
    try:
        manager = connection.jsm()
        for address in addresses:
            with contextlib.suppress(NotFoundError):
                await manager.delete_stream(jetstream_name(address))
    finally:
        await connection.close()


@pytest.fixture(params=BROKERS)
def broker_url(request: pytest.FixtureRequest) -> str:
    url: str = request.param
    return url


@pytest.fixture
async def stack(broker_url: str) -> AsyncIterator[Stack]:
    async for value in open_stack(broker_url, unique_prefix()):
        yield value
