"""Bad input never yields a 500, and every error body is a TMF Error."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.mockserver.conftest import AppFactory
from tests.mockserver.helpers import assert_tmf_error, customer_body


@pytest.mark.parametrize(
    "content",
    ['{"name": "x", ', "{", "not json", '{"@type": "Customer", "name": }', "[1, 2", "\x00\x01"],
)
async def test_truncated_or_malformed_json_is_400(client: httpx.AsyncClient, content: str) -> None:
    response = await client.post(
        "/customer", content=content, headers={"content-type": "application/json"}
    )
    assert_tmf_error(response, 400)


async def test_empty_body_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/customer", headers={"content-type": "application/json"})
    assert_tmf_error(response, 400)


@pytest.mark.parametrize("body", [[], "a string", 42, None])
async def test_non_object_body_is_400(client: httpx.AsyncClient, body: object) -> None:
    response = await client.post(
        "/customer", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert_tmf_error(response, 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
async def test_wrong_content_type_is_415(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post(
        "/customer", content=json.dumps(customer_body()), headers={"content-type": content_type}
    )
    assert_tmf_error(response, 415)


async def test_oversized_body_is_413(make_client: AppFactory) -> None:
    client = await make_client(max_body_bytes=1_000)
    body = customer_body(description="x" * 2_000)
    assert_tmf_error(await client.post("/customer", json=body), 413)
    assert (await client.post("/customer", json=customer_body())).status_code == 201


async def test_oversized_streamed_body_is_413(make_client: AppFactory) -> None:
    client = await make_client(max_body_bytes=1_000)
    payload = json.dumps(customer_body(description="x" * 5_000)).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 500):
            yield payload[start : start + 500]

    response = await client.post(
        "/customer", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_tmf_error(response, 413)


@pytest.mark.parametrize("path", ["/nothing-here", "/customer/1/extra", "/", "/customerX"])
async def test_unknown_route_is_404(client: httpx.AsyncClient, path: str) -> None:
    assert_tmf_error(await client.get(path), 404)


async def test_unknown_route_outside_base_is_404(client: httpx.AsyncClient) -> None:
    assert_tmf_error(await client.get("http://testserver/elsewhere"), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/customer"),
        ("DELETE", "/customer"),
        ("PUT", "/customer/1"),
        ("POST", "/customer/1"),
    ],
)
async def test_wrong_method_is_405(client: httpx.AsyncClient, method: str, path: str) -> None:
    assert_tmf_error(await client.request(method, path), 405)


@pytest.mark.parametrize(
    "ident",
    ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "a%00b", "%27%20OR%201%3D1--", "x" * 500, "%0A"],
)
async def test_path_traversal_and_odd_ids_are_404(client: httpx.AsyncClient, ident: str) -> None:
    await client.post("/customer", json=customer_body())
    response = await client.get(f"/customer/{ident}")
    assert response.status_code in (404, 400)
    assert_tmf_error(response, response.status_code)


async def test_dot_dot_segments_do_not_escape(client: httpx.AsyncClient) -> None:
    response = await client.get("/customer/../../../etc/passwd", follow_redirects=True)
    assert_tmf_error(response, 404)


@pytest.mark.parametrize("value", [r"a\u0000b", r"\ud800"])
async def test_unstorable_strings_are_not_a_500(client: httpx.AsyncClient, value: str) -> None:
    content = json.dumps(customer_body()).replace('"Moon Football Club"', f'"{value}"')
    response = await client.post(
        "/customer", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:
        assert_tmf_error(response, 400)
    listing = await client.get("/customer", params={"name": "a\x00b"})
    assert listing.status_code in (200, 400)


async def test_invalid_filter_is_400(client: httpx.AsyncClient) -> None:
    assert_tmf_error(await client.get("/customer", params={"unknown.attr": "1"}), 400)


async def test_wrongly_typed_query_parameter_is_400(client: httpx.AsyncClient) -> None:
    error = assert_tmf_error(await client.get("/customer", params={"limit": "ten"}), 400)
    assert "ten" in error["message"]


async def test_validation_error_names_the_field(client: httpx.AsyncClient) -> None:
    medium: dict[str, Any] = {"@type": "ContactMedium", "type": "email", "preferred": "yes"}
    medium["characteristic"] = {"@type": "MediumCharacteristic", "emailAddress": "a@b.c"}
    body = customer_body(contactMedium=[medium])
    error = assert_tmf_error(await client.post("/customer", json=body), 400)
    assert "contactMedium.0.preferred" in error["message"]


async def test_invalid_json_patch_document_is_400(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json=customer_body())).json()
    for operations in (
        [{"op": "explode", "path": "/name"}],
        [{"op": "add"}],
        [{"op": "add", "path": "no-slash", "value": 1}],
        [{"op": "move", "from": "/nothing", "path": "/name"}],
    ):
        response = await client.patch(
            f"/customer/{created['id']}",
            content=json.dumps(operations),
            headers={"content-type": "application/json-patch+json"},
        )
        assert_tmf_error(response, 400)
