"""The generated SDK against the mock server: every store, sync and async, in-process and over a
real socket (the server in a subprocess)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conformance.server import mock_server
from tests.mockserver.conftest import POSTGRES_URL, require_postgres
from tmf629 import AsyncTmf629Client, Tmf629Client
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import default_spec, load_model
from tmf629_mock.store import open_store

BASE_PATH = "/tmf-api/customerManagement/v5"
ORIGIN = "http://testserver"


@dataclass(frozen=True)
class Target:
    """A client to drive and a description of what serves it."""

    client: Tmf629Client | AsyncTmf629Client
    description: str


def _store_url(store: str, tmp_path: Path) -> str:
    if store == "sqlite":
        return f"sqlite:///{tmp_path / 'crosstest.db'}"
    if store == "postgresql":
        require_postgres()
        return f"{POSTGRES_URL}?table=tmf_cross_{uuid.uuid4().hex[:12]}"
    return "memory"


@contextlib.asynccontextmanager
async def in_process_async(store_url: str) -> AsyncIterator[Target]:
    spec = default_spec()
    app = create_app(load_model(spec), spec, store=store_url)
    transport = httpx.ASGITransport(app=app)
    try:
        async with AsyncTmf629Client(base_url=ORIGIN + BASE_PATH, transport=transport) as client:
            yield Target(client, f"async client, in-process app, {_kind(store_url)} store")
    finally:
        await mock_state(app).close()


@contextlib.asynccontextmanager
async def in_process_sync(store_url: str) -> AsyncIterator[Target]:
    spec = default_spec()
    app = create_app(load_model(spec), spec, store=store_url)
    # Starlette's TestClient is an httpx.Client that runs the ASGI app on a portal thread.
    with (
        TestClient(app, base_url=ORIGIN + BASE_PATH) as http_client,
        Tmf629Client(base_url=ORIGIN + BASE_PATH, http_client=http_client) as client,
    ):
        yield Target(client, f"sync client, in-process app, {_kind(store_url)} store")


@contextlib.asynccontextmanager
async def over_socket_async(store_url: str) -> AsyncIterator[Target]:
    with mock_server(store=store_url) as root:
        async with AsyncTmf629Client(base_url=root) as client:
            yield Target(client, f"async client, server subprocess, {_kind(store_url)} store")


@contextlib.asynccontextmanager
async def over_socket_sync(store_url: str) -> AsyncIterator[Target]:
    with mock_server(store=store_url) as root, Tmf629Client(base_url=root) as client:
        yield Target(client, f"sync client, server subprocess, {_kind(store_url)} store")


def _kind(store_url: str) -> str:
    return store_url.split(":", 1)[0]


TARGETS = {
    "in_process_async": in_process_async,
    "in_process_sync": in_process_sync,
    "over_socket_async": over_socket_async,
    "over_socket_sync": over_socket_sync,
}
STORES = ("memory", "sqlite", "postgresql")


@pytest.fixture(
    params=[
        pytest.param(
            (kind, store),
            id=f"{kind}-{store}",
            marks=[pytest.mark.services] if store == "postgresql" else [],
        )
        for kind in TARGETS
        for store in STORES
    ]
)
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    kind, store = request.param
    url = _store_url(store, tmp_path)
    try:
        async with TARGETS[kind](url) as made:
            yield made
    finally:
        if store == "postgresql":
            await _drop_tables(url)


async def _drop_tables(url: str) -> None:
    """PostgreSQL tables outlive the server; each test leaves the database as it found it."""
    backend = open_store(url)
    await backend.open()
    await backend.drop()  # type: ignore[attr-defined]
    await backend.close()
