"""API key protection."""

from __future__ import annotations

import httpx
import pytest

from tests.mockserver.conftest import AppFactory
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
