"""Assembly: a :class:`connexion.AsyncApp` over the unmodified OpenAPI document.

Request validation is on (``strict_validation`` off: TMF attribute filters are free-form query
parameters), response validation is on (relaxed for ``required`` when ``fields`` selects
attributes), every operationId is resolved to a generic handler through ``Api.operations``, and
every error is a TMF Error body. Swagger UI is served under ``{base_path}/ui``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import connexion
from connexion.datastructures import MediaTypeDict
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tmf629_mock.auth import ApiKeyMiddleware, BodyLimitMiddleware
from tmf629_mock.dispatch import DirectDispatch
from tmf629_mock.errors import TmfError, from_problem
from tmf629_mock.fastlane import FastLane
from tmf629_mock.formats import AllowedMethods
from tmf629_mock.handlers import OperationResolver
from tmf629_mock.hub import Deliverer, Hub
from tmf629_mock.ir import Api
from tmf629_mock.jsonbody import encode_json
from tmf629_mock.pipeline import middleware_stack
from tmf629_mock.schemas import SchemaRegistry, load_spec
from tmf629_mock.service import Service
from tmf629_mock.store import Store, open_store
from tmf629_mock.validators import (
    CachedParameterValidator,
    FieldsAwareResponseValidator,
    MergePatchAwareRequestValidator,
)

__all__ = ["MockState", "create_app", "factory", "mock_state"]

logger = logging.getLogger(__name__)


class _ExpectedNoise(logging.Filter):
    """TMF attribute filters are free-form query parameters and PATCH has several media types:
    Connexion's log lines about those are expected, not errors."""

    _PHRASES = ("not defined in specification", "accepts multiple content types")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(phrase in message for phrase in self._PHRASES)


def _quiet_connexion() -> None:
    for name in ("connexion.decorators.parameter", "connexion.operations.openapi3"):
        target = logging.getLogger(name)
        if not any(isinstance(existing, _ExpectedNoise) for existing in target.filters):
            target.addFilter(_ExpectedNoise())


@dataclass
class MockState:
    api: Api
    service: Service
    store: Store
    hub: Hub
    base_path: str

    async def close(self) -> None:
        await self.hub.close()
        await self.store.close()


def _has_external_refs(node: Any) -> bool:
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and not reference.startswith("#"):
            return True
        return any(_has_external_refs(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_external_refs(value) for value in node)
    return False


def _tmf_response(error: TmfError) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=error.status,
        mimetype="application/json",
        content_type="application/json",
        body=encode_json(error.body()),
        headers=error.headers,
    )


def _on_tmf_error(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, TmfError)
    return _tmf_response(exc)


def _on_problem(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    status = int(getattr(exc, "status", 500) or 500)
    if status >= 500:
        logger.error("%r", exc)
    return _tmf_response(
        from_problem(status, getattr(exc, "title", None), getattr(exc, "detail", ""))
    )


def _on_http_exception(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, HTTPException)
    messages = {404: "No such resource or route", 405: "Method not allowed on this resource"}
    detail = (
        exc.detail if exc.detail and exc.detail not in ("Not Found", "Method Not Allowed") else ""
    )
    error = TmfError(exc.status_code, detail or messages.get(exc.status_code, ""))
    error.headers.update(dict(exc.headers or {}))
    return _tmf_response(error)


def _http_exception_handler(allowed: AllowedMethods) -> Any:
    """:func:`_on_http_exception`, with a 405's ``Allow`` listing every documented method."""

    def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        response = _on_http_exception(request, exc)
        methods = allowed.for_path(request.url.path) if response.status_code == 405 else None
        if methods:
            response.headers["Allow"] = methods
        return response

    return handle


def _on_exception(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    logger.error("unhandled error: %r", exc, exc_info=exc)
    return _tmf_response(TmfError(500, "The server could not process the request"))


def create_app(
    api: Api,
    spec_path: Path,
    *,
    base_path: str | None = None,
    store: str | Store = "memory",
    store_options: dict[str, Any] | None = None,
    api_key: str | None = None,
    max_body_bytes: int = 1_000_000,
    seed: Path | None = None,
    deterministic_ids: bool = False,
    admin: bool = False,
    deliverer: Deliverer | None = None,
    validate_responses: bool = True,
    swagger_ui: bool = True,
) -> connexion.AsyncApp:
    """Build the mock server for ``api`` over the OpenAPI document at ``spec_path``.

    ``store`` is ``memory``, ``sqlite:///path.db``, ``postgresql://...`` or a :class:`Store`.
    The returned app is ASGI; its :class:`MockState` is available via :func:`mock_state`.
    """
    _quiet_connexion()
    spec_path = Path(spec_path).resolve()
    spec = load_spec(spec_path)
    base = (base_path if base_path is not None else api.base_path).rstrip("/")
    backend = store if isinstance(store, Store) else open_store(store, **(store_options or {}))
    hub = Hub(api, backend, deliverer)
    service = Service(
        api,
        backend,
        schemas=SchemaRegistry(spec),
        hub=hub,
        deterministic_ids=deterministic_ids,
    )
    if seed is not None:
        service.seed_data = json.loads(Path(seed).read_text(encoding="utf-8"))
        service.seed_documents(service.seed_data)  # fail fast: ValueError naming the entry
    state = MockState(api, service, backend, hub, base)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        await state.close()

    # Without an API key the fast lane goes ahead of the Swagger UI (which answers only its own
    # paths) and of the body limit, whose 413 it gives itself. With a key, the order stays
    # Swagger UI, body limit, key, lane: a client without the key still learns first that its
    # body is too large, and the UI stays open.
    front = [] if api_key else [functools.partial(FastLane, max_body_bytes=max_body_bytes)]
    app = connexion.AsyncApp(
        __name__,
        specification_dir=str(spec_path.parent),
        lifespan=lifespan,
        middlewares=middleware_stack(before_swagger=front),
    )
    app.add_api(
        # The unmodified document: parsed once (cached) unless it has references to other
        # files, which Connexion must then resolve relative to the file itself.
        spec_path.name if _has_external_refs(spec) else load_spec(spec_path),
        base_path=base,
        resolver=OperationResolver(service, base),
        strict_validation=False,
        validate_responses=validate_responses,
        validator_map={
            "parameter": CachedParameterValidator,
            "body": MediaTypeDict({"*/*json": MergePatchAwareRequestValidator}),
            "response": MediaTypeDict({"*/*json": FieldsAwareResponseValidator}),
        },
        swagger_ui_options=SwaggerUIOptions(swagger_ui=swagger_ui),
    )
    app.add_error_handler(TmfError, _on_tmf_error)
    app.add_error_handler(connexion.ProblemException, _on_problem)
    app.add_error_handler(
        HTTPException, _http_exception_handler(AllowedMethods(spec.get("paths", {}), base))
    )
    app.add_error_handler(Exception, _on_exception)
    app.add_middleware(DirectDispatch)
    app.add_middleware(
        BodyLimitMiddleware,
        position=MiddlewarePosition.BEFORE_ROUTING,
        max_body_bytes=max_body_bytes,
    )
    if api_key:
        app.add_middleware(
            ApiKeyMiddleware,
            position=MiddlewarePosition.BEFORE_ROUTING,
            api_key=api_key,
            open_prefixes=(f"{base}/ui", f"{base}/openapi.json", f"{base}/openapi.yaml"),
        )
        app.add_middleware(
            FastLane, position=MiddlewarePosition.BEFORE_ROUTING, max_body_bytes=max_body_bytes
        )
    if admin:

        async def admin_reset(_request: Request) -> Response:
            await service.reset()
            return Response(status_code=204)

        app.add_url_rule(f"{base}/admin/reset", "tmf_admin_reset", admin_reset, methods=["POST"])
    app.tmf_mock = state
    return app


def mock_state(app: connexion.AsyncApp) -> MockState:
    state = getattr(app, "tmf_mock", None)
    if not isinstance(state, MockState):
        raise TypeError("not an app built by tmf629_mock.create_app")
    return state


def factory() -> connexion.AsyncApp:
    """For ``uvicorn --factory tmf629_mock.app:factory``: configured from ``TMF_MOCK_*`` env vars
    (``SPEC``, ``ASYNCAPI``, ``BASE_PATH``, ``STORE``, ``SEED``, ``API_KEY``,
    ``DETERMINISTIC_IDS``, ``ADMIN``, ``MAX_BODY_BYTES``)."""
    from tmf629_mock.cli import default_spec, load_model

    env = os.environ
    spec = Path(env["TMF_MOCK_SPEC"]) if env.get("TMF_MOCK_SPEC") else default_spec()
    asyncapi = Path(env["TMF_MOCK_ASYNCAPI"]) if env.get("TMF_MOCK_ASYNCAPI") else None
    seed = Path(env["TMF_MOCK_SEED"]) if env.get("TMF_MOCK_SEED") else None
    return create_app(
        load_model(spec, asyncapi),
        spec,
        base_path=env.get("TMF_MOCK_BASE_PATH") or None,
        store=env.get("TMF_MOCK_STORE", "memory"),
        api_key=env.get("TMF_MOCK_API_KEY") or None,
        max_body_bytes=int(env.get("TMF_MOCK_MAX_BODY_BYTES", "1000000")),
        seed=seed,
        deterministic_ids=env.get("TMF_MOCK_DETERMINISTIC_IDS", "") in ("1", "true", "yes"),
        admin=env.get("TMF_MOCK_ADMIN", "") in ("1", "true", "yes"),
    )
