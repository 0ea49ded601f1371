"""TMF notifications raised by the service after a successful write.

* after a create: the resource's ``create`` event;
* after a patch that changed something: the ``attribute_value_change`` event, plus the
  ``state_change`` event when the resource's state attribute changed;
* after a delete: the ``delete`` event (carrying the deleted resource).

Event bodies follow the TMF v5 Event schema: ``@type`` and ``eventType`` are the event schema
name, ``eventId`` is unique, ``eventTime`` is the UTC time of the change, and the resource sits
under ``event.<payload_key>``. The builders return :class:`WriteEvents`, which builds the bodies
when the hub or a message bus first asks for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tmf629_mock.ids import random_uuid
from tmf629_mock.ir import Api, Event, Resource

__all__ = [
    "WriteEvents",
    "build_event",
    "events_after_create",
    "events_after_delete",
    "events_after_patch",
]

Body = dict[str, Any]


class WriteEvents:
    """The event bodies of one write, built when first asked for: most writes have no
    listener, and building them (ids, times, bodies) was a fifth of the cost of a create.
    The time of the write is taken now; the documents must not change afterwards."""

    __slots__ = ("_at", "_bodies", "_build")

    def __init__(self, build: Callable[[str], list[Body]]) -> None:
        self._at = time.time()
        self._build = build
        self._bodies: list[Body] | None = None

    def bodies(self) -> list[Body]:
        if self._bodies is None:
            at = datetime.fromtimestamp(self._at, UTC)
            now = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            self._bodies = self._build(now)
        return self._bodies


def _events(api: Api, resource: Resource, kind: str) -> list[Event]:
    names = set(resource.events)
    return [
        event
        for event in api.events
        if event.kind == kind and (event.resource == resource.name or event.name in names)
    ]


def build_event(event: Event, document: Body, now: str, **extra: Any) -> Body:
    """The body of ``event`` about ``document``, raised at ``now`` (an RFC 3339 UTC time)."""
    body: Body = {
        "@type": event.name,
        "eventId": random_uuid(),
        "eventTime": now,
        "eventType": event.name,
        "event": {event.payload_key: document},
    }
    body.update(extra)
    return body


def _events_about(api: Api, resource: Resource, document: Body, kind: str) -> WriteEvents:
    return WriteEvents(
        lambda now: [build_event(event, document, now) for event in _events(api, resource, kind)]
    )


def events_after_create(api: Api, resource: Resource, document: Body) -> WriteEvents:
    return _events_about(api, resource, document, "create")


def events_after_patch(api: Api, resource: Resource, before: Body, after: Body) -> WriteEvents:
    def build(now: str) -> list[Body]:
        if before == after:
            return []
        changed = sorted(
            key for key in set(before) | set(after) if before.get(key) != after.get(key)
        )
        bodies = [
            build_event(event, after, now, fieldPath=",".join(changed))
            for event in _events(api, resource, "attribute_value_change")
        ]
        state = resource.state_attribute
        if state and before.get(state) != after.get(state):
            bodies.extend(
                build_event(event, after, now) for event in _events(api, resource, "state_change")
            )
        return bodies

    return WriteEvents(build)


def events_after_delete(api: Api, resource: Resource, document: Body) -> WriteEvents:
    return _events_about(api, resource, document, "delete")
