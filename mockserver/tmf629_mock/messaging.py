"""The message transport of the mock server: command responder and event publisher.

:class:`Messaging` subscribes to every ``commandRequest`` channel of the AsyncAPI document
(through the SDK's FastStream facade, :class:`tmf629.runtime.MessageBus`) and answers each
request on its ``Reply-Channel`` through the same :class:`~tmf629_mock.service.Service` as the
REST handlers: one behaviour, two transports. It also publishes the service's events on their
event channels.

Replies carry ``X-Correlation-Id``, ``Status-Code``, ``X-Request-Channel`` (and for lists
``X-Total-Count``/``X-Result-Count``); failures are TMF Error payloads. A message the responder
cannot answer (no usable reply channel) is logged and rejected; a message whose processing
failed (5xx) is answered and rejected, never acknowledged. The responder itself never stops on
a bad message.

Header values are strings: ``Parameters`` is JSON text, ``Query-Filters`` a query string.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tmf629.runtime import IncomingMessage, MessageBus, channel_address
from tmf629.runtime._messaging import valid_address
from tmf629_mock.errors import TmfError, bad_request
from tmf629_mock.ir import Api, Operation
from tmf629_mock.jsonbody import MalformedBody, encode_json, parse_json_body
from tmf629_mock.patching import strip_nulls
from tmf629_mock.query import query_pairs
from tmf629_mock.service import Result, Service

__all__ = ["CommandRoute", "Messaging", "command_routes"]

logger = logging.getLogger(__name__)

_JSON_PATCH = "application/json-patch+json"
_MERGE_PATCH = "application/merge-patch+json"
_KINDS = ("retrieve", "list", "create", "patch", "delete")


@dataclass(frozen=True)
class CommandRoute:
    """One command: its request and reply address templates and what it does."""

    operation: Operation
    request: str
    reply: str
    payload_schema: str | None
    parameters: tuple[tuple[str, bool], ...]
    parameter_types: dict[str, str]


def command_routes(api: Api) -> list[CommandRoute]:
    requests = {c.operation: c for c in api.channels if c.role == "command_request"}
    replies = {c.operation: c for c in api.channels if c.role == "command_reply"}
    routes: list[CommandRoute] = []
    for operation_id, request in requests.items():
        reply = replies.get(operation_id)
        if operation_id is None or reply is None:
            continue
        try:
            operation = api.operation(operation_id)
        except KeyError:
            continue
        if operation.kind not in _KINDS or operation.resource is None:
            continue
        types = {
            name.split(".", 1)[1]: kind
            for name, kind in request.header_types
            if name.startswith("Parameters.")
        }
        routes.append(
            CommandRoute(
                operation,
                request.address,
                reply.address,
                request.payload_schema,
                request.parameter_headers,
                types,
            )
        )
    return routes


class Messaging:
    """Responder and event publisher of one service on one bus.

    ``base_url`` (``http://host:port{base_path}``, the API root as the REST clients see it)
    builds the ``href`` of resources created over messages; ``group`` makes several server
    instances share the requests.
    """

    def __init__(
        self,
        service: Service,
        bus: MessageBus | str,
        *,
        channel_prefix: str | None = None,
        base_url: str | None = None,
        group: str = "tmf629-mock",
    ) -> None:
        self.service = service
        self.bus = MessageBus(bus) if isinstance(bus, str) else bus
        self._owns_bus = isinstance(bus, str)
        self.channel_prefix = channel_prefix or None
        channel_address("{prefix}.x", self.channel_prefix)  # ValueError on a bad prefix now
        self.base_url = (base_url or f"http://localhost:8629{service.api.base_path}").rstrip("/")
        self.group = group
        self.routes = command_routes(service.api)
        self._event_channels = {
            channel.payload_schema: channel.address
            for channel in service.api.channels
            if channel.role == "event" and channel.payload_schema
        }
        self._events: asyncio.Queue[dict[str, Any]] | None = None
        self._event_task: asyncio.Task[None] | None = None
        self._validators: dict[str, Any] = {}
        self._subscribers: list[Any] = []
        self.published_events = 0

    def address(self, template: str) -> str:
        return channel_address(template, self.channel_prefix)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> Messaging:
        await self.bus.start()
        await self.service.ready(base_url=self.base_url)
        for route in self.routes:
            subscriber = await self.bus.subscribe(
                self.address(route.request),
                self._handler(route),
                group=self.group,
                manual_ack=True,
            )
            self._subscribers.append(subscriber)
        self._events = asyncio.Queue()
        self._event_task = asyncio.get_running_loop().create_task(self._publish_events())
        self.service.event_sinks.append(self._on_events)
        return self

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.service.event_sinks.remove(self._on_events)
        if self._events is not None and self._event_task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._events.join(), 2.0)
            self._event_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._event_task
            self._event_task = None
        subscribers, self._subscribers = self._subscribers, []
        if self._owns_bus:
            await self.bus.stop()
            return
        for subscriber in subscribers:  # a shared bus goes on without this responder
            with contextlib.suppress(Exception):
                await subscriber.stop()

    async def __aenter__(self) -> Messaging:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def drain(self) -> None:
        """Wait until every queued event has been published (tests)."""
        if self._events is not None:
            await self._events.join()

    # -- events --------------------------------------------------------------------------------

    def _on_events(self, bodies: list[dict[str, Any]]) -> None:
        if self._events is not None:
            for body in bodies:
                self._events.put_nowait(body)

    async def _publish_events(self) -> None:
        assert self._events is not None
        while True:
            event = await self._events.get()
            try:
                template = self._event_channels.get(str(event.get("eventType")))
                if template is not None:
                    await self.bus.publish(self.address(template), encode_json(event), {})
                    self.published_events += 1
            except Exception:
                logger.exception("could not publish %s", event.get("eventType"))
            finally:
                self._events.task_done()

    # -- commands ------------------------------------------------------------------------------

    def _handler(self, route: CommandRoute) -> Callable[[IncomingMessage], Awaitable[None]]:
        async def handle(message: IncomingMessage) -> None:
            try:
                await self._respond(route, message)
            except Exception:  # never let the subscriber die
                logger.exception("responder failure on %s", message.address)
                await message.reject()

        return handle

    async def _respond(self, route: CommandRoute, message: IncomingMessage) -> None:
        headers = httpx.Headers(message.headers)  # header names are case-insensitive
        correlation = headers.get("X-Correlation-Id") or None
        reply_to = headers.get("Reply-Channel") or self.address(route.reply)
        if not valid_address(reply_to):
            logger.warning(
                "dropping a request on %s: unusable Reply-Channel %r (X-Correlation-Id %r)",
                message.address,
                reply_to,
                correlation,
            )
            await message.reject()
            return
        failed = False
        try:
            result = await self._execute(route, message, headers, correlation)
        except TmfError as exc:
            result = Result(exc.status, exc.body())
            failed = exc.status >= 500
        except Exception:
            logger.exception("could not process a request on %s", message.address)
            result = Result(500, TmfError(500, "The server could not process the request").body())
            failed = True
        reply_headers = {
            "Status-Code": str(result.status),
            "X-Request-Channel": message.address,
        }
        if correlation is not None:
            reply_headers["X-Correlation-Id"] = correlation
        for name in ("X-Total-Count", "X-Result-Count"):
            if name in result.headers:
                reply_headers[name] = result.headers[name]
        body = b"" if result.body is None else encode_json(result.body)
        try:
            await self.bus.publish(reply_to, body, reply_headers)
        except Exception:
            logger.exception("could not publish the reply on %s", reply_to)
            await message.nack()
            return
        if failed:
            await message.reject()
        else:
            await message.ack()

    async def _execute(
        self,
        route: CommandRoute,
        message: IncomingMessage,
        headers: httpx.Headers,
        correlation: str | None,
    ) -> Result:
        if correlation is None:
            raise TmfError(
                400, "Missing mandatory header 'X-Correlation-Id'", reason="Missing header"
            )
        parameters = self._parameters(route, headers.get("Parameters"))
        payload = _payload(message.body)
        operation = route.operation
        kind = operation.kind
        resource = operation.resource or ""
        fields = _optional_str(parameters.get("fields"))
        service = self.service
        if kind in ("create", "patch") and payload is _MISSING:
            raise bad_request(
                f"The {operation.operation_id} request needs a JSON payload",
                reason="Missing payload",
            )
        if kind == "retrieve":
            return await service.retrieve(resource, str(parameters["id"]), fields=fields)
        if kind == "delete":
            return await service.delete(resource, str(parameters["id"]))
        if kind == "list":
            pairs = query_pairs(headers.get("Query-Filters", ""))
            for name in ("fields", "offset", "limit"):
                if parameters.get(name) is not None:
                    pairs.append((name, str(parameters[name])))
            result = await service.list(resource, pairs)
            if result.status == 206:  # a partial page is still a success on messages
                result.status = 200
            return result
        if kind == "create":
            self._check_payload(route.payload_schema, payload)
            return await service.create(resource, payload, base_url=self.base_url, fields=fields)
        # patch: a JSON Patch is an array, a merge patch an object
        content_type = _JSON_PATCH if isinstance(payload, list) else _MERGE_PATCH
        if isinstance(payload, list):
            self._check_payload("JsonPatchOperations", payload)
        elif isinstance(payload, dict):
            self._check_payload(route.payload_schema, strip_nulls(payload))
        else:
            raise bad_request(
                "A patch payload must be an object (merge patch) or an array (JSON Patch)",
                reason="Invalid payload",
            )
        return await service.patch(
            resource, str(parameters["id"]), payload, content_type=content_type, fields=fields
        )

    def _parameters(self, route: CommandRoute, text: str | None) -> dict[str, Any]:
        if text is None:
            raise TmfError(400, "Missing mandatory header 'Parameters'", reason="Missing header")
        try:
            value = json.loads(text) if text.strip() else {}
        except ValueError:
            raise bad_request(
                "The Parameters header must be the JSON text of an object", reason="Invalid header"
            ) from None
        if not isinstance(value, dict):
            raise bad_request(
                "The Parameters header must be the JSON text of an object", reason="Invalid header"
            )
        known = dict(route.parameters)
        for name in value:
            if name not in known:
                raise bad_request(
                    f"Unknown member {name!r} in the Parameters header", reason="Invalid header"
                )
        for name, required in route.parameters:
            member = value.get(name)
            if member is None:
                if required:
                    raise bad_request(
                        f"Missing mandatory parameter {name!r} in the Parameters header",
                        reason="Missing parameter",
                    )
                continue
            expected = route.parameter_types.get(name, "string")
            if not _has_type(member, expected):
                raise bad_request(
                    f"Parameter {name!r} must be of type {expected}, not {member!r}",
                    reason="Invalid parameter",
                )
        return value

    def _check_payload(self, schema_name: str | None, payload: Any) -> None:
        registry = self.service.schemas
        if registry is None or schema_name is None:
            return
        validator = self._validators.get(schema_name)
        if validator is None:
            schema = registry.schema(schema_name)
            if schema is None:
                return
            from connexion.json_schema import Draft4RequestValidator
            from jsonschema import Draft4Validator

            validator = Draft4RequestValidator(
                schema, format_checker=Draft4Validator.FORMAT_CHECKER
            )
            self._validators[schema_name] = validator
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
        if errors:
            error = errors[0]
            where = ".".join(str(part) for part in error.absolute_path)
            reason = "Invalid attribute value"
            if error.validator == "required":
                reason = "Missing mandatory attribute"
            raise bad_request(
                f"Invalid {schema_name} payload"
                + (f" at '{where}'" if where else "")
                + f": {error.message}",
                reason=reason,
            )


class _Missing:
    pass


_MISSING: Any = _Missing()


def _payload(body: bytes) -> Any:
    if not body.strip():
        return _MISSING
    try:
        return parse_json_body(body)
    except MalformedBody as exc:
        raise bad_request(str(exc), reason="Malformed JSON payload") from None


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _has_type(value: Any, json_type: str) -> bool:
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if json_type == "boolean":
        return isinstance(value, bool)
    if json_type == "string":
        return isinstance(value, str)
    return True


async def serve(
    app: Any,
    broker: str,
    *,
    channel_prefix: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8629,
    log_level: str = "info",
) -> None:
    """Serve ``app`` with uvicorn and its service over ``broker``, on one event loop."""
    import uvicorn

    from tmf629_mock.app import mock_state

    state = mock_state(app)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    base_url = f"http://{host}:{port}{state.base_path}"
    messaging = Messaging(state.service, broker, channel_prefix=channel_prefix, base_url=base_url)
    async with messaging:
        logging.getLogger("uvicorn.error").info(
            "Command channels served on %s with prefix %r",
            messaging.bus.display_url,
            channel_prefix or "",
        )
        await server.serve()
