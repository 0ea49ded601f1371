"""A listener that hangs or refuses connections neither holds up the API nor the other listeners.

No timing is asserted: the API answers while the hanging listener is still holding its request,
and the healthy listener receives its events while the others are failing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.mockserver.conftest import AppFactory
from tests.mockserver.helpers import customer_body
from tmf629_mock.hub import Deliverer
from tmf629_mock.testing import RecordingListener, free_port, serve_in_loop


class HangingListener:
    """Accepts each notification and then holds it until released."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()

    def app(self) -> Starlette:
        async def hang(request: Request) -> Response:
            self.arrived.set()
            await self.release.wait()
            return Response(status_code=204)

        return Starlette(routes=[Route("/{path:path}", hang, methods=["POST"])])


@pytest.fixture
async def hanging() -> AsyncIterator[tuple[HangingListener, str]]:
    listener = HangingListener()
    async with serve_in_loop(listener.app()) as url:
        yield listener, url
        listener.release.set()


async def test_hanging_and_refusing_listeners_do_not_hold_up_the_api(
    make_client: AppFactory, hanging: tuple[HangingListener, str]
) -> None:
    hanger, hanging_url = hanging
    healthy = RecordingListener()
    async with serve_in_loop(healthy.app()) as healthy_url:
        client = await make_client(
            deliverer=Deliverer(max_attempts=3, base_delay=0.05, timeout=30.0)
        )
        refused_url = f"http://127.0.0.1:{free_port()}"
        for callback in (hanging_url, refused_url, healthy_url):
            assert (await client.post("/hub", json={"callback": callback})).status_code == 201

        first = await client.post("/customer", json=customer_body("First"))
        assert first.status_code == 201
        await asyncio.wait_for(hanger.arrived.wait(), 10)

        # The hanging listener still holds its request: the API goes on regardless.
        assert not hanger.release.is_set()
        second = await client.post("/customer", json=customer_body("Second"))
        assert second.status_code == 201
        removed = await client.delete(f"/customer/{first.json()['id']}")
        assert removed.status_code == 204

        received = await healthy.wait_for(3, seconds=10)
        kinds = [n.body["eventType"] for n in received]
        assert kinds.count("CustomerCreateEvent") == 2
        assert "CustomerDeleteEvent" in kinds
        assert not hanger.release.is_set(), "all of that happened while the listener hung"
