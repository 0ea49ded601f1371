"""Concurrent creates, patches and deletes on each store: no 5xx, no lost write, totals right.

Bounded in count; driven in-process, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Coroutine
from typing import Any

import httpx

from tests.mockserver.conftest import AppFactory
from tests.mockserver.helpers import customer_body

JSON_PATCH = {"content-type": "application/json-patch+json"}
CUSTOMERS = 40
PATCHES_EACH = 5
CONCURRENCY = 16


async def _bounded(
    limit: asyncio.Semaphore, request: Coroutine[Any, Any, httpx.Response]
) -> httpx.Response:
    async with limit:
        return await request


async def test_concurrent_load_loses_nothing(make_client: AppFactory) -> None:
    client = await make_client()
    limit = asyncio.Semaphore(CONCURRENCY)

    creates = [
        _bounded(
            limit, client.post("/customer", json=customer_body(f"Load {i}", characteristic=[]))
        )
        for i in range(CUSTOMERS)
    ]
    created = await asyncio.gather(*creates)
    assert [r.status_code for r in created] == [201] * CUSTOMERS
    ids = [r.json()["id"] for r in created]

    patches = [
        _bounded(
            limit,
            client.patch(
                f"/customer/{ident}",
                json=[
                    {
                        "op": "add",
                        "path": "/characteristic/-",
                        "value": {"@type": "Characteristic", "name": f"c{n}", "value": str(n)},
                    }
                ],
                headers=JSON_PATCH,
            ),
        )
        for ident in ids
        for n in range(PATCHES_EACH)
    ]
    random.Random(7).shuffle(patches)
    doomed = set(ids[: CUSTOMERS // 4])
    deletes = [_bounded(limit, client.delete(f"/customer/{ident}")) for ident in doomed]
    results = await asyncio.gather(*patches, *deletes)
    assert all(r.status_code < 500 for r in results), [
        r.text for r in results if r.status_code >= 500
    ]
    assert all(r.status_code in (200, 204, 404) for r in results)

    page = await client.get("/customer", params={"limit": "1000"})
    assert page.status_code == 200
    assert int(page.headers["x-total-count"]) == CUSTOMERS - len(doomed)
    survivors = {c["id"]: c for c in page.json()}
    assert set(survivors) == set(ids) - doomed
    for customer in survivors.values():
        names = sorted(c["name"] for c in customer["characteristic"])
        assert names == sorted(f"c{n}" for n in range(PATCHES_EACH)), customer["id"]
