"""Regression tests for failures found by the schemathesis session (``nox -s fuzz``).

Each test replays the request schemathesis sent against the in-process app (no network) and
asserts the behaviour the spec and the TMF rules require.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import load_model

SPEC = Path(__file__).resolve().parents[2] / "specs" / "tmf629-customer-management.openapi.yaml"
BASE = "/tmf-api/customerManagement/v5"


@pytest.fixture
def app() -> Any:
    return create_app(load_model(SPEC), SPEC)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver" + BASE) as c:
        yield c
    await mock_state(app).close()


def minimal_customer() -> dict[str, Any]:
    return {
        "@type": "Customer",
        "name": "Moon Football Club",
        "engagedParty": {"@type": "PartyRef", "id": "6610"},
    }


def assert_tmf_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["@type"] == "Error"
    assert body["status"] == str(status)
    assert body["code"]
    assert body["reason"]
