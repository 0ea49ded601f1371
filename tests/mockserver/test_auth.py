"""API key protection."""

from __future__ import annotations

import httpx
import pytest

from tests.mockserver.conftest import BASE, ORIGIN, AppFactory
from tests.mockserver.helpers import assert_tmf_error, customer_body


@pytest.fixture
async def secured(make_client: AppFactory) -> httpx.AsyncClient:
    return await make_client(api_key="s3cret", admin=True)


async def test_missing_or_wrong_key_is_401(secured: httpx.AsyncClient) -> None:
    for headers in (
        {},
        {"X-API-Key": "nope"},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic czNjcmV0"},
        {"Authorization": "s3cret"},
    ):
        for method, path in (
            ("GET", "/customer"),
            ("POST", "/hub"),
            ("GET", "/nothing"),
            ("POST", "/admin/reset"),
        ):
            response = await secured.request(method, path, headers=headers)
            assert_tmf_error(response, 401)
    response = await secured.get("/customer")
    assert "www-authenticate" in response.headers


@pytest.mark.parametrize("headers", [{"X-API-Key": "s3cret"}, {"Authorization": "Bearer s3cret"}])
async def test_valid_key_is_accepted(secured: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = await secured.post("/customer", json=customer_body(), headers=headers)
    assert created.status_code == 201, created.text
    assert (await secured.get("/customer", headers=headers)).status_code == 200
    assert (await secured.post("/admin/reset", headers=headers)).status_code == 204


async def test_no_key_configured_means_open(client: httpx.AsyncClient) -> None:
    assert (await client.get("/customer")).status_code == 200


async def test_swagger_ui_stays_open(secured: httpx.AsyncClient) -> None:
    response = await secured.get("/ui/")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


async def test_the_body_limit_answers_before_the_key(make_client: AppFactory) -> None:
    """An oversized or unreadable body is refused as such, key or not (the body limit comes
    first), and the lane behind the key takes the request once the key is right."""
    client = await make_client(api_key="s3cret", max_body_bytes=1_000)
    large = customer_body(description="x" * 2_000)
    assert_tmf_error(await client.post("/customer", json=large), 413)
    assert_tmf_error(await client.post("/nowhere", json=large), 413)
    bad_length = {"content-type": "application/json", "content-length": "abc"}
    assert_tmf_error(await client.post("/customer", content=b"{}", headers=bad_length), 400)
    assert_tmf_error(await client.post("/customer", json=customer_body()), 401)
    created = await client.post("/customer", json=customer_body(), headers={"X-API-Key": "s3cret"})
    assert created.status_code == 201, created.text


async def test_swagger_ui_stays_open_behind_a_root_path(make_client: AppFactory) -> None:
    client = await make_client(api_key="s3cret")
    app = client.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app, root_path="/proxy")
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN + "/proxy" + BASE) as proxied:
        for path in ("/ui/", "/openapi.json"):
            assert (await proxied.get(path)).status_code == 200, path
        assert_tmf_error(await proxied.get("/customer"), 401)
        answer = await proxied.get("/customer", headers={"X-API-Key": "s3cret"})
        assert answer.status_code == 200
