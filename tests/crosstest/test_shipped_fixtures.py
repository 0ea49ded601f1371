"""The pytest fixtures shipped in ``tmf629_mock.testing`` hand back ready SDK clients."""

from __future__ import annotations

from typing import Any

from tmf629 import models

pytest_plugins = ["tmf629_mock.testing"]

BODY = {
    "@type": "Customer",
    "name": "Fixture Club",
    "engagedParty": {"@type": "PartyRef", "id": "p"},
}


async def test_in_process_client_fixture(tmf629_client: Any) -> None:
    created = await tmf629_client.customers.create(body=BODY)
    assert isinstance(created, models.Customer)
    assert (await tmf629_client.customers.retrieve(created.id)).name == "Fixture Club"


def test_live_client_fixture(tmf629_live_client: Any) -> None:
    created = tmf629_live_client.customers.create(body=BODY)
    page = tmf629_live_client.customers.list()
    assert [c.id for c in page.items] == [created.id]
