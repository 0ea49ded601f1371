"""Hand-offs that spare each request work Connexion would otherwise do twice or for nothing.

* :class:`DirectDispatch` is a routed middleware (Connexion's own ``RoutedMiddleware`` pattern,
  added with ``app.add_middleware`` at its default position, just before the context
  middleware). For an operation resolved to one of our generic handlers it calls the handler
  with the ASGI scope and the request body the request validator already parsed, instead of
  passing the request on to Connexion's app layer, which per request builds a decorator chain,
  inspects the handler's signature, parses and coerces every parameter into keyword arguments
  (which our handlers do not take) and re-decodes the JSON body. Request and response validation,
  routing, error handling and the middleware we add all run exactly as before; any other route,
  or a request whose body was not parsed by our validator, goes through Connexion unchanged.
* :func:`remember_request` / :func:`request_body`: the request validator records the body it
  parsed and validated; :func:`remember_response` / :func:`response_body`: the handler records the
  value it just encoded, so response validation checks that value instead of decoding the bytes
  again. Both are tied to the request's scope, and the response value only to the exact bytes
  sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from connexion.middleware.abstract import ROUTING_CONTEXT, RoutedAPI, RoutedMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "DirectDispatch",
    "DirectHandler",
    "direct_handler",
    "remember_request",
    "remember_response",
    "request_body",
    "response_accepted_by",
    "response_body",
    "takes_body",
]

DirectHandler = Callable[[Scope, Any], Awaitable[Response]]

_REQUEST = "tmf629.request"
_RESPONSE = "tmf629.response"


def remember_request(scope: MutableMapping[str, Any], body: Any) -> None:
    """Record the parsed (and validated) JSON request body of this request."""
    scope.setdefault("extensions", {})[_REQUEST] = body


def request_body(scope: MutableMapping[str, Any]) -> Any:
    """The body :func:`remember_request` recorded, else ``None``."""
    return (scope.get("extensions") or {}).get(_REQUEST)


def remember_response(
    scope: MutableMapping[str, Any], body: bytes, value: Any, accepted_by: Any = None
) -> None:
    """Record that ``body`` is the JSON encoding of ``value`` for this request, so that response
    validation checks ``value`` instead of decoding the bytes it was just encoded from; and,
    when given, the validator (:class:`~tmf629_mock.fastschema.CachedValidator`) that accepted
    ``value`` just before it was encoded."""
    scope.setdefault("extensions", {})[_RESPONSE] = (body, value, accepted_by)


def _recorded(scope: MutableMapping[str, Any], body: bytes) -> tuple[bytes, Any, Any] | None:
    found: tuple[bytes, Any, Any] | None = (scope.get("extensions") or {}).get(_RESPONSE)
    return found if found is not None and found[0] == body else None


def response_body(scope: MutableMapping[str, Any], body: bytes) -> Any:
    """The value :func:`remember_response` recorded for exactly ``body``, else ``None``."""
    found = _recorded(scope, body)
    return None if found is None else found[1]


def response_accepted_by(scope: MutableMapping[str, Any], body: bytes) -> Any:
    """The validator :func:`remember_response` recorded for exactly ``body``, else ``None``."""
    found = _recorded(scope, body)
    return None if found is None else found[2]


def direct_handler(operation: Any) -> DirectHandler | None:
    """The handler :class:`DirectDispatch` may call for a Connexion operation, if any."""
    handler: DirectHandler | None = getattr(operation.function, "tmf_direct", None)
    return handler


def takes_body(operation: Any) -> bool:
    """Whether Connexion's parameter decorator would pass the request body as ``body``: not
    when the operation defines none or names it otherwise (``x-body-name``)."""
    return bool(operation.is_request_body_defined and operation.body_name(None) == "body")


class _DirectOperation:
    def __init__(self, next_app: ASGIApp, handler: DirectHandler, operation: Any) -> None:
        self.next_app = next_app
        self.handler = handler
        self.takes_body = takes_body(operation)
        self.has_request_body = bool(operation.is_request_body_defined)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = None
        if self.has_request_body:
            body = request_body(scope)
            if body is None:  # not parsed by our JSON validator: let Connexion do it
                await self.next_app(scope, receive, send)
                return
            if not self.takes_body:
                body = None
        response = await self.handler(scope, body)
        await response(scope, receive, send)


class _DirectAPI(RoutedAPI[Any]):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_paths()

    def make_operation(self, operation: Any) -> Any:
        handler = direct_handler(operation)
        if handler is None:
            return self.next_app
        return _DirectOperation(self.next_app, handler, operation)


class DirectDispatch(RoutedMiddleware[_DirectAPI]):  # type: ignore[misc]
    """Call our generic handlers directly (see the module docstring)."""

    api_cls = _DirectAPI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        routing = (scope.get("extensions") or {}).get(ROUTING_CONTEXT) or {}
        base = routing.get("api_base_path")
        operation_id = routing.get("operation_id")
        for api in self.apis.get(base, ()) if base is not None else ():
            operation = api.operations.get(operation_id)
            if operation is not None:
                await operation(scope, receive, send)
                return
        await self.app(scope, receive, send)
