"""A tour of every SDK method, sync and async, against a running TMF629 server.

    tmf629-mock &                      # or any TMF629 v5 server
    python examples/sdk_tour.py [API_ROOT]

The test suite runs it against the mock server and type-checks it with ``mypy --strict``.
"""

from __future__ import annotations

import asyncio
import sys

from tmf629 import (
    AsyncTmf629Client,
    BadRequestError,
    JsonPatch,
    NotFoundError,
    Tmf629Client,
    create_listener,
    models,
    running_listener,
    where,
)

DEFAULT_ROOT = "http://127.0.0.1:8629/tmf-api/customerManagement/v5"


def new_customer(name: str) -> models.CustomerFVO:
    return models.CustomerFVO(
        at_type="Customer",
        name=name,
        status="Initialized",
        engaged_party=models.PartyRefFVO(at_type="PartyRef", id="42", name="Moon Corp"),
    )


def sync_tour(root: str) -> None:
    with Tmf629Client(base_url=root, timeout=10, max_retries=3) as client:
        created = client.customers.create(body=new_customer("Moon Football Club"))
        print("created", created.id, created.href)

        same = client.customers.retrieve(created.id, fields=["name", "status"])
        print("retrieved", same.name, same.status)

        page = client.customers.list(
            filter=where("status") == "Initialized", sort=["name"], limit=10
        )
        print("page", len(page.items), "of", page.total_count, "partial" if page.partial else "")
        print("all names", [c.name for c in client.customers.iter(page_size=50)])

        updated = client.customers.update(created.id, patch=models.CustomerMVO(status="Active"))
        tier = {"@type": "Characteristic", "name": "tier", "value": "gold"}
        patch = JsonPatch().add("/characteristic", [tier]).test("/status", "Active")
        updated = client.customers.update(created.id, patch=patch)
        print("updated", updated.status, [c.name for c in updated.characteristic or []])

        try:
            client.customers.update(created.id, patch={"href": "http://elsewhere/1"})
        except BadRequestError as error:
            print("refused:", error.error.reason if error.error else error)

        raw = client.customers.with_raw_response.list(limit=1)
        print("raw", raw.status_code, raw.headers.get("X-Total-Count"), len(raw.parse().items))

        subscription = client.hub.create(body={"callback": "http://127.0.0.1:9/cb"})
        print("hub", client.hub.retrieve(subscription.id).callback)
        client.hub.delete(subscription.id)

        client.customers.delete(created.id)
        try:
            client.customers.retrieve(created.id)
        except NotFoundError as error:
            print("gone:", error.status_code)


async def async_tour(root: str) -> None:
    listener = create_listener()
    async with (
        running_listener(listener) as callback,
        AsyncTmf629Client(base_url=root) as client,
    ):
        subscription = await client.hub.create(
            body=models.EventSubscriptionInput(
                callback=callback, query="eventType=CustomerCreateEvent"
            )
        )
        created = await client.customers.create(body=new_customer("Async Club"))
        event = await listener.wait_for(models.CustomerCreateEvent, timeout=5)
        print(
            "event",
            event.event_type,
            event.event.customer.id if event.event and event.event.customer else None,
        )
        async for customer in client.customers.iter(filter=where("name").regex("^Async")):
            print("found", customer.name)
        raw = await client.customers.with_raw_response.retrieve(created.id)
        print("raw", raw.status_code, (await raw.parse()).name)
        await client.customers.delete(created.id)
        await client.hub.delete(subscription.id)


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_ROOT
    sync_tour(root)
    asyncio.run(async_tour(root))


if __name__ == "__main__":
    main()
