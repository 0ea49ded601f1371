"""API-key protection (``--api-key``) and the request body size limit, as ASGI middleware.

With a key configured every call needs ``X-API-Key: KEY`` or ``Authorization: Bearer KEY``,
else a 401 TMF Error; only the Swagger UI and the served OpenAPI document stay open.
"""

from __future__ import annotations

import hmac
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tmf629_mock.errors import BodyTooLarge, TmfError, error_response

__all__ = ["ApiKeyMiddleware", "BodyLimitMiddleware", "length_and_chunking"]


class ApiKeyMiddleware:
    def __init__(self, app: ASGIApp, *, api_key: str, open_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.api_key = api_key.encode()
        self.open_prefixes = open_prefixes

    def _authorised(self, headers: Headers) -> bool:
        offered = headers.get("x-api-key")
        if offered is None:
            authorization = headers.get("authorization", "")
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer":
                offered = token.strip()
        return offered is not None and hmac.compare_digest(offered.encode(), self.api_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]  # the prefixes are routes below the root path
        if any(path.startswith(prefix) for prefix in self.open_prefixes) or self._authorised(
            Headers(scope=scope)
        ):
            await self.app(scope, receive, send)
            return
        response = error_response(
            TmfError(
                401,
                "Missing or invalid API key (X-API-Key or Authorization: Bearer)",
                headers={"WWW-Authenticate": 'Bearer realm="tmf-api"'},
            )
        )
        await response(scope, receive, send)


def length_and_chunking(headers: Any) -> tuple[str | None, bool]:
    """The first Content-Length value and whether the first Transfer-Encoding says chunked
    (what ``Headers.get`` reads), in one pass over the raw headers."""
    length: str | None = None
    encoding: str | None = None
    for name, value in headers:
        if length is None and name == b"content-length":
            length = value.decode("latin-1")
        elif encoding is None and name == b"transfer-encoding":
            encoding = value.decode("latin-1")
    return length, encoding is not None and "chunked" in encoding.lower()


class BodyLimitMiddleware:
    """413 for bodies over ``max_body_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = length_and_chunking(scope.get("headers", ()))
        if declared is not None:
            try:
                too_large = int(declared) > self.max_body_bytes
            except ValueError:
                raise TmfError(400, "Invalid Content-Length header") from None
            if too_large:
                raise BodyTooLarge(self.max_body_bytes)
        elif chunked or scope.get("method") in ("POST", "PUT", "PATCH"):
            # A streamed body: read it (bounded) and replay it with a Content-Length, which the
            # validation layer relies on.
            await self._buffered(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message: MutableMapping[str, Any] = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        await self.app(scope, limited_receive, send)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message.get("type") != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise BodyTooLarge(self.max_body_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        new_scope = dict(scope)
        new_scope["headers"] = [
            (name, value)
            for name, value in scope.get("headers", [])
            if name.lower() not in (b"content-length", b"transfer-encoding")
        ] + [(b"content-length", str(len(body)).encode())]
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(new_scope, replay, send)
