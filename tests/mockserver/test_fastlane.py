"""The fast lane (``tmf629_mock.fastlane``) answers every request exactly as Connexion's stack
does: the same exchanges are sent to an app with the lane and to one whose lane never takes a
request, and status, headers that matter and bodies must agree."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.mockserver.conftest import BASE, ORIGIN
from tests.mockserver.helpers import customer_body
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.fastlane import FastLane
from tmf629_mock.ir import Api

Exchange = tuple[str, str, dict[str, Any]]

CUSTOMER = customer_body(
    status="Approved",
    contactMedium=[
        {
            "@type": "ContactMedium",
            "mediumType": "email",
            "characteristic": {"@type": "MediumCharacteristic", "emailAddress": "a@b.org"},
        }
    ],
    creditProfile=[{"@type": "CreditProfile", "creditScore": 700, "creditRiskRating": 1}],
)

JSON = {"content-type": "application/json"}
MERGE = {"content-type": "application/merge-patch+json"}
JSON_PATCH = {"content-type": "application/json-patch+json"}

EXCHANGES: list[Exchange] = [
    ("POST", "/customer", {"json": CUSTOMER}),
    ("POST", "/customer?fields=name", {"json": customer_body("Second")}),
    ("POST", "/customer", {"json": {**CUSTOMER, "name": 42}}),
    ("POST", "/customer", {"json": {"@type": "Customer"}}),
    ("POST", "/customer", {"content": b"{not json", "headers": JSON}),
    ("POST", "/customer", {"content": b"", "headers": JSON}),
    ("POST", "/customer", {"content": b"[1]", "headers": JSON}),
    ("POST", "/customer", {"content": b"<x/>", "headers": {"content-type": "text/xml"}}),
    ("POST", "/customer", {"content": b'{"a": NaN}', "headers": JSON}),
    (
        "POST",
        "/customer",
        {
            "content": json.dumps(customer_body("L")).encode("latin-1"),
            "headers": {"content-type": "application/json; charset=latin-1"},
        },
    ),
    ("GET", "/customer/1", {}),
    ("GET", "/customer/1?fields=name,status", {}),
    ("GET", "/customer/1?fields=", {}),
    ("GET", "/customer/404", {}),
    ("GET", "/customer?limit=1", {}),
    ("GET", "/customer?limit=x", {}),
    ("GET", "/customer?name=Second&fields=id", {}),
    ("GET", "/customer?nope.gt=1", {}),
    ("HEAD", "/customer/1", {}),
    ("PUT", "/customer/1", {"json": CUSTOMER}),
    ("PATCH", "/customer/1", {"json": {"status": "Active"}, "headers": MERGE}),
    ("PATCH", "/customer/1", {"json": {"description": None}, "headers": MERGE}),
    ("PATCH", "/customer/1", {"json": {"id": "9"}, "headers": MERGE}),
    ("PATCH", "/customer/1", {"json": {"name": 3}, "headers": JSON}),
    (
        "PATCH",
        "/customer/1",
        {"json": [{"op": "replace", "path": "/name", "value": "R"}], "headers": JSON_PATCH},
    ),
    (
        "PATCH",
        "/customer/1",
        {"json": [{"op": "test", "path": "/name", "value": "no"}], "headers": JSON_PATCH},
    ),
    ("PATCH", "/customer/404", {"json": {"status": "Active"}, "headers": MERGE}),
    ("POST", "/hub", {"json": {"callback": "http://127.0.0.1:9/listener"}}),
    ("POST", "/hub", {"json": {"query": "x"}}),
    ("GET", "/hub/1", {}),
    ("DELETE", "/hub/1", {}),
    ("GET", "/hub/1", {}),
    ("DELETE", "/customer/2", {}),
    ("DELETE", "/customer/2", {}),
    ("GET", "/customer/", {}),
    ("GET", "/nowhere", {}),
    ("GET", "/customer/1/extra", {}),
]

HEADERS = ("content-type", "location", "x-total-count", "x-result-count", "allow")


async def _answers(
    app: Any, exchanges: list[Exchange] = EXCHANGES
) -> list[tuple[int, dict[str, str], Any]]:
    answers = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN + BASE) as client:
        for method, path, options in exchanges:
            response = await client.request(method, path, **options)
            headers = {name: response.headers[name] for name in HEADERS if name in response.headers}
            body: Any = response.content
            if response.content and response.headers.get("content-type", "").endswith("json"):
                body = response.json()
                if isinstance(body, dict):
                    body.pop("eventTime", None)
            if isinstance(body, dict) and "callback" in body:  # hub ids are random
                body["id"] = "<hub>"
                headers["location"] = "<hub>"
            answers.append((response.status_code, headers, body))
    return answers


@pytest.fixture
async def apps(api: Api, spec_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    built = [create_app(api, spec_path, deterministic_ids=True) for _ in range(2)]
    yield built[0], built[1]
    for app in built:
        await mock_state(app).close()


async def test_the_lane_answers_as_connexion_does(
    apps: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_lane, without_lane = apps
    taken: list[str] = []
    find = FastLane._find

    def recording_find(self: FastLane, scope: Any) -> Any:
        found = find(self, scope)
        if found is not None:
            taken.append(f"{scope['method']} {scope['path']}")
        return found

    monkeypatch.setattr(FastLane, "_find", recording_find)
    lane_answers = await _answers(with_lane)
    lane_taken = list(taken)
    monkeypatch.setattr(FastLane, "_find", lambda self, scope: None)
    connexion_answers = await _answers(without_lane)
    for exchange, ours, theirs in zip(EXCHANGES, lane_answers, connexion_answers, strict=True):
        assert ours == theirs, exchange
    # The lane really took the documented operations (not HEAD, PUT or unknown paths).
    assert f"GET {BASE}/customer/1" in lane_taken
    assert f"POST {BASE}/customer" in lane_taken
    assert f"PATCH {BASE}/customer/1" in lane_taken
    assert f"DELETE {BASE}/hub/1" in lane_taken
    assert not any(entry.startswith(("HEAD", "PUT")) for entry in lane_taken)
    assert f"GET {BASE}/nowhere" not in lane_taken


def test_only_plain_string_paths_of_direct_handlers_take_the_lane() -> None:
    from connexion.resolver import Resolver
    from connexion.spec import Specification

    async def direct(scope: Any, body: Any) -> Any:
        raise AssertionError("not called here")

    async def handler() -> None:
        raise AssertionError("not called here")

    handler.tmf_direct = direct  # type: ignore[attr-defined]

    def operation(parameter_type: str) -> dict[str, Any]:
        return {
            "operationId": f"get_{parameter_type}",
            "parameters": [
                {"name": "key", "in": "path", "required": True, "schema": {"type": parameter_type}}
            ],
            "responses": {"200": {"description": "ok"}},
        }

    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/text/{key}": {"get": operation("string")},
            "/number/{key}": {"get": operation("integer")},
        },
    }
    lane = FastLane(app=None)  # type: ignore[arg-type]
    lane.add_api(
        Specification.load(document), base_path="/base", resolver=Resolver(lambda _id: handler)
    )

    def scope(path: str, method: str = "GET") -> dict[str, Any]:
        return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}

    found = lane._find(scope("/base/text/a"))
    assert found is not None
    assert found[1] == {"key": "a"}
    assert lane._find(scope("/base/number/3")) is None  # Connexion converts it: its way
    assert lane._find(scope("/base/text/a", "HEAD")) is None
    assert lane._find(scope("/elsewhere/text/a")) is None
    assert lane._find({**scope("/proxy/base/text/a"), "root_path": "/proxy"}) is not None


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 700):
        yield body[start : start + 700]


LIMIT = 1500
LARGE = json.dumps(customer_body("L", description="x" * LIMIT)).encode()
SMALL = json.dumps(customer_body("S")).encode()


def _limit_exchanges() -> list[Exchange]:
    """The lane sits before the body limit middleware and gives its 413 itself (made anew for
    each app: a streamed body is read once)."""
    return [
        ("POST", "/customer", {"content": LARGE, "headers": JSON}),
        ("POST", "/customer", {"content": SMALL, "headers": JSON}),
        ("GET", "/customer/1", {"content": LARGE}),
        ("GET", "/customer/1", {"content": SMALL}),
        ("DELETE", "/customer/1", {"content": LARGE}),
        ("POST", "/customer", {"content": _chunks(LARGE), "headers": JSON}),
        ("GET", "/customer/1", {"content": _chunks(LARGE)}),
        ("POST", "/customer", {"content": _chunks(SMALL), "headers": JSON}),
        ("GET", "/customer/1", {"headers": {"content-length": "x"}}),
        ("GET", "/customer/1", {"headers": {"content-length": str(LIMIT + 1)}}),
    ]


async def test_the_lane_keeps_the_body_limit_as_connexion_does(
    api: Api, spec_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = []
    for lane in (True, False):
        if not lane:
            monkeypatch.setattr(FastLane, "_find", lambda self, scope: None)
        app = create_app(api, spec_path, deterministic_ids=True, max_body_bytes=LIMIT)
        try:
            answers.append(await _answers(app, _limit_exchanges()))
        finally:
            await mock_state(app).close()
    with_lane, without_lane = answers
    for exchange, ours, theirs in zip(_limit_exchanges(), with_lane, without_lane, strict=True):
        assert ours == theirs, exchange
    statuses = [status for status, _headers, _body in with_lane]
    assert statuses[:5] == [413, 201, 413, 200, 413]
