"""Test helpers and pytest fixtures shipped with the mock server.

Use as a pytest plugin (``pytest_plugins = ["tmf629_mock.testing"]``). ``tmf_spec_path`` (the
OpenAPI document) and ``tmf_api`` (its :class:`Api`) default to the shipped TMF629 spec; override
them in your ``conftest.py`` to serve another API. Then:

* ``tmf629_client`` - a ready :class:`tmf629.AsyncTmf629Client` on a fresh in-memory server,
  in-process (no network);
* ``tmf629_live_client`` - a ready :class:`tmf629.Tmf629Client` on a fresh server listening on
  a free loopback port (for code under test that opens its own connections);

* ``tmf_mock_app`` - a fresh in-memory app (ASGI);
* ``tmf_mock_client`` - an ``httpx.AsyncClient`` on that app, in-process, ``base_url`` at the
  API base path;
* ``tmf_mock_server`` - the app served by uvicorn on a free loopback port in a thread
  (:class:`ServerThread`; ``.url`` is the API root);
* ``tmf_listener`` - a :class:`RecordingListener` served on a free loopback port, recording
  the notifications POSTed to it.

The helper classes and functions are usable outside pytest, but the module imports pytest (for
the fixtures): install it beside the `mock` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = [
    "Notification",
    "RecordingListener",
    "ServerThread",
    "asgi_client",
    "free_port",
    "serve_in_loop",
]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def asgi_client(
    app: Any, base_path: str = "", origin: str = "http://testserver"
) -> httpx.AsyncClient:
    """An in-process client (no network) whose relative URLs start at ``base_path``."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=origin + base_path)


@dataclass
class Notification:
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class RecordingListener:
    """A tiny listener: answers ``status`` after ``delay`` seconds and records every POST."""

    status: int = 204
    delay: float = 0.0
    received: list[Notification] = field(default_factory=list)
    url: str = ""
    _changed: asyncio.Condition | None = None

    def app(self) -> Starlette:
        async def record(request: Request) -> Response:
            try:
                body = await request.json()
            except ValueError:
                body = (await request.body()).decode("utf-8", "replace")
            condition = self._condition()
            async with condition:
                self.received.append(Notification(request.url.path, body, dict(request.headers)))
                condition.notify_all()
            if self.delay:
                await asyncio.sleep(self.delay)
            return Response(status_code=self.status)

        return Starlette(routes=[Route("/{path:path}", record, methods=["POST"])])

    async def wait_for(self, count: int, seconds: float = 5.0) -> list[Notification]:
        """The notifications once ``count`` arrived, or what arrived within ``seconds``."""
        condition = self._condition()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds), condition:
                await condition.wait_for(lambda: len(self.received) >= count)
        return list(self.received)

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed


@contextlib.asynccontextmanager
async def serve_in_loop(app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn in the running event loop; yields ``http://host:port``."""
    import uvicorn

    port = free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)


class ServerThread:
    """Serve an ASGI app with uvicorn in a background thread (its own event loop)."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        import uvicorn

        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(app, host=host, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="tmf-mock")

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


# -- pytest fixtures -----------------------------------------------------------------------------


@pytest.fixture
def tmf_spec_path() -> Path:
    from tmf629_mock.cli import default_spec

    return default_spec()


@pytest.fixture
def tmf_api(tmf_spec_path: Path) -> Any:
    from tmf629_mock.cli import load_model

    return load_model(tmf_spec_path)


@pytest.fixture
async def tmf629_client(tmf_mock_app: Any) -> AsyncIterator[Any]:
    from tmf629 import AsyncTmf629Client
    from tmf629_mock.app import mock_state

    state = mock_state(tmf_mock_app)
    transport = httpx.ASGITransport(app=tmf_mock_app)
    async with AsyncTmf629Client(
        base_url="http://testserver" + state.base_path, transport=transport
    ) as client:
        yield client
    await state.close()


@pytest.fixture
def tmf629_live_client(tmf_mock_server: ServerThread) -> Iterator[Any]:
    from tmf629 import Tmf629Client

    with Tmf629Client(base_url=tmf_mock_server.url) as client:  # type: ignore[attr-defined]
        yield client


@pytest.fixture
def tmf_mock_app(tmf_api: Any, tmf_spec_path: Path) -> Any:
    from tmf629_mock.app import create_app

    return create_app(tmf_api, tmf_spec_path, deterministic_ids=True, admin=True)


@pytest.fixture
async def tmf_mock_client(tmf_mock_app: Any, tmf_api: Any) -> AsyncIterator[httpx.AsyncClient]:
    from tmf629_mock.app import mock_state

    state = mock_state(tmf_mock_app)
    async with asgi_client(tmf_mock_app, state.base_path) as client:
        yield client
    await state.close()


@pytest.fixture
def tmf_mock_server(tmf_mock_app: Any) -> Iterator[ServerThread]:
    from tmf629_mock.app import mock_state

    server = ServerThread(tmf_mock_app).start()
    server.url = server.origin + mock_state(tmf_mock_app).base_path  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def tmf_listener() -> AsyncIterator[RecordingListener]:
    listener = RecordingListener()
    async with serve_in_loop(listener.app()) as url:
        listener.url = url
        yield listener
