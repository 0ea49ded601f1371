from __future__ import annotations

import asyncio
import re
import sys
from typing import Any

import httpx
import pytest

from tmf629.runtime import NotificationListener, running_listener

from .conftest import customer
from .example_api import LISTENER_EVENTS, CustomerCreateEvent


def event(id: str = "e1", customer_id: str = "42") -> dict[str, Any]:
    return {
        "@type": "CustomerCreateEvent",
        "eventId": id,
        "eventTime": "2024-05-01T12:00:00Z",
        "eventType": "CustomerCreateEvent",
        "event": {"customer": customer(customer_id)},
    }


@pytest.fixture
def listener() -> NotificationListener:
    return NotificationListener(LISTENER_EVENTS)


def client_for(listener: NotificationListener) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=listener), base_url="http://cb")


async def test_valid_event_is_stored_and_answered_204(listener: NotificationListener) -> None:
    async with client_for(listener) as http:
        response = await http.post("/any/prefix/listener/customerCreateEvent", json=event())

    assert response.status_code == 204
    assert response.content == b""
    assert len(listener.received) == 1
    received = listener.received[0]
    assert isinstance(received, CustomerCreateEvent)
    assert received.event.customer.id == "42"
    assert await listener.wait_for(CustomerCreateEvent) is received


async def test_wait_for_a_future_event_with_predicate(listener: NotificationListener) -> None:
    waiting = asyncio.create_task(
        listener.wait_for(
            CustomerCreateEvent, timeout=2, predicate=lambda e: e.event.customer.id == "7"
        )
    )
    async with client_for(listener) as http:
        await http.post("/listener/customerCreateEvent", json=event("e1", "1"))
        await asyncio.sleep(0)
        assert not waiting.done()
        await http.post("/listener/customerCreateEvent", json=event("e2", "7"))

    result = await waiting
    assert result.event_id == "e2"
    assert [e.event_id for e in listener.received if isinstance(e, CustomerCreateEvent)] == [
        "e1",
        "e2",
    ]


async def test_failing_predicate_is_raised_by_wait_for(listener: NotificationListener) -> None:
    def predicate(e: CustomerCreateEvent) -> bool:
        raise KeyError("boom")

    waiting = asyncio.create_task(listener.wait_for(CustomerCreateEvent, predicate=predicate))
    await asyncio.sleep(0)
    async with client_for(listener) as http:
        response = await http.post("/listener/customerCreateEvent", json=event())

    assert response.status_code == 204
    with pytest.raises(KeyError, match="boom"):
        await waiting


async def test_wait_for_times_out(listener: NotificationListener) -> None:
    with pytest.raises(TimeoutError):
        await listener.wait_for(CustomerCreateEvent, timeout=0.05)
    assert listener._waiters == []


async def test_malformed_json_is_400_with_tmf_error(listener: NotificationListener) -> None:
    async with client_for(listener) as http:
        response = await http.post(
            "/listener/customerCreateEvent",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["@type"] == "Error"
    assert body["code"] == "400"
    assert body["reason"] == "Invalid JSON"
    assert listener.received == []


async def test_schema_invalid_event_is_400(listener: NotificationListener) -> None:
    async with client_for(listener) as http:
        response = await http.post("/listener/customerCreateEvent", json={"eventId": "e1"})

    assert response.status_code == 400
    assert response.json()["reason"] == "Invalid event"
    assert "eventTime" in response.json()["message"]
    assert listener.received == []


async def test_unknown_path_is_404_and_wrong_method_405(listener: NotificationListener) -> None:
    async with client_for(listener) as http:
        missing = await http.post("/listener/customerDeleteEvent", json=event())
        wrong_method = await http.get("/listener/customerCreateEvent")

    assert missing.status_code == 404
    assert missing.json()["code"] == "404"
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"


async def test_running_listener_without_uvicorn(
    listener: NotificationListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)

    with pytest.raises(ImportError, match=re.escape("pip install 'tmf629[listener]'")):
        async with running_listener(listener):
            pass


async def test_running_listener_on_loopback(listener: NotificationListener) -> None:
    async with running_listener(listener) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"{base_url}/callback/listener/customerCreateEvent", json=event()
            )
        assert response.status_code == 204
        received = await listener.wait_for(CustomerCreateEvent, timeout=2)

    assert received.event_id == "e1"
