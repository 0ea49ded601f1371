from __future__ import annotations

import httpx

from tests.mockserver.helpers import customer_body


async def test_create_retrieve_delete(client: httpx.AsyncClient) -> None:
    created = await client.post("/customer", json=customer_body())
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == body["href"]
    got = await client.get(f"/customer/{body['id']}")
    assert got.status_code == 200, got.text
    assert got.json() == body
    deleted = await client.delete(f"/customer/{body['id']}")
    assert deleted.status_code == 204
    assert (await client.get(f"/customer/{body['id']}")).status_code == 404
