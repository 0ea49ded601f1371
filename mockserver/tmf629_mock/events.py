"""TMF notifications raised by the service after a successful write.

* after a create: the resource's ``create`` event;
* after a patch that changed something: the ``attribute_value_change`` event, plus the
  ``state_change`` event when the resource's state attribute changed;
* after a delete: the ``delete`` event (carrying the deleted resource).

Event bodies follow the TMF v5 Event schema: ``@type`` and ``eventType`` are the event schema
name, ``eventId`` is unique, ``eventTime`` is the UTC time of the change, and the resource sits
under ``event.<payload_key>``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tmf629_mock.ids import random_uuid
from tmf629_mock.ir import Api, Event, Resource

__all__ = ["build_event", "events_after_create", "events_after_delete", "events_after_patch"]


def _events(api: Api, resource: Resource, kind: str) -> list[Event]:
    names = set(resource.events)
    return [
        event
        for event in api.events
        if event.kind == kind and (event.resource == resource.name or event.name in names)
    ]


def build_event(event: Event, document: dict[str, Any], **extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    event_id = random_uuid()
    body: dict[str, Any] = {
        "@type": event.name,
        "eventId": event_id,
        "eventTime": now,
        "eventType": event.name,
        "event": {event.payload_key: document},
    }
    body.update(extra)
    return body


def events_after_create(
    api: Api, resource: Resource, document: dict[str, Any]
) -> list[dict[str, Any]]:
    return [build_event(event, document) for event in _events(api, resource, "create")]


def events_after_patch(
    api: Api, resource: Resource, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    if before == after:
        return []
    changed = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
    bodies = [
        build_event(event, after, fieldPath=",".join(changed))
        for event in _events(api, resource, "attribute_value_change")
    ]
    state = resource.state_attribute
    if state and before.get(state) != after.get(state):
        bodies.extend(build_event(event, after) for event in _events(api, resource, "state_change"))
    return bodies


def events_after_delete(
    api: Api, resource: Resource, document: dict[str, Any]
) -> list[dict[str, Any]]:
    return [build_event(event, document) for event in _events(api, resource, "delete")]
