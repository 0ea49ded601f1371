"""The generated SDK against the mock server: every store, sync and async, in-process and over a
real socket (the server in a subprocess)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.mockserver.conftest import POSTGRES_URL, require_postgres
from tmf629 import AsyncTmf629Client, Tmf629Client
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import default_spec, load_model
from tmf629_mock.store import open_store
from tmf629_mock.testing import free_port

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
    async with AsyncTmf629Client(base_url=ORIGIN + BASE_PATH, transport=transport) as client:
        yield Target(client, f"async client, in-process app, {_kind(store_url)} store")
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
    with server_process(store_url) as root:
        async with AsyncTmf629Client(base_url=root) as client:
            yield Target(client, f"async client, server subprocess, {_kind(store_url)} store")


@contextlib.asynccontextmanager
async def over_socket_sync(store_url: str) -> AsyncIterator[Target]:
    with server_process(store_url) as root, Tmf629Client(base_url=root) as client:
        yield Target(client, f"sync client, server subprocess, {_kind(store_url)} store")


def _kind(store_url: str) -> str:
    return store_url.split(":", 1)[0]


@contextlib.contextmanager
def server_process(store_url: str) -> Iterator[str]:
    """``tmf629-mock`` in a subprocess on a free loopback port; yields the API root URL."""
    port = free_port()
    command = [sys.executable, "-m", "tmf629_mock.cli", "--port", str(port)]
    command += ["--store", store_url, "--log-level", "warning"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    root = f"http://127.0.0.1:{port}{BASE_PATH}"
    try:
        _wait_until_up(root, process)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(root: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tmf629-mock exited with {process.returncode}")
        try:
            httpx.get(f"{root}/customer", params={"limit": "1"}, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("tmf629-mock did not start within 30 s")


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
