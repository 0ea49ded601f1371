"""Patch: merge patch, JSON Patch, non-patchable attributes, validation, concurrency."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.mockserver.helpers import assert_tmf_error, customer_body

MERGE = {"content-type": "application/merge-patch+json"}
JSON = {"content-type": "application/json"}
JSON_PATCH = {"content-type": "application/json-patch+json"}


async def create(client: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    response = await client.post("/customer", json=customer_body(**extra))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def patch(
    client: httpx.AsyncClient, ident: str, body: Any, headers: dict[str, str], **params: str
) -> httpx.Response:
    return await client.patch(
        f"/customer/{ident}", content=json.dumps(body), headers=headers, params=params
    )


@pytest.mark.parametrize("headers", [MERGE, JSON], ids=["merge-patch", "json"])
async def test_merge_patch(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    customer = await create(client, status="Active", description="old")
    response = await patch(
        client,
        customer["id"],
        {
            "name": "New name",
            "description": None,
            "engagedParty": {"@type": "PartyRef", "name": "Renamed"},
        },
        headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "New name"
    assert "description" not in body
    assert body["engagedParty"] == {"@type": "PartyRef", "id": "6610", "name": "Renamed"}
    assert body["status"] == "Active"
    assert (await client.get(f"/customer/{customer['id']}")).json() == body


async def test_merge_patch_with_fields(client: httpx.AsyncClient) -> None:
    customer = await create(client, status="Active")
    response = await patch(client, customer["id"], {"status": "Inactive"}, MERGE, fields="status")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"id", "href", "@type", "status"}


async def test_json_patch_all_operations(client: httpx.AsyncClient) -> None:
    customer = await create(
        client,
        status="Active",
        description="d",
        characteristic=[{"@type": "Characteristic", "name": "colour", "value": "pink"}],
    )
    operations = [
        {"op": "test", "path": "/status", "value": "Active"},
        {"op": "replace", "path": "/status", "value": "Suspended"},
        {
            "op": "add",
            "path": "/characteristic/-",
            "value": {"@type": "Characteristic", "name": "size", "value": "L"},
        },
        {"op": "copy", "from": "/description", "path": "/statusReason"},
        {"op": "move", "from": "/description", "path": "/characteristic/0/value"},
        {"op": "remove", "path": "/characteristic/1"},
    ]
    response = await patch(client, customer["id"], operations, JSON_PATCH)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "Suspended"
    assert body["statusReason"] == "d"
    assert "description" not in body
    assert body["characteristic"] == [{"@type": "Characteristic", "name": "colour", "value": "d"}]


async def test_json_patch_is_atomic(client: httpx.AsyncClient) -> None:
    customer = await create(client, status="Active")
    operations = [
        {"op": "replace", "path": "/status", "value": "Suspended"},
        {"op": "remove", "path": "/doesNotExist"},
    ]
    assert_tmf_error(await patch(client, customer["id"], operations, JSON_PATCH), 400)
    assert (await client.get(f"/customer/{customer['id']}")).json()["status"] == "Active"


async def test_json_patch_failed_test_changes_nothing(client: httpx.AsyncClient) -> None:
    customer = await create(client, status="Active")
    operations = [
        {"op": "replace", "path": "/status", "value": "Suspended"},
        {"op": "test", "path": "/name", "value": "someone else"},
    ]
    response = await patch(client, customer["id"], operations, JSON_PATCH)
    assert_tmf_error(response, 409)
    assert (await client.get(f"/customer/{customer['id']}")).json()["status"] == "Active"


@pytest.mark.parametrize(
    ("body", "headers", "attribute"),
    [
        ({"id": "other"}, MERGE, "id"),
        ({"href": "http://elsewhere/x"}, MERGE, "href"),
        ({"@type": "Individual"}, MERGE, "@type"),
        ([{"op": "replace", "path": "/id", "value": "x"}], JSON_PATCH, "id"),
        ([{"op": "remove", "path": "/href"}], JSON_PATCH, "href"),
    ],
)
async def test_non_patchable_attributes(
    client: httpx.AsyncClient, body: Any, headers: dict[str, str], attribute: str
) -> None:
    customer = await create(client)
    error = assert_tmf_error(await patch(client, customer["id"], body, headers), 400)
    assert attribute in error["message"]
    assert (await client.get(f"/customer/{customer['id']}")).json() == customer


async def test_repeating_non_patchable_values_is_accepted(client: httpx.AsyncClient) -> None:
    customer = await create(client)
    body = {
        "id": customer["id"],
        "href": customer["href"],
        "@type": "Customer",
        "status": "Active",
    }
    response = await patch(client, customer["id"], body, MERGE)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "Active"


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"name": None}, MERGE),
        ({"contactMedium": [{"@type": "ContactMedium", "preferred": "yes"}]}, MERGE),
        ([{"op": "remove", "path": "/name"}], JSON_PATCH),
        ([{"op": "replace", "path": "/name", "value": 42}], JSON_PATCH),
    ],
)
async def test_patched_resource_must_stay_valid(
    client: httpx.AsyncClient, body: Any, headers: dict[str, str]
) -> None:
    customer = await create(client)
    assert_tmf_error(await patch(client, customer["id"], body, headers), 400)
    assert (await client.get(f"/customer/{customer['id']}")).json() == customer


async def test_patch_unknown_is_404(client: httpx.AsyncClient) -> None:
    assert_tmf_error(await patch(client, "nope", {"status": "Active"}, MERGE), 404)


async def test_patch_wrong_media_type_is_415(client: httpx.AsyncClient) -> None:
    customer = await create(client)
    response = await patch(client, customer["id"], {"status": "x"}, {"content-type": "text/plain"})
    assert_tmf_error(response, 415)


async def test_json_patch_body_must_be_a_list(client: httpx.AsyncClient) -> None:
    customer = await create(client)
    assert_tmf_error(await patch(client, customer["id"], {"op": "add"}, JSON_PATCH), 400)


async def test_concurrent_patches_lose_no_update(client: httpx.AsyncClient) -> None:
    customer = await create(client, characteristic=[])
    count = 25

    async def add(index: int) -> int:
        operation = [
            {
                "op": "add",
                "path": "/characteristic/-",
                "value": {"@type": "Characteristic", "name": f"c{index}", "value": str(index)},
            }
        ]
        response = await patch(client, customer["id"], operation, JSON_PATCH)
        return response.status_code

    statuses = await asyncio.gather(*(add(index) for index in range(count)))
    assert statuses == [200] * count
    stored = (await client.get(f"/customer/{customer['id']}")).json()
    assert sorted(c["name"] for c in stored["characteristic"]) == sorted(
        f"c{index}" for index in range(count)
    )


async def test_concurrent_merge_patches_all_applied(client: httpx.AsyncClient) -> None:
    customer = await create(client)
    statuses = await asyncio.gather(
        *(patch(client, customer["id"], {"description": f"d{i}"}, MERGE) for i in range(10))
    )
    assert [response.status_code for response in statuses] == [200] * 10
    final = (await client.get(f"/customer/{customer['id']}")).json()
    assert final["description"] in {f"d{i}" for i in range(10)}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ({"engagedParty": None}, "application/merge-patch+json"),
        ({"name": ""}, "application/merge-patch+json"),
        ([{"op": "remove", "path": "/engagedParty"}], "application/json-patch+json"),
    ],
    ids=["merge-null", "merge-blank", "json-patch-remove"],
)
async def test_patch_cannot_remove_what_is_mandatory_on_create(
    client: httpx.AsyncClient, body: Any, content_type: str
) -> None:
    created = (await client.post("/customer", json=customer_body())).json()
    response = await client.patch(
        f"/customer/{created['id']}",
        content=json.dumps(body),
        headers={"content-type": content_type},
    )
    error = assert_tmf_error(response, 400)
    assert "mandatory attribute" in error["message"]
    stored = (await client.get(f"/customer/{created['id']}")).json()
    assert stored["engagedParty"] == created["engagedParty"]
    assert stored["name"] == created["name"]
