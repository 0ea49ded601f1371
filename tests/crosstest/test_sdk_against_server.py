"""Every SDK method against the mock server, through one scenario run on every target.

The same scenario drives sync and async clients: a sync call returns its result, an async one
an awaitable, and ``settle`` makes both plain values.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import pytest

from tests.crosstest.conftest import Target
from tmf629 import BadRequestError, JsonPatch, NotFoundError, models, where

T = TypeVar("T")


async def settle(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def collect(items: Iterator[T] | AsyncIterator[T]) -> list[T]:
    if isinstance(items, AsyncIterator):
        return [item async for item in items]
    return list(items)


def _new_customer(name: str, status: str = "Active") -> models.CustomerFVO:
    return models.CustomerFVO(
        at_type="Customer",
        name=name,
        status=status,
        engaged_party=models.PartyRefFVO(at_type="PartyRef", id="party-1", name="Moon Corp"),
        characteristic=[
            models.CharacteristicFVO(at_type="Characteristic", name="tier", value="gold")
        ],
    )


async def test_every_customer_operation(target: Target) -> None:
    customers = target.client.customers
    tag = target.description

    created = await settle(customers.create(body=_new_customer("Moon Football Club")))
    assert isinstance(created, models.Customer), tag
    assert created.id
    assert created.href
    assert created.href.endswith(f"/customer/{created.id}")
    others = [
        await settle(customers.create(body=_new_customer(f"Club {i}", "Pending"))) for i in range(4)
    ]

    fetched = await settle(customers.retrieve(created.id))
    assert fetched.name == "Moon Football Club"
    assert fetched.engaged_party is not None
    assert fetched.engaged_party.id == "party-1"

    selected = await settle(customers.retrieve(created.id, fields=["status"]))
    assert selected.status == "Active"
    assert "name" not in selected.model_fields_set, "unrequested attributes are absent"
    assert selected.id == created.id

    page = await settle(
        customers.list(filter=where("status") == "Pending", sort=["-name"], limit=3)
    )
    assert [c.name for c in page.items] == ["Club 3", "Club 2", "Club 1"]
    assert (page.total_count, page.result_count, page.partial) == (4, 3, True)

    either = await settle(
        customers.list(filter=where("name").in_(["Club 0", "Moon Football Club"]))
    )
    assert {c.name for c in either.items} == {"Club 0", "Moon Football Club"}
    assert not either.partial

    dotted = await settle(customers.list(filter={"characteristic.value": "gold"}, limit=100))
    assert dotted.total_count == 5

    everyone = await collect(customers.iter(sort=["name"], page_size=2))
    assert [c.name for c in everyone] == sorted(["Moon Football Club", *(c.name for c in others)])

    merged = await settle(
        customers.update(created.id, patch={"statusReason": "vip", "status": "Suspended"})
    )
    assert (merged.status, merged.status_reason) == ("Suspended", "vip")
    removed = await settle(
        customers.update(created.id, patch=models.CustomerMVO(status_reason=None))
    )
    assert removed.status_reason is None
    assert "statusReason" not in removed.model_dump(by_alias=True, exclude_none=True)

    patch = JsonPatch().add(
        "/characteristic/-", {"@type": "Characteristic", "name": "seats", "value": "3"}
    )
    patch.test("/name", "Moon Football Club")
    patched = await settle(customers.update(created.id, patch=patch))
    assert [c.name for c in patched.characteristic or []] == ["tier", "seats"]

    with pytest.raises(BadRequestError) as refused:
        await settle(customers.update(created.id, patch={"id": "another"}))
    assert refused.value.error is not None
    assert "id" in (refused.value.error.message or "")

    raw = await settle(customers.with_raw_response.retrieve(created.id))
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    parsed = raw.parse()
    parsed = await settle(parsed)
    assert parsed.id == created.id

    assert await settle(customers.delete(created.id)) is None
    with pytest.raises(NotFoundError) as missing:
        await settle(customers.retrieve(created.id))
    assert missing.value.status_code == 404
    assert missing.value.error is not None
    assert missing.value.error.code
    for other in others:
        await settle(customers.delete(other.id))
    assert (await settle(customers.list())).items == []


async def test_hub_registration(target: Target) -> None:
    hub = target.client.hub
    subscription = await settle(
        hub.create(
            body={
                "callback": "http://127.0.0.1:9/listener",
                "query": "eventType=CustomerCreateEvent",
            }
        )
    )
    assert subscription.id
    assert subscription.callback == "http://127.0.0.1:9/listener"
    again = await settle(hub.retrieve(subscription.id))
    assert again.query == "eventType=CustomerCreateEvent"
    await settle(hub.delete(subscription.id))
    with pytest.raises(NotFoundError):
        await settle(hub.retrieve(subscription.id))
