"""A minimal ASGI app receiving TMF notifications (``POST {callback}/listener/{eventName}``)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeGuard, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["NotificationListener", "running_listener"]

_EventT = TypeVar("_EventT", bound=BaseModel)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass
class _Waiter(Generic[_EventT]):
    event_type: type[_EventT]
    predicate: Callable[[_EventT], bool] | None
    future: asyncio.Future[_EventT]

    def matches(self, event: BaseModel) -> TypeGuard[_EventT]:
        return isinstance(event, self.event_type) and (
            self.predicate is None or self.predicate(event)
        )


class NotificationListener:
    """ASGI app validating notifications into event models and keeping them for tests.

    ``events`` maps a path suffix such as ``/listener/customerCreateEvent`` to its model; any
    prefix is accepted before it, so the callback URL registered with the hub can be anything.
    """

    def __init__(self, events: Mapping[str, type[BaseModel]]) -> None:
        self.events = {"/" + suffix.lstrip("/"): model for suffix, model in events.items()}
        self.received: list[BaseModel] = []
        self._waiters: list[_Waiter[Any]] = []

    def _route(self, path: str) -> type[BaseModel] | None:
        for suffix, model in self.events.items():
            if path.rstrip("/").endswith(suffix):
                return model
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # nothing to do on lifespan events
            return
        model = self._route(scope["path"])
        if model is None:
            await _respond_error(send, 404, "Not Found", f"no listener at {scope['path']}")
            return
        if scope["method"] != "POST":
            await _respond_error(
                send, 405, "Method Not Allowed", "listeners accept POST only", allow="POST"
            )
            return
        body = await _read_body(receive)
        try:
            event = model.model_validate_json(body)
        except ValidationError as exc:
            reason = "Invalid JSON" if _is_json_error(exc) else "Invalid event"
            await _respond_error(send, 400, reason, str(exc))
            return
        self._deliver(event)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def _deliver(self, event: BaseModel) -> None:
        self.received.append(event)
        for waiter in list(self._waiters):
            # A waiter whose wait just timed out is cancelled but not yet removed.
            if waiter.future.done():
                continue
            try:
                matched = waiter.matches(event)
            except Exception as exc:
                # A failing predicate is the waiting test's problem, not the sender's.
                waiter.future.set_exception(exc)
                self._waiters.remove(waiter)
                continue
            if matched:
                waiter.future.set_result(event)
                self._waiters.remove(waiter)

    async def wait_for(
        self,
        event_type: type[_EventT],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper API
        predicate: Callable[[_EventT], bool] | None = None,
    ) -> _EventT:
        """The first received event of ``event_type`` matching ``predicate``, waiting for one
        to arrive if none has yet; raises :class:`TimeoutError` after ``timeout`` seconds."""
        future: asyncio.Future[_EventT] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(event_type, predicate, future)
        for event in self.received:
            if waiter.matches(event):
                return event
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter.future
        finally:
            with suppress(ValueError):
                self._waiters.remove(waiter)


def _is_json_error(exc: ValidationError) -> bool:
    return any(error["type"] == "json_invalid" for error in exc.errors())


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond_error(
    send: Send, status: int, reason: str, message: str, *, allow: str | None = None
) -> None:
    body = json.dumps(
        {
            "@type": "Error",
            "code": str(status),
            "reason": reason,
            "message": message,
            "status": str(status),
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if allow is not None:
        headers.append((b"allow", allow.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@asynccontextmanager
async def running_listener(
    listener: NotificationListener, host: str = "127.0.0.1"
) -> AsyncIterator[str]:
    """Serve ``listener`` with uvicorn on a free local port; yields its base URL."""
    try:
        import uvicorn
    except ImportError as exc:
        raise ImportError(
            "running_listener needs uvicorn: "
            "install the extra with `pip install 'tmf629[listener]'`"
        ) from exc
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(listener, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the listener server stopped during startup")
            await asyncio.sleep(0.01)
        url_host = f"[{host}]" if ":" in host else host
        yield f"http://{url_host}:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
