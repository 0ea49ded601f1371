"""Hub subscriptions and event delivery (in-process listener on a loopback port)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.mockserver.conftest import AppFactory
from tests.mockserver.helpers import assert_tmf_error, customer_body
from tmf629_mock.app import mock_state
from tmf629_mock.hub import Deliverer, listener_url
from tmf629_mock.testing import RecordingListener, serve_in_loop

MERGE = {"content-type": "application/merge-patch+json"}


@pytest.fixture
async def listener() -> AsyncIterator[RecordingListener]:
    recording = RecordingListener()
    async with serve_in_loop(recording.app()) as url:
        recording.url = url
        yield recording


async def drain(client: httpx.AsyncClient) -> None:
    await asyncio.wait_for(mock_state(client.app).hub.drain(), 10)  # type: ignore[attr-defined]


def test_listener_url_convention() -> None:
    assert (
        listener_url("http://h/cb/", "CustomerCreateEvent")
        == "http://h/cb/listener/customerCreateEvent"
    )
    assert listener_url("http://h", "X", "/listener/custom") == "http://h/listener/custom"


async def test_hub_create_retrieve_delete(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/hub", json={"callback": "http://127.0.0.1:9/cb", "query": "eventType=CustomerCreateEvent"}
    )
    assert response.status_code == 201, response.text
    hub = response.json()
    assert hub["id"]
    assert hub["callback"] == "http://127.0.0.1:9/cb"
    assert hub["query"] == "eventType=CustomerCreateEvent"
    assert response.headers["location"].endswith(f"/hub/{hub['id']}")
    got = await client.get(f"/hub/{hub['id']}")
    assert got.status_code == 200
    assert got.json() == hub
    assert (await client.delete(f"/hub/{hub['id']}")).status_code == 204
    assert_tmf_error(await client.get(f"/hub/{hub['id']}"), 404)
    assert_tmf_error(await client.delete(f"/hub/{hub['id']}"), 404)


@pytest.mark.parametrize(
    "body",
    [
        {"callback": "not a url"},
        {"callback": "ftp://example.com/x"},
        {"callback": ""},
        {"callback": "http://127.0.0.1:9/cb", "query": "name.regex=(["},
        {"callback": "http://127.0.0.1:9/cb", "query": "eventType.bogus..x=1"},
    ],
)
async def test_hub_refuses_bad_subscriptions(
    client: httpx.AsyncClient, body: dict[str, str]
) -> None:
    assert_tmf_error(await client.post("/hub", json=body), 400)


async def test_hub_requires_callback(client: httpx.AsyncClient) -> None:
    assert_tmf_error(await client.post("/hub", json={"query": "x=1"}), 400)


async def test_events_are_delivered(client: httpx.AsyncClient, listener: RecordingListener) -> None:
    hub = await client.post("/hub", json={"callback": listener.url + "/cb"})
    assert hub.status_code == 201
    created = (await client.post("/customer", json=customer_body(status="Pending"))).json()
    ident = created["id"]
    await client.patch(f"/customer/{ident}", content=json.dumps({"name": "Renamed"}), headers=MERGE)
    await client.patch(
        f"/customer/{ident}", content=json.dumps({"status": "Active"}), headers=MERGE
    )
    await client.patch(
        f"/customer/{ident}", content=json.dumps({"status": "Active"}), headers=MERGE
    )
    await client.delete(f"/customer/{ident}")
    await drain(client)
    received = await listener.wait_for(5)
    assert [n.path for n in received] == [
        "/cb/listener/customerCreateEvent",
        "/cb/listener/customerAttributeValueChangeEvent",
        "/cb/listener/customerAttributeValueChangeEvent",
        "/cb/listener/customerStateChangeEvent",
        "/cb/listener/customerDeleteEvent",
    ]
    types = [n.body["eventType"] for n in received]
    assert types == [
        "CustomerCreateEvent",
        "CustomerAttributeValueChangeEvent",
        "CustomerAttributeValueChangeEvent",
        "CustomerStateChangeEvent",
        "CustomerDeleteEvent",
    ]
    first = received[0].body
    assert first["event"]["customer"] == created
    assert first["@type"] == "CustomerCreateEvent"
    assert first["eventId"]
    assert first["eventTime"]
    assert len({n.body["eventId"] for n in received}) == 5
    assert received[1].body["event"]["customer"]["name"] == "Renamed"
    assert received[3].body["event"]["customer"]["status"] == "Active"
    assert received[0].headers["content-type"] == "application/json"


async def test_query_selects_events(client: httpx.AsyncClient, listener: RecordingListener) -> None:
    await client.post(
        "/hub",
        json={
            "callback": listener.url,
            "query": "eventType=CustomerDeleteEvent,CustomerStateChangeEvent",
        },
    )
    await client.post(
        "/hub", json={"callback": listener.url + "/active", "query": "event.customer.status=Active"}
    )
    created = (await client.post("/customer", json=customer_body(status="Pending"))).json()
    await client.patch(
        f"/customer/{created['id']}", content=json.dumps({"status": "Active"}), headers=MERGE
    )
    await client.delete(f"/customer/{created['id']}")
    await drain(client)
    paths = sorted(n.path for n in await listener.wait_for(5))
    assert paths == [
        "/active/listener/customerAttributeValueChangeEvent",
        "/active/listener/customerDeleteEvent",
        "/active/listener/customerStateChangeEvent",
        "/listener/customerDeleteEvent",
        "/listener/customerStateChangeEvent",
    ]


async def test_unsubscribed_listener_gets_nothing(
    client: httpx.AsyncClient, listener: RecordingListener
) -> None:
    hub = (await client.post("/hub", json={"callback": listener.url})).json()
    await client.delete(f"/hub/{hub['id']}")
    await client.post("/customer", json=customer_body())
    await drain(client)
    await asyncio.sleep(0.05)
    assert listener.received == []


async def test_dead_and_slow_listeners_do_not_delay_the_api_or_others(
    make_client: AppFactory, listener: RecordingListener
) -> None:
    slow = RecordingListener(delay=1.0)
    async with serve_in_loop(slow.app()) as slow_url:
        client = await make_client(deliverer=Deliverer(max_attempts=3, base_delay=0.5, timeout=5.0))
        await client.post("/hub", json={"callback": "http://127.0.0.1:9/dead"})  # refused
        await client.post("/hub", json={"callback": "http://10.255.255.1:9/blackhole"})
        await client.post("/hub", json={"callback": slow_url})
        await client.post("/hub", json={"callback": listener.url})
        started = time.monotonic()
        for index in range(5):
            response = await client.post("/customer", json=customer_body(f"c{index}"))
            assert response.status_code == 201
        assert time.monotonic() - started < 0.8
        received = await listener.wait_for(5, seconds=0.9)
        assert len(received) == 5  # while the slow one (1 s per event) is still on its first
        assert len(slow.received) <= 1
        await mock_state(client.app).hub.close()  # type: ignore[attr-defined]


async def test_delivery_retries_with_backoff() -> None:
    attempts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(time.monotonic())
        return httpx.Response(503 if len(attempts) < 3 else 201)

    deliverer = Deliverer(
        transport=httpx.MockTransport(handler), max_attempts=5, base_delay=0.05, max_delay=1
    )
    deliverer.submit("s1", "http://listener/listener/x", {"eventType": "X"})
    await asyncio.wait_for(deliverer.drain(), 5)
    assert len(attempts) == 3
    assert deliverer.log[0].delivered
    assert deliverer.log[0].attempts == 3
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.04
    assert gaps[1] >= 0.09  # doubled
    await deliverer.close()


async def test_delivery_gives_up_after_max_attempts() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    deliverer = Deliverer(transport=httpx.MockTransport(handler), max_attempts=3, base_delay=0.01)
    deliverer.submit("s1", "http://listener/listener/x", {"eventType": "X"})
    await asyncio.wait_for(deliverer.drain(), 5)
    assert calls == 3
    assert not deliverer.log[0].delivered
    assert "ConnectError" in (deliverer.log[0].error or "")
    await deliverer.close()


async def test_listener_operations_accept_notifications(client: httpx.AsyncClient) -> None:
    event = {
        "@type": "CustomerCreateEvent",
        "eventId": "1",
        "eventType": "CustomerCreateEvent",
        "event": {"customer": {"@type": "Customer", "id": "1", "href": "urn:c:1", "name": "n"}},
    }
    response = await client.post("/listener/customerCreateEvent", json=event)
    assert response.status_code == 204
