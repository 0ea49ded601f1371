"""Events from the server's hub arrive at the SDK's notification listener, validated."""

from __future__ import annotations

import httpx

from tmf629 import AsyncTmf629Client, create_listener, models, running_listener
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import default_spec, load_model

BASE = "http://testserver/tmf-api/customerManagement/v5"


async def test_create_change_and_delete_events_reach_the_listener() -> None:
    spec = default_spec()
    app = create_app(load_model(spec), spec)
    listener = create_listener()
    async with (
        running_listener(listener) as callback,
        AsyncTmf629Client(base_url=BASE, transport=httpx.ASGITransport(app=app)) as client,
    ):
        await client.hub.create(body={"callback": callback})
        created = await client.customers.create(
            body={
                "@type": "Customer",
                "name": "Evented",
                "status": "Initialized",
                "engagedParty": {"@type": "PartyRef", "id": "p1"},
            }
        )
        create_event = await listener.wait_for(models.CustomerCreateEvent, timeout=5)
        assert create_event.event is not None
        assert create_event.event.customer is not None
        assert create_event.event.customer.id == created.id

        await client.customers.update(created.id, patch={"status": "Active"})
        state = await listener.wait_for(models.CustomerStateChangeEvent, timeout=5)
        change = await listener.wait_for(models.CustomerAttributeValueChangeEvent, timeout=5)
        assert state.event is not None
        assert state.event.customer is not None
        assert state.event.customer.status == "Active"
        assert change.event_type == "CustomerAttributeValueChangeEvent"

        await client.customers.delete(created.id)
        deleted = await listener.wait_for(models.CustomerDeleteEvent, timeout=5)
        assert deleted.event is not None
        assert deleted.event.customer is not None
        assert deleted.event.customer.id == created.id
    await mock_state(app).close()


async def test_query_limits_what_a_listener_receives() -> None:
    spec = default_spec()
    app = create_app(load_model(spec), spec)
    listener = create_listener()
    async with (
        running_listener(listener) as callback,
        AsyncTmf629Client(base_url=BASE, transport=httpx.ASGITransport(app=app)) as client,
    ):
        await client.hub.create(
            body={"callback": callback, "query": "eventType=CustomerDeleteEvent"}
        )
        created = await client.customers.create(
            body={
                "@type": "Customer",
                "name": "Quiet",
                "engagedParty": {"@type": "PartyRef", "id": "p1"},
            }
        )
        await client.customers.delete(created.id)
        await listener.wait_for(models.CustomerDeleteEvent, timeout=5)
        assert [type(event).__name__ for event in listener.received] == ["CustomerDeleteEvent"]
    await mock_state(app).close()
