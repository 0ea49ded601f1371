"""Helpers shared by the mock-server tests."""

from __future__ import annotations

from typing import Any

import httpx


def customer_body(name: str = "Moon Football Club", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "@type": "Customer",
        "name": name,
        "engagedParty": {"@type": "PartyRef", "id": "6610", "name": "Booking Corporation"},
    }
    body.update(extra)
    return body


def assert_tmf_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["@type"] == "Error"
    assert body["status"] == str(status)
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["reason"], str)
    assert body["reason"]
    assert isinstance(body["message"], str)
    return body  # type: ignore[no-any-return]
