"""Fixtures of the conformance suite.

``pytest tests/conformance --url http://HOST:PORT/tmf-api/customerManagement/v5`` checks a live
server; without ``--url`` the suite starts ``tmf629-mock`` (memory store) in a subprocess on a free
loopback port. Every test's docstring states its rule (first paragraph) and the rule's source (a
``Source:`` paragraph); the ``rule`` fixture turns them into the :class:`Rule` quoted by failure
messages, and both are written into the JUnit XML as test properties.

Everything a test creates is deleted when the test ends (``customers`` and ``hubs`` fixtures).

``--spec PATH`` (default: the shipped TMF629 spec) names the API for the generic suite in
``generic/`` (any TMF v5 API, driven by the spec's model and examples); without ``--url`` the
server started is ``tmf629-mock --spec PATH``, seeded with the spec's examples of its read-only
resources. With another spec than TMF629 the TMF629-only tests are skipped.
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conformance.data import minimal_customer
from tests.conformance.generic.model import ApiSpec, load_spec
from tests.conformance.rules import Rule, ensure
from tests.conformance.server import mock_server


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tmf629 conformance")
    group.addoption(
        "--url",
        default=None,
        help="API root of the TMF629 v5 server under test "
        "(e.g. http://host:8629/tmf-api/customerManagement/v5); default: start tmf629-mock",
    )
    group.addoption(
        "--spec",
        default=None,
        type=Path,
        help="OpenAPI document of the API the generic suite (tests/conformance/generic) checks; "
        "default: the shipped TMF629 spec",
    )
    group.addoption(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="HTTP header sent with every request (repeatable), e.g. 'X-API-Key: secret'",
    )
    group.addoption(
        "--listener-host",
        default=None,
        help="address the server can reach this machine at, for the notification listener "
        "(default 127.0.0.1, usable when the server runs on this machine)",
    )
    group.addoption(
        "--notification-timeout",
        type=float,
        default=5.0,
        help="seconds to wait for a notification (default 5)",
    )


def _option(config: pytest.Config, name: str, default: Any = None) -> Any:
    # getoption with a default also works when this conftest was not loaded at start-up
    # (plain `pytest` from the repository root), where the options above are unknown.
    return config.getoption(name, default=default)


@pytest.fixture(scope="session")
def server_url(pytestconfig: pytest.Config) -> Iterator[str]:
    url = _option(pytestconfig, "--url")
    if url:
        yield str(url).rstrip("/")
        return
    spec = api_spec(pytestconfig)
    if spec.is_default:
        with mock_server() as started:
            yield started
        return
    with tempfile.TemporaryDirectory(prefix="conformance-seed-") as folder:
        first = spec.api.resources[0].path if spec.api.resources else ""
        with mock_server(
            spec=spec.path,
            seed=spec.write_seed(Path(folder)),
            base_path=spec.api.base_path,
            probe=first if "{" not in first else "/",
        ) as started:
            yield started


def api_spec(config: pytest.Config) -> ApiSpec:
    """The API given with ``--spec`` (default: the shipped TMF629 spec)."""
    path = _option(config, "--spec")
    return load_spec(Path(path) if path else None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--spec`` naming another API, only the generic suite applies."""
    if not _option(config, "--spec") or api_spec(config).is_default:
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="TMF629-only test: --spec names another API")
    for item in items:
        path = Path(str(item.path))
        if path.is_relative_to(here) and not path.is_relative_to(here / "generic"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def request_headers(pytestconfig: pytest.Config) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    for item in _option(pytestconfig, "--header", []) or []:
        name, _, value = str(item).partition(":")
        headers[name.strip()] = value.strip()
    return headers


@pytest.fixture(scope="session")
def http(server_url: str, request_headers: dict[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=15.0, headers=request_headers) as client:
        yield client


@pytest.fixture(scope="session")
def external_server(pytestconfig: pytest.Config) -> bool:
    """True with ``--url``: the server under test is not our own mock."""
    return bool(_option(pytestconfig, "--url"))


@pytest.fixture(scope="session")
def token() -> str:
    """Unique per run: names of created resources start with it, so filters can scope on it."""
    return f"conformance-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def listener_host(pytestconfig: pytest.Config) -> str | None:
    host = _option(pytestconfig, "--listener-host")
    return str(host) if host else None


@pytest.fixture(scope="session")
def notification_timeout(pytestconfig: pytest.Config) -> float:
    return float(_option(pytestconfig, "--notification-timeout", 5.0))


@pytest.fixture
def rule(request: pytest.FixtureRequest) -> Rule:
    """The running test's rule: docstring first paragraph, and its ``Source:`` paragraph."""
    return rule_of(request.node)


def rule_of(item: Any) -> Rule:
    doc = (getattr(getattr(item, "function", None), "__doc__", None) or "").strip()
    paragraphs = [" ".join(part.split()) for part in doc.split("\n\n") if part.strip()]
    text = paragraphs[0] if paragraphs else item.name
    source = next(
        (part.removeprefix("Source:").strip() for part in paragraphs if part.startswith("Source:")),
        "unspecified",
    )
    name = getattr(getattr(item, "function", None), "__name__", item.name)
    return Rule(name.removeprefix("test_").replace("_", "-"), text, source)


@pytest.fixture(autouse=True)
def _record_rule(request: pytest.FixtureRequest) -> None:
    found = rule_of(request.node)
    request.node.user_properties.append(("rule", found.text))
    request.node.user_properties.append(("source", found.source))


class Customers:
    """Creates customers through the API and deletes them afterwards."""

    def __init__(self, http: httpx.Client, token: str) -> None:
        self.http = http
        self.token = token
        self.created: list[str] = []
        self.counter = 0

    def name(self, label: str = "") -> str:
        self.counter += 1
        return f"{self.token}-{label or 'c'}{self.counter}"

    def post(self, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
        """POST /customer; a 201's id is remembered for deletion."""
        response = self.http.post("/customer", json=body, **kwargs)
        if response.status_code == 201:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.created.append(str(response.json()["id"]))
        return response

    def create(self, rule: Rule, **overrides: Any) -> dict[str, Any]:
        """A created customer (minimal body plus ``overrides``); fails the test otherwise."""
        body = minimal_customer(self.name(), **overrides)
        response = self.post(body)
        ensure(
            response.status_code == 201,
            rule,
            f"creating a customer (a precondition) answered {response.status_code}, not 201",
            response,
        )
        created: dict[str, Any] = response.json()
        return created

    def cleanup(self) -> None:
        for ident in reversed(self.created):
            with contextlib.suppress(httpx.HTTPError):
                self.http.delete(f"/customer/{ident}")
        self.created.clear()


@pytest.fixture
def customers(http: httpx.Client, token: str) -> Iterator[Customers]:
    registry = Customers(http, token)
    try:
        yield registry
    finally:
        registry.cleanup()


@pytest.fixture
def hubs(http: httpx.Client) -> Iterator[Callable[[dict[str, Any]], httpx.Response]]:
    """``hubs(body)`` POSTs /hub; every hub created is deleted afterwards."""
    created: list[str] = []

    def register(body: dict[str, Any]) -> httpx.Response:
        response = http.post("/hub", json=body)
        if response.status_code == 201:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                created.append(str(response.json()["id"]))
        return response

    try:
        yield register
    finally:
        for ident in created:
            with contextlib.suppress(httpx.HTTPError):
                http.delete(f"/hub/{ident}")
