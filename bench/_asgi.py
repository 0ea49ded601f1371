"""A minimal in-process ASGI driver: the app's own cost per request, no client or socket."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["AsgiDriver"]

Message = MutableMapping[str, Any]
App = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]


class AsgiDriver:
    """Sends one HTTP request at a time straight into an ASGI app and returns status and body."""

    def __init__(self, app: App, host: str = "bench") -> None:
        self.app = app
        self.host = host

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the app's lifespan around the block, as a server would."""
        inbox: asyncio.Queue[Message] = asyncio.Queue()
        started = asyncio.Event()
        stopped = asyncio.Event()

        async def send(message: Message) -> None:
            if message["type"].startswith("lifespan.startup"):
                started.set()
            elif message["type"].startswith("lifespan.shutdown"):
                stopped.set()

        scope: dict[str, Any] = {"type": "lifespan", "asgi": {"version": "3.0"}}
        task = asyncio.ensure_future(self.app(scope, inbox.get, send))
        await inbox.put({"type": "lifespan.startup"})
        await started.wait()
        try:
            yield
        finally:
            await inbox.put({"type": "lifespan.shutdown"})
            await stopped.wait()
            await task

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes = b"",
        content_type: str = "application/json",
    ) -> tuple[int, bytes]:
        headers = [(b"host", self.host.encode()), (b"accept", b"application/json")]
        if body:
            headers += [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": (self.host, 80),
        }
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            return pending.pop(0) if pending else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)
