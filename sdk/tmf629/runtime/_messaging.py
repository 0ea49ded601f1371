"""Messages over brokers: a small FastStream facade (:class:`MessageBus`) and the core of the
generated command clients (:class:`AsyncCommandClient`).

The AsyncAPI binding of a TMF API publishes each operation's request on a ``commandRequest``
channel and answers on the matching ``commandReply`` channel. Headers carry the parameters
(``X-Correlation-Id``, ``Reply-Channel``, ``Parameters``, ``Query-Filters``; in replies
``Status-Code``, ``X-Request-Channel``, ``X-Total-Count``, ``X-Result-Count``). Header values
are strings on the wire: ``Parameters`` is JSON text, integers are decimal.

FastStream (the optional ``messaging`` extra) is imported when a bus starts, never with this
module, so the SDK itself needs only httpx and pydantic. The broker is chosen by URL:

* ``nats://host:4222`` - NATS subjects (core NATS; queue groups for shared subscriptions);
  with ``?jetstream=1`` shared subscriptions (the server's request channels) go through a
  JetStream work-queue stream per channel, so requests wait for the server and are
  acknowledged only once processed;
* ``amqp://user:password@host:5672/vhost`` - RabbitMQ: every channel address is a routing key
  on a topic exchange (``amq.topic`` unless ``?exchange=`` says otherwise);
* ``kafka://host:9092`` - Kafka topics named like the channels (consumer groups for shared
  subscriptions);
* ``memory://`` - in-process, through FastStream's test broker (unit tests; client and server
  must share the one :class:`MessageBus`).

A reply channel is shared by every requester of an operation: each requester subscribes to it
on its own (never in a group) and keeps only the replies whose ``X-Correlation-Id`` it is
waiting for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import httpx

from ._errors import APIConnectionError, APIResponseValidationError, APITimeoutError
from ._models import encode_json_body
from ._paging import Page, page_parser
from ._patch import PatchInput, encode_patch
from ._query import FilterInput, fields_param, filter_params
from ._response import ResponseParser, model_parser, no_content

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ._messaging_headers import MessageHeaders

__all__ = [
    "AsyncCommandClient",
    "AsyncCommandResource",
    "BrokerKind",
    "IncomingMessage",
    "MessageBus",
    "MessageHandler",
    "channel_address",
    "decode_headers",
]

logger = logging.getLogger("tmf629.messaging")

_T = TypeVar("_T")
_ModelT = TypeVar("_ModelT", bound="BaseModel")

Fields = str | Sequence[str] | None

BrokerKind = Literal["nats", "rabbit", "kafka", "memory"]

_SCHEMES: dict[str, BrokerKind] = {
    "nats": "nats",
    "tls": "nats",
    "amqp": "rabbit",
    "amqps": "rabbit",
    "kafka": "kafka",
    "memory": "memory",
}

# Characters that are wildcards or separators in some broker's subject syntax.
_BAD_ADDRESS = re.compile(r"[\s*>#]|^\.|\.$|\.\.")

_INSTALL_HINT = 'messaging needs FastStream: pip install "tmf629[messaging]"'


def channel_address(template: str, prefix: str | None = None) -> str:
    """Fill a channel address template: ``{prefix}.`` becomes ``acme.``, or goes away entirely
    when there is no prefix (``customerManagement.v5.retrieveCustomer.commandRequest``)."""
    if prefix:
        prefix = prefix.strip(".")
        if _BAD_ADDRESS.search(prefix):
            raise ValueError(f"invalid channel prefix {prefix!r}")
        return template.replace("{prefix}", prefix)
    return template.replace("{prefix}.", "").replace("{prefix}", "")


def jetstream_name(address: str) -> str:
    """A JetStream stream or consumer name for ``address`` (no dots, wildcards or spaces)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", address)


def valid_address(address: str) -> bool:
    """Whether ``address`` can be published to on every supported broker (no wildcards)."""
    return bool(address) and len(address) <= 249 and not _BAD_ADDRESS.search(address)


def decode_headers(raw: Mapping[str, Any] | None) -> dict[str, str]:
    """Header values as strings, whatever the broker delivered (bytes, numbers, tables)."""
    headers: dict[str, str] = {}
    for name, value in (raw or {}).items():
        if isinstance(value, bytes | bytearray):
            headers[str(name)] = bytes(value).decode("utf-8", errors="replace")
        elif isinstance(value, str):
            headers[str(name)] = value
        elif isinstance(value, dict | list):
            headers[str(name)] = json.dumps(value, separators=(",", ":"))
        elif value is not None:
            headers[str(name)] = str(value)
    return headers


class IncomingMessage:
    """One delivered message: raw body, string headers, and its settlement with the broker."""

    def __init__(self, address: str, body: bytes, headers: dict[str, str], raw: Any) -> None:
        self.address = address
        self.body = body
        self.headers = headers
        self._raw = raw

    async def ack(self) -> None:
        """Processed: the broker may forget the message."""
        await self._settle("ack")

    async def reject(self) -> None:
        """Not processed and not to be redelivered (dead-lettered where the broker can)."""
        await self._settle("reject")

    async def nack(self) -> None:
        """Not processed: the broker may deliver it again."""
        await self._settle("nack")

    async def _settle(self, how: str) -> None:
        method = getattr(self._raw, how, None)
        if method is None:
            return
        try:
            await method()
        except Exception:  # settling twice, or a broker without the notion (core NATS)
            logger.debug("could not %s a message on %s", how, self.address, exc_info=True)


MessageHandler = Callable[[IncomingMessage], Awaitable[None]]


class MessageBus:
    """One broker connection through FastStream; the broker kind is chosen by ``url``.

    Start it with ``async with`` (or :meth:`start` / :meth:`stop`); ``connect_timeout`` bounds
    the first connection. Several clients and servers may share one bus; with ``memory://``
    they must.
    """

    def __init__(self, url: str = "memory://", *, connect_timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.connect_timeout = connect_timeout
        kind = _SCHEMES.get(parts.scheme.lower())
        if kind is None:
            raise ValueError(
                f"unsupported broker URL {url!r}: use nats://, amqp://, kafka:// or memory://"
            )
        self.url = url
        self.kind: BrokerKind = kind
        query = parse_qs(parts.query)
        self.exchange = (query.get("exchange") or ["amq.topic"])[0]
        self.jetstream = (query.get("jetstream") or [""])[0].lower() in ("1", "true", "yes")
        self._connect_url = urlunsplit(parts._replace(query="", fragment=""))
        self._broker: Any = None
        self._test_context: Any = None
        self._started = False
        self._lock: asyncio.Lock | None = None

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages and request objects."""
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        return urlunsplit((parts.scheme, netloc or "local", "", "", ""))

    @property
    def started(self) -> bool:
        return self._started

    @property
    def broker(self) -> Any:
        """The FastStream broker (``None`` before :meth:`start`)."""
        return self._broker

    def _make_broker(self) -> Any:
        try:
            if self.kind == "nats" or self.kind == "memory":
                from faststream.nats import NatsBroker

                if self.kind == "memory":
                    return NatsBroker(logger=None, apply_types=False)
                return NatsBroker(self._connect_url, logger=None, apply_types=False)
            if self.kind == "rabbit":
                from faststream.rabbit import RabbitBroker

                return RabbitBroker(self._connect_url, logger=None, apply_types=False)
            from faststream.kafka import KafkaBroker

            parts = urlsplit(self._connect_url)
            return KafkaBroker(parts.netloc or "localhost:9092", logger=None, apply_types=False)
        except ImportError as exc:
            raise ImportError(f"{_INSTALL_HINT} ({exc})") from exc

    async def start(self) -> MessageBus:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._started:
                return self
            broker = self._make_broker()
            if self.kind == "memory":
                from faststream.nats import TestNatsBroker

                self._test_context = TestNatsBroker(broker)
                broker = await self._test_context.__aenter__()
            else:
                try:
                    # Some clients retry a refused first connection for minutes: bound it.
                    await asyncio.wait_for(broker.start(), self.connect_timeout)
                except Exception as exc:
                    with contextlib.suppress(Exception):
                        await broker.stop()
                    request = httpx.Request("CONNECT", self.display_url)
                    raise APIConnectionError(
                        request=request,
                        message=f"cannot connect to {self.display_url}: {exc!r}",
                    ) from exc
            self._broker = broker
            self._started = True
            return self

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        broker, self._broker = self._broker, None
        if self._test_context is not None:
            context, self._test_context = self._test_context, None
            await context.__aexit__(None, None, None)
        elif broker is not None:
            await broker.stop()

    async def __aenter__(self) -> MessageBus:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    def _exchange(self) -> Any:
        from faststream.rabbit import ExchangeType, RabbitExchange

        return RabbitExchange(self.exchange, type=ExchangeType.TOPIC, durable=True, declare=False)

    async def publish(
        self, address: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> None:
        """Publish ``body`` on the channel ``address`` (raises when the broker refuses)."""
        if not self._started:
            await self.start()
        broker = self._broker
        merged = dict(headers or {})
        if body:  # an empty body is no JSON document: FastStream would try to decode it
            merged.setdefault("content-type", "application/json")
        if self.kind == "rabbit":
            await broker.publish(
                body, routing_key=address, exchange=self._exchange(), headers=merged
            )
        else:
            await broker.publish(body, address, headers=merged)

    async def subscribe(
        self,
        address: str,
        handler: MessageHandler,
        *,
        group: str | None = None,
        manual_ack: bool = False,
    ) -> Any:
        """Call ``handler`` for every message on ``address``.

        With a ``group``, subscribers of the same group share the messages (NATS queue group,
        RabbitMQ queue ``{group}:{address}``, Kafka consumer group); without one, this
        subscriber gets every message. With ``manual_ack`` the handler settles each message itself.
        """
        if not self._started:
            await self.start()
        from faststream import AckPolicy

        broker = self._broker
        policy = AckPolicy.MANUAL if manual_ack else AckPolicy.ACK_FIRST

        # Brokers are built without FastDepends (apply_types=False) and ``_stream_message``
        # decodes a message to itself: the handler gets FastStream's message as it is.
        async def on_message(message: Any) -> None:
            incoming = IncomingMessage(
                address, bytes(message.body or b""), decode_headers(message.headers), message
            )
            await handler(incoming)

        if self.kind == "rabbit":
            from faststream.rabbit import RabbitQueue

            if group:
                # Queue names are global: one shared queue per group and address.
                queue = RabbitQueue(f"{group}:{address}", auto_delete=True, routing_key=address)
            else:
                queue = RabbitQueue(
                    f"{address}.{uuid.uuid4().hex[:12]}",
                    exclusive=True,
                    auto_delete=True,
                    routing_key=address,
                )
            subscriber = broker.subscriber(
                queue,
                exchange=self._exchange(),
                no_reply=True,
                ack_policy=policy,
                decoder=_stream_message,
            )
        elif self.kind == "kafka":
            subscriber = broker.subscriber(
                address, group_id=group, no_reply=True, ack_policy=policy, decoder=_stream_message
            )
        elif self.kind == "nats" and self.jetstream and group:
            # A work-queue stream per address and a durable consumer per group: messages are
            # kept until acknowledged (or terminated), and redelivered after a nack.
            from faststream.nats import JStream, RetentionPolicy

            stream = JStream(
                jetstream_name(address),
                subjects=[address],
                retention=RetentionPolicy.WORK_QUEUE,
                max_age=3600,
                declare=False,
            )
            # FastStream declares streams when the broker starts; this subscriber comes later.
            await broker.config.connection_state.stream.add_stream(
                config=stream.config, subjects=[address]
            )
            subscriber = broker.subscriber(
                address,
                queue=jetstream_name(group),
                stream=stream,
                no_reply=True,
                ack_policy=policy,
                decoder=_stream_message,
            )
        else:
            # Core NATS has no acknowledgements: settling is a no-op there.
            subscriber = broker.subscriber(
                address, queue=group or "", no_reply=True, decoder=_stream_message
            )
        subscriber(on_message)
        await subscriber.start()
        return subscriber


async def _stream_message(message: Any) -> Any:
    """FastStream decoder handing over the message itself, its body left as bytes: a bad
    payload is ours to answer. (Asynchronous: a plain function would run in a thread.)"""
    return message


class _Reply:
    __slots__ = ("body", "headers")

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.body = body
        self.headers = headers


class AsyncCommandClient:
    """Base of the generated command clients: one request, one correlated reply.

    ``broker`` is a URL (see :class:`MessageBus`) or a bus shared with other clients;
    ``channel_prefix`` is the optional administrative prefix of every channel address.
    ``timeout`` (seconds) bounds the wait for each reply.
    """

    def __init__(
        self,
        broker: str | MessageBus = "memory://",
        *,
        channel_prefix: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.bus = MessageBus(broker) if isinstance(broker, str) else broker
        self._owns_bus = isinstance(broker, str)
        self.channel_prefix = channel_prefix or None
        channel_address("{prefix}.x", self.channel_prefix)  # ValueError on a bad prefix now
        self.timeout = timeout
        self._pending: dict[str, asyncio.Future[_Reply]] = {}
        self._subscribed: dict[str, Any] = {}
        """Reply channel address -> FastStream subscriber."""
        self._subscribing: asyncio.Lock | None = None
        self._urls: dict[str, httpx.URL] = {}

    async def __aenter__(self) -> Self:
        await self.bus.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        subscribers, self._subscribed = list(self._subscribed.values()), {}
        if self._owns_bus:
            await self.bus.stop()
            return
        for subscriber in subscribers:  # a shared bus goes on: leave it as it was
            with contextlib.suppress(Exception):
                await subscriber.stop()

    def address(self, template: str) -> str:
        return channel_address(template, self.channel_prefix)

    def _url(self, address: str) -> httpx.URL:
        # Parsed once per address: httpx's URL parsing would dominate a small request.
        url = self._urls.get(address)
        if url is None:
            url = self._urls[address] = httpx.URL(f"{self.bus.display_url}/{address}")
        return url

    async def _on_reply(self, message: IncomingMessage) -> None:
        correlation = message.headers.get("X-Correlation-Id")
        future = self._pending.pop(correlation, None) if correlation else None
        if future is None:
            return  # another requester's reply, or one that came after its timeout
        if not future.done():
            future.set_result(_Reply(message.body, message.headers))

    async def _ensure_subscribed(self, address: str) -> None:
        if address in self._subscribed:
            return
        if self._subscribing is None:
            self._subscribing = asyncio.Lock()
        async with self._subscribing:
            if address not in self._subscribed:
                self._subscribed[address] = await self.bus.subscribe(address, self._on_reply)

    async def _command(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        parser: ResponseParser[_T],
        parameters: Any = None,
        query_filters: list[tuple[str, str]] | None = None,
        payload: bytes | None = None,
        headers_model: type[MessageHeaders] | None = None,
        reply_headers_model: type[MessageHeaders] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - per call, like httpx's
    ) -> _T:
        """Publish one request and turn its reply into the parsed value or an APIStatusError.

        ``request_channel``/``reply_channel`` are address templates (``{prefix}.`` ...);
        ``parameters`` is a model or mapping sent as the ``Parameters`` header; the header
        models, when given, check the request headers before sending and the reply's after.
        """
        from ._errors import make_status_error

        request_address = self.address(request_channel)
        reply_address = self.address(reply_channel)
        request = httpx.Request("MESSAGE", self._url(request_address))
        correlation = str(uuid.uuid4())
        values: dict[str, Any] = {
            "X-Correlation-Id": correlation,
            "Reply-Channel": reply_address,
            "Parameters": _parameters(parameters),
        }
        if query_filters:
            values["Query-Filters"] = urlencode(query_filters, quote_via=quote)
        if headers_model is not None:
            headers = headers_model.model_validate(values).to_wire()
        else:
            headers = {**values, "Parameters": json.dumps(values["Parameters"])}
        try:
            await self._ensure_subscribed(reply_address)
        except (APIConnectionError, ImportError):
            raise
        except Exception as exc:
            raise APIConnectionError(request=request, message=f"cannot subscribe: {exc!r}") from exc
        future: asyncio.Future[_Reply] = asyncio.get_running_loop().create_future()
        self._pending[correlation] = future
        try:
            try:
                await self.bus.publish(request_address, payload or b"", headers)
            except Exception as exc:
                raise APIConnectionError(
                    request=request, message=f"cannot publish on {request_address}: {exc!r}"
                ) from exc
            try:
                reply = await asyncio.wait_for(future, self.timeout if timeout is None else timeout)
            except TimeoutError:
                raise APITimeoutError(request=request) from None
        finally:
            self._pending.pop(correlation, None)
        response = _to_response(reply, request)
        if response is None:
            raise APIResponseValidationError(
                response=httpx.Response(502, content=reply.body, request=request),
                body=None,
                detail=f"reply without a valid Status-Code header: {reply.headers!r}",
            )
        if response.status_code >= 400:
            raise make_status_error(response)
        if reply_headers_model is not None:
            _check_reply_headers(reply_headers_model, reply.headers, response)
        return parser(response)


class AsyncCommandResource:
    """Base of the generated command groups (``client.customers``): one helper per kind."""

    def __init__(self, client: AsyncCommandClient) -> None:
        self._client = client

    async def _list(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        model: type[_ModelT],
        headers: type[MessageHeaders],
        reply_headers: type[MessageHeaders],
        fields: Fields = None,
        filter: FilterInput | None = None,
        offset: int | None = None,
        limit: int | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Page[_ModelT]:
        parameters = {**_fields(fields), "offset": offset, "limit": limit}
        return await self._client._command(
            request_channel,
            reply_channel,
            parser=page_parser(model, fields=fields, offset=offset, limit=limit),
            parameters=parameters,
            query_filters=filter_params(filter),
            headers_model=headers,
            reply_headers_model=reply_headers,
            timeout=timeout,
        )

    async def _retrieve(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        model: type[_ModelT],
        parameters: Mapping[str, Any],
        headers: type[MessageHeaders],
        reply_headers: type[MessageHeaders],
        fields: Fields = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> _ModelT:
        return await self._client._command(
            request_channel,
            reply_channel,
            parser=model_parser(model, fields=fields),
            parameters={**parameters, **_fields(fields)},
            headers_model=headers,
            reply_headers_model=reply_headers,
            timeout=timeout,
        )

    async def _create(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        model: type[_ModelT],
        body: Any,
        headers: type[MessageHeaders],
        reply_headers: type[MessageHeaders],
        fields: Fields = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> _ModelT:
        return await self._client._command(
            request_channel,
            reply_channel,
            parser=model_parser(model, fields=fields),
            parameters=_fields(fields),
            payload=encode_json_body(body),
            headers_model=headers,
            reply_headers_model=reply_headers,
            timeout=timeout,
        )

    async def _patch(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        model: type[_ModelT],
        parameters: Mapping[str, Any],
        patch: PatchInput,
        headers: type[MessageHeaders],
        reply_headers: type[MessageHeaders],
        fields: Fields = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> _ModelT:
        # A merge patch is an object, a JSON Patch an array: the payload tells them apart.
        _, payload = encode_patch(patch)
        return await self._client._command(
            request_channel,
            reply_channel,
            parser=model_parser(model, fields=fields),
            parameters={**parameters, **_fields(fields)},
            payload=payload,
            headers_model=headers,
            reply_headers_model=reply_headers,
            timeout=timeout,
        )

    async def _delete(
        self,
        request_channel: str,
        reply_channel: str,
        *,
        parameters: Mapping[str, Any],
        headers: type[MessageHeaders],
        reply_headers: type[MessageHeaders],
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> None:
        return await self._client._command(
            request_channel,
            reply_channel,
            parser=no_content,
            parameters=parameters,
            headers_model=headers,
            reply_headers_model=reply_headers,
            timeout=timeout,
        )


def _fields(fields: Fields) -> dict[str, str]:
    return dict(fields_param(fields))


def _parameters(parameters: Any) -> dict[str, Any]:
    if parameters is None:
        return {}
    dump = getattr(parameters, "model_dump", None)
    if dump is not None:
        dumped: dict[str, Any] = dump(by_alias=True, exclude_none=True, mode="json")
        return dumped
    return {key: value for key, value in dict(parameters).items() if value is not None}


def _check_reply_headers(
    model: type[MessageHeaders], headers: Mapping[str, str], response: httpx.Response
) -> None:
    from pydantic import ValidationError

    try:
        model.from_wire(headers)
    except ValidationError as exc:
        raise APIResponseValidationError(
            response=response, body=None, detail=f"invalid reply headers: {exc}"
        ) from exc


def _to_response(reply: _Reply, request: httpx.Request) -> httpx.Response | None:
    try:
        status = int(reply.headers.get("Status-Code", ""))
    except ValueError:
        return None
    if not 100 <= status <= 599:
        return None
    return httpx.Response(status, headers=reply.headers, content=reply.body, request=request)
