"""Create / retrieve / delete, against every store."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.mockserver.conftest import AppFactory
from tests.mockserver.helpers import assert_tmf_error, customer_body


async def test_create_assigns_id_href_location(client: httpx.AsyncClient) -> None:
    response = await client.post("/customer", json=customer_body(status="Active"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"]
    assert body["href"] == f"http://testserver/tmf-api/customerManagement/v5/customer/{body['id']}"
    assert response.headers["location"] == body["href"]
    assert body["name"] == "Moon Football Club"
    assert body["@type"] == "Customer"
    assert body["status"] == "Active"


async def test_create_ignores_client_id_and_href(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/customer", json=customer_body(id="mine", href="http://evil/customer/mine")
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] != "mine"
    assert body["href"].startswith("http://testserver/")


@pytest.mark.parametrize("missing", ["name", "engagedParty", "@type"])
async def test_create_requires_mandatory_attributes(
    client: httpx.AsyncClient, missing: str
) -> None:
    body = customer_body()
    del body[missing]
    error = assert_tmf_error(await client.post("/customer", json=body), 400)
    assert missing in error["message"]


@pytest.mark.parametrize("blank", ["", "   ", None])
async def test_create_refuses_blank_name(client: httpx.AsyncClient, blank: str | None) -> None:
    body = customer_body()
    body["name"] = blank
    error = assert_tmf_error(await client.post("/customer", json=body), 400)
    assert "name" in error["message"]


async def test_create_refuses_blank_engaged_party(client: httpx.AsyncClient) -> None:
    error = assert_tmf_error(
        await client.post("/customer", json=customer_body(engagedParty={})), 400
    )
    assert "engagedParty" in error["message"]


async def test_create_refuses_unknown_type(client: httpx.AsyncClient) -> None:
    error = assert_tmf_error(
        await client.post("/customer", json=customer_body(**{"@type": "Individual"})), 400
    )
    assert "@type" in error["message"]


async def test_create_refuses_wrongly_typed_nested_attribute(client: httpx.AsyncClient) -> None:
    profile = {
        "@type": "CreditProfile",
        "creditProfileDate": "2024-01-01T00:00:00Z",
        "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
        "creditScore": "high",
    }
    body = customer_body(creditProfile=[profile])
    error = assert_tmf_error(await client.post("/customer", json=body), 400)
    assert "creditProfile.0.creditScore" in error["message"]
    assert (await client.get("/customer")).json() == []


async def test_create_with_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/customer?fields=status", json=customer_body(status="Active"))
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"id", "href", "@type", "status"}


async def test_contained_entities_get_ids(client: httpx.AsyncClient) -> None:
    profile = {
        "@type": "CreditProfile",
        "creditProfileDate": "2024-01-01T00:00:00Z",
        "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
        "creditScore": 3,
    }
    response = await client.post("/customer", json=customer_body(creditProfile=[profile]))
    assert response.status_code == 201, response.text
    assert response.json()["creditProfile"][0]["id"]


async def test_retrieve(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json=customer_body(status="Active"))).json()
    response = await client.get(f"/customer/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


async def test_retrieve_with_fields(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json=customer_body(status="Active"))).json()
    response = await client.get(f"/customer/{created['id']}", params={"fields": "name,status"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": created["id"],
        "href": created["href"],
        "@type": "Customer",
        "name": created["name"],
        "status": "Active",
    }


async def test_fields_given_twice_is_400_on_every_operation(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json=customer_body())).json()
    twice = "fields=name&fields=status"
    answers = [
        await client.get(f"/customer/{created['id']}?{twice}"),
        await client.get(f"/customer?{twice}"),
        await client.post(f"/customer?{twice}", json=customer_body()),
        await client.patch(
            f"/customer/{created['id']}?{twice}",
            json={"status": "Active"},
            headers={"content-type": "application/merge-patch+json"},
        ),
    ]
    for answer in answers:
        assert_tmf_error(answer, 400)
        assert "more than once" in answer.json()["message"]


async def test_retrieve_fields_without_mandatory_attribute_is_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/customer", json=customer_body(status="Active"))).json()
    response = await client.get(f"/customer/{created['id']}", params={"fields": "status"})
    assert response.status_code == 200, response.text
    assert "name" not in response.json()


async def test_retrieve_unknown_is_404(client: httpx.AsyncClient) -> None:
    error = assert_tmf_error(await client.get("/customer/does-not-exist"), 404)
    assert "does-not-exist" in error["message"]


async def test_delete_then_404(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json=customer_body())).json()
    response = await client.delete(f"/customer/{created['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_tmf_error(await client.get(f"/customer/{created['id']}"), 404)
    assert_tmf_error(await client.delete(f"/customer/{created['id']}"), 404)


async def test_deterministic_ids(make_client: AppFactory) -> None:
    client = await make_client(deterministic_ids=True)
    ids = [
        (await client.post("/customer", json=customer_body(f"c{i}"))).json()["id"] for i in range(3)
    ]
    assert ids == ["1", "2", "3"]


async def test_admin_reset(make_client: AppFactory) -> None:
    client = await make_client(deterministic_ids=True, admin=True)
    await client.post("/customer", json=customer_body())
    await client.post("/hub", json={"callback": "http://127.0.0.1:9/cb"})
    response = await client.post("/admin/reset")
    assert response.status_code == 204
    assert (await client.get("/customer")).json() == []
    created = (await client.post("/customer", json=customer_body())).json()
    assert created["id"] == "1"


async def test_admin_reset_is_off_by_default(client: httpx.AsyncClient) -> None:
    assert_tmf_error(await client.post("/admin/reset"), 404)


async def test_seed(make_client: AppFactory, tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            [
                customer_body("Seeded A", id="42"),
                customer_body("Seeded B"),
            ]
        )
    )
    client = await make_client(seed=seed, deterministic_ids=True)
    listing = (await client.get("/customer", params={"sort": "name"})).json()
    assert [c["name"] for c in listing] == ["Seeded A", "Seeded B"]
    assert listing[0]["id"] == "42"
    assert listing[0]["href"].endswith("/customer/42")
    got = await client.get("/customer/42")
    assert got.status_code == 200


async def test_invalid_seed_fails_at_startup(make_client: AppFactory, tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"Customer": [customer_body("ok"), {"@type": "Customer"}]}))
    with pytest.raises(ValueError, match=r"Customer\[1\]"):
        await make_client(seed=seed)
