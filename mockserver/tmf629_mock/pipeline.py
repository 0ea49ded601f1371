"""Connexion's middleware stack with the work that is the same for every request done once.

Connexion 3 rebuilds, on every request, things that depend only on the operation: a URI parser
and a parameter validator, the ``MediaTypeDict`` of accepted and produced media types, the
response definition and schema of each status, the set of required response headers. Its Swagger
UI middleware copies the scope and runs a router on every request, although only paths under
``{base}/ui`` and ``{base}/openapi.*`` are its own. The classes here are the same middlewares
with that work moved to start-up: the validators, their inputs, the order of the checks and the
errors raised are Connexion's own, so request and response validation behave exactly as before.

:func:`middleware_stack` is Connexion's default list with these classes in place of the
originals, for ``connexion.AsyncApp(middlewares=...)``.
"""

from __future__ import annotations

import copy
from collections.abc import MutableMapping, Sequence
from typing import Any

from connexion import utils
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseHeaders, UnsupportedMediaTypeProblem
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.middleware.response_validation import (
    ResponseValidationAPI,
    ResponseValidationMiddleware,
    ResponseValidationOperation,
)
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "LeanExceptionMiddleware",
    "PreparedRequestValidation",
    "PreparedResponseValidation",
    "ScopedSwaggerUI",
    "middleware_stack",
]

Message = MutableMapping[str, Any]


class _MediaTypes:
    """An operation's media types (``consumes`` or ``produces``): the one assumed when a message
    has no Content-Type, and membership (ranges included, as ``MediaTypeDict`` matches them)
    remembered per media type asked about, as is the split of each Content-Type value. No media
    types at all accepts every one."""

    def __init__(self, types: list[str]) -> None:
        self.default = types[0] if types else "application/octet-stream"
        self._types = MediaTypeDict([(kind.lower(), None) for kind in types]) if types else None
        self._answers: dict[str, bool] = {}
        self._splits: dict[bytes, tuple[str, str]] = {}

    def accepts(self, mime_type: str) -> bool:
        if self._types is None:
            return True
        found = self._answers.get(mime_type)
        if found is None:
            found = mime_type.lower() in self._types
            if len(self._answers) < 64:  # media types come from clients: keep it bounded
                self._answers[mime_type] = found
        return found

    def content_type(self, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
        """What Connexion's ``extract_content_type`` gives: the first Content-Type header split
        into media type and charset, the default and UTF-8 when absent."""
        for name, value in headers:
            if len(name) == 12 and name.lower() == b"content-type":
                found = self._splits.get(value)
                if found is None:
                    mime_type, encoding = utils.split_content_type(value.decode("latin-1"))
                    found = (
                        self.default if mime_type is None else mime_type,
                        "utf-8" if encoding is None else encoding,
                    )
                    if len(self._splits) < 64:  # header values come from clients: bounded
                        self._splits[value] = found
                return found
        return self.default, "utf-8"


class _PreparedRequestOperation(RequestValidationOperation):  # type: ignore[misc]
    def __init__(self, next_app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(next_app, **kwargs)
        operation = self._operation
        parameters = operation.parameters
        self._parameter_validator = self._validator_map["parameter"](
            parameters,
            uri_parser=operation._uri_parser_class(parameters, operation.body_definition()),
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )
        self._consumes = _MediaTypes(operation.consumes)
        self._bodies: dict[str, tuple[Any, dict[str, Any]] | None] = {}

    def extract_content_type(self, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
        return self._consumes.content_type(headers)

    def validate_mime_type(self, mime_type: str) -> None:
        if not self._consumes.accepts(mime_type):
            raise UnsupportedMediaTypeProblem(
                detail=f"Invalid Content-type ({mime_type}), expected {self._operation.consumes}"
            )

    def _body(self, mime_type: str) -> tuple[Any, dict[str, Any]] | None:
        """The body validator class and its arguments for ``mime_type``, looked up once."""
        if mime_type in self._bodies:
            return self._bodies[mime_type]
        operation = self._operation
        schema = operation.body_schema(mime_type)
        found: tuple[Any, dict[str, Any]] | None = None
        if schema:
            try:
                validator_class = self._validator_map["body"][mime_type]
            except KeyError:
                pass  # Connexion skips validation of media types it has no validator for
            else:
                found = (
                    validator_class,
                    {
                        "schema": schema,
                        "required": operation.request_body.get("required", False),
                        "nullable": utils.is_nullable(operation.body_definition(mime_type)),
                        "strict_validation": self.strict_validation,
                        "uri_parser": operation.uri_parser_class(
                            operation.parameters, operation.body_definition()
                        ),
                    },
                )
        if len(self._bodies) < 64:  # media types come from clients: keep the cache bounded
            self._bodies[mime_type] = found
        return found

    def validate_parameters(self, scope: Scope) -> None:
        self._parameter_validator.validate(scope)

    def body_validator(self, mime_type: str, encoding: str) -> Any:
        """The body validator Connexion would use for this request, ``None`` for none."""
        body = self._body(mime_type)
        if body is None:
            return None
        validator_class, arguments = body
        return validator_class(encoding=encoding, **arguments)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.validate_parameters(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        validator = self.body_validator(mime_type, encoding)
        if validator is not None:
            receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _PreparedRequestAPI(RequestValidationAPI):  # type: ignore[misc]
    def make_operation(self, operation: Any) -> _PreparedRequestOperation:
        return _PreparedRequestOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class PreparedRequestValidation(RequestValidationMiddleware):  # type: ignore[misc]
    """Connexion's request validation; parameter validators and media types built once."""

    api_cls = _PreparedRequestAPI


class _ResponsePlan:
    """What response validation needs for one status and media type, looked up once."""

    def __init__(
        self, required: frozenset[str], validator_class: Any, arguments: dict[str, Any]
    ) -> None:
        self.required = required
        self.validator_class = validator_class
        self.arguments = arguments
        self.trusts = getattr(validator_class, "trusts", None)
        # Raw header names are compared as bytes: for ASCII names that answers what comparing
        # their latin-1 decoding does (lower-casing keeps the other latin-1 letters non-ASCII).
        self._required_raw = (
            frozenset(name.encode("ascii") for name in required)
            if all(name.isascii() for name in required)
            else None
        )

    def present_in(self, headers: list[tuple[bytes, bytes]]) -> bool:
        """Whether every required header is among ``headers`` (``False`` also when that cannot
        be told this way: the caller then compares as Connexion does)."""
        if self._required_raw is None:
            return False
        return self._required_raw <= {name.lower() for name, _value in headers}


class _PreparedResponseOperation(ResponseValidationOperation):  # type: ignore[misc]
    def __init__(self, next_app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(next_app, **kwargs)
        self._produces = _MediaTypes(self._operation.produces)
        self._responses: dict[tuple[int, str], _ResponsePlan] = {}

    def extract_content_type(self, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
        return self._produces.content_type(headers)

    def validate_mime_type(self, mime_type: str) -> None:
        if not self._produces.accepts(mime_type):
            raise NonConformingResponseHeaders(
                detail=f"Invalid Response Content-type ({mime_type}), "
                f"expected {self._operation.produces}",
            )

    def _response(self, status: int, mime_type: str) -> _ResponsePlan:
        """Required header names, body validator class (or ``None``) and its arguments."""
        key = (status, mime_type)
        found = self._responses.get(key)
        if found is not None:
            return found
        operation = self._operation
        definition = operation.response_definition(str(status), mime_type)
        required = frozenset(
            name.lower()
            for name, header in definition.get("headers", {}).items()
            if header.get("required", False)
        )
        try:
            validator_class = self._validator_map["response"][mime_type]
        except KeyError:
            validator_class = None  # Connexion skips media types it has no validator for
        arguments = {
            "schema": operation.response_schema(str(status), mime_type),
            "nullable": utils.is_nullable(definition),
        }
        found = _ResponsePlan(required, validator_class, arguments)
        if len(self._responses) < 64:  # the server's own statuses and media types
            self._responses[key] = found
        return found

    def start_validator(
        self,
        scope: Scope,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None = None,
    ) -> Any:
        """Check the response's media type and required headers; the body validator Connexion
        would wrap ``send`` with, ``None`` for none. Given the ``body`` already, ``None`` too
        when that validator would take it on trust (``trusts``)."""
        mime_type, encoding = self.extract_content_type(headers)
        if status < 400:
            self.validate_mime_type(mime_type)
        plan = self._response(status, mime_type)
        if plan.required and not plan.present_in(headers):
            present = {name.decode("latin-1").lower() for name, _value in headers}
            missing = plan.required - present
            if missing:
                raise NonConformingResponseHeaders(
                    detail="Keys in response header don't match response "
                    f"specification. Difference: {', '.join(missing)}"
                )
        validator_class = plan.validator_class
        if validator_class is None:
            return None
        arguments = plan.arguments
        trusts = plan.trusts
        if body is not None and trusts is not None and trusts(scope, arguments["schema"], body):
            return None
        return validator_class(scope, encoding=encoding, **arguments)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def validating_send(message: Message) -> None:
            nonlocal send
            if message["type"] == "http.response.start":
                validator = self.start_validator(scope, message["status"], message["headers"])
                if validator is not None:
                    send = validator.wrap_send(send)
            await send(message)

        await self.next_app(scope, receive, validating_send)


class _PreparedResponseAPI(ResponseValidationAPI):  # type: ignore[misc]
    def make_operation(self, operation: Any) -> Any:
        if not self.validate_responses:
            return self.next_app
        return _PreparedResponseOperation(
            self.next_app, operation=operation, validator_map=self.validator_map
        )


class PreparedResponseValidation(ResponseValidationMiddleware):  # type: ignore[misc]
    """Connexion's response validation; media types, schemas and headers looked up once."""

    api_cls = _PreparedResponseAPI


class ScopedSwaggerUI(SwaggerUIMiddleware):  # type: ignore[misc]
    """Connexion's Swagger UI middleware, consulted only for paths it can answer (the spec
    document and the UI under each API's base path); every other request goes straight on."""

    def __init__(self, app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._prefixes: tuple[str, ...] = ()

    def add_api(self, specification: Any, **kwargs: Any) -> None:
        super().add_api(specification, **kwargs)
        mount = self.router.routes[-1]  # the API just added, its routes under its base path
        self._prefixes += tuple(mount.path + route.path for route in mount.app.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, root = scope["path"], scope.get("root_path", "")
            if not path[len(root) :].startswith(self._prefixes):
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


class LeanExceptionMiddleware(ExceptionMiddleware):  # type: ignore[misc]
    """Connexion's exception middleware without building a request object and two closures
    for every request: they are built, and Starlette's own handling runs, only when an
    exception actually arrives."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        handlers = (self._exception_handlers, self._status_handlers)
        scope["starlette.exception_handlers"] = handlers
        started = False

        async def sender(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sender)
        except Exception as exc:
            error = exc
            if started:  # what Starlette does when a response is already under way
                status = exc.status_code if isinstance(exc, HTTPException) else None
                if handlers[1].get(status) is None and not any(
                    kind in handlers[0] for kind in type(exc).__mro__
                ):
                    raise
                raise RuntimeError(
                    "Caught handled exception, but response already started."
                ) from exc

            async def failing(_scope: Scope, _receive: Receive, _send: Send) -> None:
                raise error

            handling = copy.copy(self)  # Starlette's handling, around an app that re-raises
            handling.app = failing
            await ExceptionMiddleware.__call__(handling, scope, receive, sender)


_REPLACEMENTS: dict[Any, Any] = {
    ExceptionMiddleware: LeanExceptionMiddleware,
    SwaggerUIMiddleware: ScopedSwaggerUI,
    RequestValidationMiddleware: PreparedRequestValidation,
    ResponseValidationMiddleware: PreparedResponseValidation,
}


def middleware_stack(*, before_swagger: Sequence[Any] = ()) -> list[Any]:
    """Connexion's default middleware list with the prepared classes in place, and
    ``before_swagger`` (middleware classes or partials) where ``MiddlewarePosition.BEFORE_SWAGGER``
    would put them, which ``add_middleware`` cannot find once the Swagger UI class is replaced."""
    stack: list[Any] = []
    for kind in ConnexionMiddleware.default_middlewares:
        if kind is SwaggerUIMiddleware:
            stack.extend(before_swagger)
        stack.append(_REPLACEMENTS.get(kind, kind))
    return stack
