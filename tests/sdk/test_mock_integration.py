"""The example client against the project's mock server, in process: checks that the wire
format the runtime produces (filters, fields, paging, patches, errors) is what the mock reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tmf629.runtime import BadRequestError, JsonPatch, NotFoundError, where
from tmf629_mock import app as mock_app

from .example_api import AsyncExampleClient, CustomerMVO

BASE_URL = "http://mock/tmf-api/customerManagement/v5"


def new_customer(name: str, status: str) -> dict[str, Any]:
    return {
        "@type": "Customer",
        "name": name,
        "status": status,
        "engagedParty": {"@type": "PartyRef", "id": "p1", "@referredType": "Individual"},
    }


@pytest.fixture
async def client() -> AsyncIterator[AsyncExampleClient]:
    transport = httpx.ASGITransport(app=mock_app.factory())
    async with AsyncExampleClient(base_url=BASE_URL, transport=transport) as client:
        yield client


async def test_round_trip_against_mock_server(client: AsyncExampleClient) -> None:
    moon = await client.customers.create(body=new_customer("Moon Inc", "Approved"))
    sun = await client.customers.create(body=new_customer("Sun Ltd", "Pending"))
    light = await client.customers.create(body=new_customer("Moonlight", "Approved"))

    page = await client.customers.list(limit=2)
    assert (len(page), page.total_count, page.partial, page.next_offset) == (2, 3, True, 2)
    assert [c.name async for c in client.customers.iter(page_size=2)] == [
        "Moon Inc",
        "Sun Ltd",
        "Moonlight",
    ]

    found = await client.customers.list(
        filter=where("name").regex("^Moon") & where("status").in_(["Approved", "Pending"]),
        sort=["-name"],
    )
    assert [c.name for c in found] == ["Moonlight", "Moon Inc"]

    selected = await client.customers.retrieve(moon.id, fields=["status"])
    assert selected.model_fields_set == {"field_type", "id", "href", "status"}

    merged = await client.customers.update(moon.id, patch=CustomerMVO(status=None, name="Moon 2"))
    assert (merged.name, merged.status) == ("Moon 2", None)
    patched = await client.customers.update(sun.id, patch=JsonPatch().replace("/name", "Sun 2"))
    assert patched.name == "Sun 2"

    await client.customers.delete(light.id)
    with pytest.raises(NotFoundError) as info:
        await client.customers.retrieve(light.id)
    assert info.value.error is not None
    assert info.value.error.reason == "Not Found"

    with pytest.raises(BadRequestError, match="@type"):
        await client.customers.create(body={"name": "no type"})
