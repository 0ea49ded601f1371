"""One pass through Connexion's per-operation checks for the operations this server implements.

A request to a documented operation passes, in Connexion's stack, through routing (a Starlette
router and a mount, each copying the scope), then security, request validation, response
validation, lifespan, the direct dispatch and the context middleware: each a layer that looks the
operation up again by id and wraps ``receive`` or ``send`` in closures. For an operation resolved
to one of this server's generic handlers, with no security requirement and only plain string path
parameters, :class:`FastLane` (placed after the API key and before the Swagger UI and the body
limit, whose 413 it gives itself) does the same work in one call:

* the route is found by Starlette's own compiled path patterns, in Connexion's route order, and
  the scope gets the same ``path_params`` and routing context;
* parameters, media type and body are checked by the same prepared operation objects as
  :class:`~tmf629_mock.pipeline.PreparedRequestValidation` (Connexion's validators, messages and
  exceptions), in the same order;
* the handler's response is checked by the same objects as
  :class:`~tmf629_mock.pipeline.PreparedResponseValidation` before a byte is sent.

Exceptions are Connexion's and reach the same error handlers. Anything else - an unknown or
ambiguous path, another method (HEAD, a 405), a body without a length or in another charset, a
Content-Length that is not a number, a second API - goes through Connexion's stack unchanged.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from connexion.middleware.abstract import ROUTING_CONTEXT, SpecMiddleware
from connexion.middleware.routing import RoutingAPI
from starlette.convertors import StringConvertor
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from tmf629_mock.auth import length_and_chunking
from tmf629_mock.dispatch import DirectHandler, direct_handler, takes_body
from tmf629_mock.errors import BodyTooLarge
from tmf629_mock.pipeline import _PreparedRequestOperation, _PreparedResponseOperation
from tmf629_mock.validators import MergePatchAwareRequestValidator

__all__ = ["FastLane"]


@dataclass(frozen=True)
class _Lane:
    operation_id: str
    handler: DirectHandler
    requests: _PreparedRequestOperation
    responses: _PreparedResponseOperation | None
    has_body: bool
    takes_body: bool


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    method: str
    lane: _Lane | None  # None: Connexion handles this operation


class _LaneAPI(RoutingAPI):  # type: ignore[misc]
    """Connexion's routing API (same paths, same order), recording lanes instead of routes."""

    def __init__(
        self,
        specification: Any,
        *,
        next_app: ASGIApp,
        strict_validation: bool = False,
        validator_map: dict[str, Any] | None = None,
        validate_responses: bool = False,
        **kwargs: Any,
    ) -> None:
        self.routes: list[_Route] = []
        self._strict_validation = strict_validation
        self._validator_map = validator_map
        self._validate_responses = validate_responses
        super().__init__(specification, next_app=next_app, **kwargs)

    def make_operation(self, operation: Any) -> _Lane | None:
        handler = direct_handler(operation)
        plain_path = all(kind == "string" for kind in operation.get_path_parameter_types().values())
        if handler is None or operation.security or not plain_path:
            return None
        return _Lane(
            operation_id=operation.operation_id,
            handler=handler,
            # Their own __call__ is not used here: only their checks.
            requests=_PreparedRequestOperation(
                self.next_app,
                operation=operation,
                strict_validation=self._strict_validation,
                validator_map=self._validator_map,
            ),
            responses=(
                _PreparedResponseOperation(
                    self.next_app, operation=operation, validator_map=self._validator_map
                )
                if self._validate_responses
                else None
            ),
            has_body=bool(operation.is_request_body_defined),
            takes_body=takes_body(operation),
        )

    def _add_operation_internal(
        self, method: str, path: str, operation: _Lane | None, name: str | None = None
    ) -> None:
        pattern, _format, convertors = compile_path(path)
        if any(type(convertor) is not StringConvertor for convertor in convertors.values()):
            operation = None  # Connexion's int/float/path converters: left to its router
        self.routes.append(_Route(pattern, method.upper(), operation))


async def _body(receive: Receive, limit: int | None) -> bytes:
    """The request body, all of its chunks; :class:`BodyTooLarge` past ``limit`` bytes."""
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False):
        if limit is not None and len(body) > limit:
            raise BodyTooLarge(limit)
        return body
    chunks = [body]
    size = len(body)
    while message.get("more_body", False):
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _stream(body: bytes) -> AsyncIterator[bytes]:
    """``body`` as the stream Connexion's body validators read."""
    yield body


def _route_path(scope: Scope) -> str:
    """The path below the root path, as Starlette's routing sees it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root):
        return path
    if path == root:
        return ""
    return path[len(root) :] if path[len(root)] == "/" else path


class FastLane(SpecMiddleware):  # type: ignore[misc]
    """See the module docstring."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self._apis: list[tuple[str, dict[str, list[_Route]]]] = []

    def add_api(self, specification: Any, **kwargs: Any) -> None:
        api = _LaneAPI(specification, next_app=self.app, **kwargs)
        by_method: dict[str, list[_Route]] = {}
        for route in api.routes:  # in Connexion's order within each method
            by_method.setdefault(route.method, []).append(route)
        self._apis.append((api.base_path, by_method))

    def _find(self, scope: Scope) -> tuple[_Lane, dict[str, str]] | None:
        if len(self._apis) != 1:
            return None
        base, by_method = self._apis[0]
        path = _route_path(scope)
        if not path.startswith(base + "/"):
            return None
        inner = path[len(base) :]
        for route in by_method.get(scope["method"], ()):
            match = route.pattern.match(inner)
            if match is not None:
                if route.lane is None:
                    return None
                return route.lane, match.groupdict()
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._find(scope) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        lane, path_params = found
        requests = lane.requests
        headers = scope["headers"]
        length, chunked = length_and_chunking(headers)
        try:
            declared = None if length is None else int(length)
        except ValueError:
            declared = None
        if (length is not None and declared is None) or (length is None and chunked):
            await self.app(scope, receive, send)  # BodyLimitMiddleware's to answer or buffer
            return
        limit = self.max_body_bytes
        if declared is not None and limit is not None and declared > limit:
            raise BodyTooLarge(limit)
        mime_type, encoding = requests.extract_content_type(headers)
        validator = requests.body_validator(mime_type, encoding)
        if lane.has_body and (
            validator is None
            or encoding.lower() not in ("utf-8", "utf8")
            or declared is None
            or declared <= 0
        ):
            await self.app(scope, receive, send)  # the rarer cases: Connexion's way
            return
        scope.setdefault("path_params", {}).update(path_params)
        scope.setdefault("extensions", {}).setdefault(ROUTING_CONTEXT, {}).update(
            {"api_base_path": self._apis[0][0], "operation_id": lane.operation_id}
        )
        requests.validate_parameters(scope)
        requests.validate_mime_type(mime_type)
        body = None
        if validator is not None:
            raw = await _body(receive, limit)
            if isinstance(validator, MergePatchAwareRequestValidator):
                body = validator.parse_bytes(raw, scope)
            else:
                body = await validator._parse(_stream(raw), scope=scope)
            if not (body is None and validator._nullable):
                validator._validate(body)
        response = await lane.handler(scope, body if lane.takes_body else None)
        if lane.responses is not None:
            sent = response.body if isinstance(response.body, bytes) else None
            checker = lane.responses.start_validator(
                scope, response.status_code, response.raw_headers, sent
            )
            if checker is not None:
                value = checker._parse(iter((response.body,)))
                if not (value is None and checker._nullable):
                    checker._validate(value)
        await response(scope, receive, send)
