"""Notifications: a listener registered with the hub receives the Customer events.

The create event is the one the suite requires; R17 defines the other three as well.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
import pytest

import tmf629
from tests.conformance.data import minimal_customer
from tests.conformance.rules import Rule, ensure, violation

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


class _Recorder:
    """ASGI wrapper noting every request the listener got and its answer status."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[str] = []

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        statuses: list[int] = []

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, noting)
        self.requests.append(f"{scope['method']} {scope['path']} -> {statuses[:1]}")


def _is_local(host: str | None) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


@contextlib.asynccontextmanager
async def _listening(
    server_url: str, listener_host: str | None
) -> AsyncIterator[tuple[tmf629.NotificationListener, _Recorder, str]]:
    if listener_host is None and not _is_local(urlsplit(server_url).hostname):
        pytest.skip(
            f"the server {server_url} is not on this machine, so it cannot reach a listener on "
            "127.0.0.1: pass --listener-host with an address of this machine the server can "
            "reach to run this check"
        )
    listener = tmf629.create_listener()
    recorder = _Recorder(listener)
    serving = tmf629.running_listener(
        cast(tmf629.NotificationListener, recorder), host=listener_host or "127.0.0.1"
    )
    async with serving as callback:
        yield listener, recorder, callback


Action = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


async def _rename(http: httpx.AsyncClient, ident: str) -> httpx.Response:
    return await http.patch(f"/customer/{ident}", json={"description": "renamed"}, headers=MERGE)


async def _suspend(http: httpx.AsyncClient, ident: str) -> httpx.Response:
    return await http.patch(f"/customer/{ident}", json={"status": "Suspended"}, headers=MERGE)


async def _delete(http: httpx.AsyncClient, ident: str) -> httpx.Response:
    return await http.delete(f"/customer/{ident}")


MERGE = {"Content-Type": "application/merge-patch+json"}
EVENTS: dict[str, tuple[type[Any], Action | None]] = {
    "CustomerCreateEvent": (tmf629.models.CustomerCreateEvent, None),
    "CustomerAttributeValueChangeEvent": (
        tmf629.models.CustomerAttributeValueChangeEvent,
        _rename,
    ),
    "CustomerStateChangeEvent": (tmf629.models.CustomerStateChangeEvent, _suspend),
    "CustomerDeleteEvent": (tmf629.models.CustomerDeleteEvent, _delete),
}


async def _check_event(
    event_name: str,
    server_url: str,
    external: bool,
    listener_host: str | None,
    seconds: float,
    headers: dict[str, str],
    name: str,
    rule: Rule,
) -> None:
    model, action = EVENTS[event_name]
    client = httpx.AsyncClient(base_url=server_url, timeout=15, headers=headers)
    async with _listening(server_url, listener_host) as (listener, recorder, callback), client:
        http = client
        hub = await http.post("/hub", json={"callback": callback})
        ensure(hub.status_code == 201, rule, "registering the listener failed", hub)
        ident = None
        try:
            created = await http.post("/customer", json=minimal_customer(name, status="Active"))
            ensure(created.status_code == 201, rule, "creating a customer failed", created)
            ident = str(created.json()["id"])
            trigger = created if action is None else await action(http, ident)
            ensure(trigger.is_success, rule, "the triggering request failed", trigger)

            def about_it(event: Any) -> bool:
                payload = getattr(event, "event", None)
                customer = getattr(payload, "customer", None)
                return customer is not None and customer.id == ident

            try:
                event = await listener.wait_for(model, timeout=seconds, predicate=about_it)
            except TimeoutError:
                got = "; ".join(recorder.requests) or "nothing"
                if external and not recorder.requests:
                    pytest.skip(
                        f"no request at all reached the listener at {callback} within "
                        f"{seconds:.0f} s: the server cannot reach it (pass --listener-host) or "
                        "sends no notifications, which the profile does not make mandatory"
                    )
                raise AssertionError(
                    violation(
                        rule,
                        f"no {event_name} about customer {ident} at "
                        f"{callback}/listener/{event_name[0].lower() + event_name[1:]} within "
                        f"{seconds:.0f} s; the listener received: {got}",
                        hub,
                        trigger,
                    )
                ) from None
            ensure(
                event.event_type == event_name,
                rule,
                f"eventType is {event.event_type!r}, not {event_name!r}",
                trigger,
            )
        finally:
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                if ident is not None and action is not _delete:
                    await http.delete(f"/customer/{ident}")
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                await http.delete(f"/hub/{hub.json()['id']}")


@pytest.fixture
def notify(
    server_url: str,
    pytestconfig: pytest.Config,
    listener_host: str | None,
    notification_timeout: float,
    request_headers: dict[str, str],
    token: str,
) -> Callable[[str, Rule], Awaitable[None]]:
    external = bool(pytestconfig.getoption("--url", default=None))

    async def check(event_name: str, rule: Rule) -> None:
        await _check_event(
            event_name,
            server_url,
            external,
            listener_host,
            notification_timeout,
            request_headers,
            f"{token}-notified",
            rule,
        )

    return check


async def test_create_event_is_delivered_to_the_listener(
    notify: Callable[[str, Rule], Awaitable[None]], rule: Rule
) -> None:
    """After a Customer is created, a listener registered with POST /hub receives a
    CustomerCreateEvent at {callback}/listener/customerCreateEvent, with eventType
    CustomerCreateEvent and the created Customer in event.customer.

    Source: R17, API Notifications (Register listener; Publish Event to listener) and
    Notification Resource Models (Customer Creation Notification, event.customer);
    DECISIONS.md, Event names (v5 CustomerCreateEvent, /listener/customerCreateEvent).
    """
    await notify("CustomerCreateEvent", rule)


async def test_attribute_value_change_event_is_delivered(
    notify: Callable[[str, Rule], Awaitable[None]], rule: Rule
) -> None:
    """After an attribute of a Customer is patched, the listener receives a
    CustomerAttributeValueChangeEvent carrying the Customer.

    Source: R17, Notification Resource Models (Customer Attribute Value Change Notification);
    DECISIONS.md, Event names.
    """
    await notify("CustomerAttributeValueChangeEvent", rule)


async def test_state_change_event_is_delivered(
    notify: Callable[[str, Rule], Awaitable[None]], rule: Rule
) -> None:
    """After the status of a Customer is patched, the listener receives a
    CustomerStateChangeEvent carrying the Customer.

    Source: R17, Notification Resource Models (Customer State Change Notification);
    DECISIONS.md, Event names.
    """
    await notify("CustomerStateChangeEvent", rule)


async def test_delete_event_is_delivered(
    notify: Callable[[str, Rule], Awaitable[None]], rule: Rule
) -> None:
    """After a Customer is deleted, the listener receives a CustomerDeleteEvent carrying the
    Customer (its last representation).

    Source: R17, Notification Resource Models (Customer Remove Notification); DECISIONS.md,
    Event names and Event envelope.
    """
    await notify("CustomerDeleteEvent", rule)
