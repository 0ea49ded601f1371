"""The server publishes its events on the AsyncAPI event channels when a broker is configured."""

from __future__ import annotations

import json

from tests.messaging.conftest import MOON, Recorder, Stack
from tmf629 import JsonPatch, models
from tmf629._commands import CHANNELS

EVENTS = (
    "customerCreateEvent",
    "customerAttributeValueChangeEvent",
    "customerStateChangeEvent",
    "customerDeleteEvent",
)


async def test_the_four_events_over_both_transports(stack: Stack) -> None:
    recorders = {name: Recorder() for name in EVENTS}
    for name, recorder in recorders.items():
        await stack.bus.subscribe(stack.address(CHANNELS[f"event.{name}"]), recorder)

    created = await stack.commands.customers.create(body=MOON)  # over messages
    await stack.rest.customers.update(created.id, patch={"name": "renamed"})  # over REST
    await stack.commands.customers.update(created.id, patch=JsonPatch().add("/status", "Suspended"))
    await stack.rest.customers.delete(created.id)

    [create] = await recorders["customerCreateEvent"].wait_for(1)
    changes = await recorders["customerAttributeValueChangeEvent"].wait_for(2)
    [state] = await recorders["customerStateChangeEvent"].wait_for(1)
    [delete] = await recorders["customerDeleteEvent"].wait_for(1)

    event = models.CustomerCreateEvent.model_validate(json.loads(create.body))
    assert event.event_type == "CustomerCreateEvent"
    assert event.event is not None
    assert event.event.customer is not None
    assert event.event.customer.id == created.id
    assert [json.loads(m.body)["event"]["customer"]["name"] for m in changes] == [
        "renamed",
        "renamed",
    ]
    state_event = models.CustomerStateChangeEvent.model_validate(json.loads(state.body))
    assert state_event.event is not None
    assert state_event.event.customer is not None
    assert state_event.event.customer.status == "Suspended"
    assert json.loads(delete.body)["eventType"] == "CustomerDeleteEvent"
    assert create.address.endswith(".customerManagement.v5.event.customerCreateEvent")
    await stack.messaging.drain()
    assert stack.messaging.published_events == 5
