"""Thin Connexion handlers: read the HTTP request, call the service, write the HTTP response.

A custom :class:`connexion.resolver.Resolver` maps each operationId of the spec to a generic
handler chosen by the operation's kind and resource in :attr:`Api.operations`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any

import connexion
from connexion.resolver import Resolver
from starlette.datastructures import URL, Headers
from starlette.responses import Response
from starlette.types import Scope

from tmf629_mock.dispatch import DirectHandler, remember_response
from tmf629_mock.errors import TmfError, bad_request
from tmf629_mock.ir import Operation
from tmf629_mock.jsonbody import encode_json
from tmf629_mock.query import query_pairs
from tmf629_mock.service import Result, Service

__all__ = ["OperationResolver", "make_handler", "to_response"]

Handler = Callable[..., Awaitable[Response]]


class _JsonResponse(Response):
    """``Response(content, status_code, headers, media_type="application/json")``, given the
    raw form of ``headers`` (:func:`_raw_headers`): the same raw headers, without Starlette's
    general header handling."""

    media_type = "application/json"

    def __init__(self, content: bytes, status_code: int, raw: list[tuple[bytes, bytes]]) -> None:
        self.status_code = status_code
        self.body = content
        self.background = None
        raw.append((b"content-length", str(len(content)).encode("latin-1")))
        raw.append((b"content-type", b"application/json"))
        self.raw_headers = raw


_OWN_HEADERS = frozenset({"content-length", "content-type"})


def _sends_length(status: int) -> bool:
    return status >= 200 and status not in (204, 304)


def _raw_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]] | None:
    """``headers`` as Starlette encodes them; ``None`` when they name a header Starlette would
    then not add itself."""
    raw = []
    for key, value in headers.items():
        name = key.lower()
        if name in _OWN_HEADERS:
            return None
        raw.append((name.encode("latin-1"), value.encode("latin-1")))
    return raw


def to_response(result: Result, scope: Scope | None = None) -> Response:
    if result.body is None:
        return Response(status_code=result.status, headers=result.headers)
    content = encode_json(result.body) if result.encoded is None else result.encoded
    if scope is not None:
        remember_response(scope, content, result.body, result.accepted_by)
    # Starlette leaves Content-Length out below 200 and on 204 and 304: those take its way.
    raw = _raw_headers(result.headers) if _sends_length(result.status) else None
    if raw is not None:
        return _JsonResponse(content, result.status, raw)
    return Response(
        content=content,
        status_code=result.status,
        headers=result.headers,
        media_type="application/json",
    )


_ORIGINS: dict[tuple[Any, ...], str] = {}
_TOP: Mapping[str, str] = MappingProxyType({})  # the parents of a top-level resource


class _Request:
    """What the handlers need from the request: the current Connexion request, or the ASGI
    scope when :class:`~tmf629_mock.dispatch.DirectDispatch` calls the handler itself. The URL
    and headers are only built when an operation reads them."""

    def __init__(self, base_path: str, scope: Scope | None = None) -> None:
        self.scope: Scope = connexion.request.scope if scope is None else scope
        self.path_params: dict[str, str] = self.scope.get("path_params") or {}
        self.query_string: bytes = self.scope.get("query_string", b"")
        self.base_path = base_path

    # Plain properties: each is read at most once or twice per request, and Python 3.11's
    # functools.cached_property takes a lock on every read.
    @property
    def url(self) -> URL:
        return URL(scope=self.scope)

    @property
    def headers(self) -> Headers:
        return Headers(scope=self.scope)

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` as Starlette's URL gives it, worked out once per distinct
        scheme, Host header and server address."""
        scope = self.scope
        host = None
        for key, value in scope["headers"]:
            if key == b"host":
                host = value
                break
        server = scope.get("server")
        key = (scope.get("scheme", "http"), host, tuple(server) if server else None)
        found = _ORIGINS.get(key)
        if found is None:
            if len(_ORIGINS) >= 256:  # Host headers come from clients: keep the cache bounded
                _ORIGINS.clear()
            url = self.url
            found = _ORIGINS[key] = f"{url.scheme}://{url.netloc}"
        return found

    @property
    def base_url(self) -> str:
        return self.origin + self.base_path

    def query(self) -> list[tuple[str, str]]:
        return query_pairs(self.query_string)

    def single(self, name: str) -> str | None:
        """The one value of query parameter ``name``; given twice is a 400, as on lists."""
        if not self.query_string:
            return None
        values = [value for key, value in self.query() if key == name]
        if len(values) > 1:
            raise bad_request(f"Parameter {name!r} given more than once")
        return values[0] if values else None


def make_handler(service: Service, operation: Operation, base_path: str) -> Handler:
    kind = operation.kind
    resource_name = operation.resource
    id_parameter = "id"
    parents: tuple[str, ...] = ()
    if resource_name is not None:
        resource = service.api.resource(resource_name)
        id_parameter = resource.id_parameter or "id"
        parents = resource.parent_parameters
    hub_url_path = base_path + (service.api.hub_path or "/hub")

    async def handler(*_: Any, **kwargs: Any) -> Response:
        return await run(_Request(base_path), kwargs.get("body"))

    async def run(request: _Request, body: Any) -> Response:
        # The base URL is only needed while seed data waits to be loaded.
        await service.ready(base_url=request.base_url if service.seed_data is not None else None)
        ident = request.path_params.get(id_parameter, "")
        parent_values = (
            {name: request.path_params.get(name, "") for name in parents} if parents else _TOP
        )
        name = resource_name or ""
        if kind == "list":
            result = await service.list(name, request.query(), parents=parent_values)
        elif kind == "retrieve":
            result = await service.retrieve(
                name, ident, fields=request.single("fields"), parents=parent_values
            )
        elif kind == "create":
            result = await service.create(
                name,
                body,
                base_url=request.base_url,
                fields=request.single("fields"),
                parents=parent_values,
            )
        elif kind == "patch":
            result = await service.patch(
                name,
                ident,
                body,
                content_type=request.headers.get("content-type"),
                fields=request.single("fields"),
                parents=parent_values,
            )
        elif kind == "delete":
            result = await service.delete(name, ident, parents=parent_values)
        elif kind == "hub_create":
            hub_url = request.origin + hub_url_path
            result = await service.create_hub(body, hub_url=hub_url)
        elif kind == "hub_retrieve":
            result = await service.retrieve_hub(request.path_params.get("id", ""))
        elif kind == "hub_delete":
            result = await service.delete_hub(request.path_params.get("id", ""))
        elif kind == "listener":
            statuses = sorted(r.status for r in operation.responses if 200 <= r.status < 300)
            result = Result(statuses[0] if statuses else 204)
        else:
            raise TmfError(501, f"Operation {operation.operation_id!r} is not implemented")
        return to_response(result, request.scope)

    async def direct(scope: Scope, body: Any) -> Response:
        return await run(_Request(base_path, scope), body)

    handler.__name__ = operation.operation_id
    tmf_direct: DirectHandler = direct
    handler.tmf_direct = tmf_direct  # type: ignore[attr-defined]  # read by DirectDispatch
    return handler


class OperationResolver(Resolver):  # type: ignore[misc]
    """Resolves an operationId to the generic handler of its kind, via ``Api.operations``."""

    def __init__(self, service: Service, base_path: str) -> None:
        super().__init__()
        self.service = service
        self.base_path = base_path

    def resolve_function_from_operation_id(self, operation_id: str) -> Handler:
        try:
            operation = self.service.api.operation(operation_id)
        except KeyError:
            operation = Operation(operation_id, "", "", "other", None)
        return make_handler(self.service, operation, self.base_path)
