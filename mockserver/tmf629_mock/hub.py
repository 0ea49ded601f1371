"""Event subscriptions (``/hub``) and background delivery of notifications to listeners.

Listener URL convention (TMF v5): a subscription's ``callback`` is the *base* address of the
listener; an event named ``TroubleTicketCreateEvent`` is POSTed to
``{callback}/listener/troubleTicketCreateEvent``: the event name with a lowercase first letter,
which is the path of the corresponding listener operation in TMF v5 OpenAPI documents
(:attr:`Event.listener_path` is used when the model provides it).

``query`` selects events with the TMF query language applied to the event body:
``eventType=TroubleTicketCreateEvent``, ``eventType=A,B``,
``event.troubleTicket.status=resolved``, ...
An empty query subscribes to every event.

Delivery never delays or fails the API call that raised the event: events are queued, a
dispatcher task matches them against the subscriptions, and each subscription has its own queue
and worker, so a slow or dead listener only delays itself. A failed POST (transport error or
non-2xx status) is retried with exponential backoff up to ``max_attempts`` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from tmf629_mock.errors import bad_request, not_found
from tmf629_mock.events import WriteEvents
from tmf629_mock.ids import random_uuid
from tmf629_mock.ir import Api
from tmf629_mock.query import Filter, matches, parse_filter, query_pairs
from tmf629_mock.store import Store

__all__ = ["Deliverer", "Delivery", "Hub", "listener_url"]

logger = logging.getLogger(__name__)

HUB_COLLECTION = "__hub__"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def listener_url(callback: str, event_name: str, listener_path: str | None = None) -> str:
    path = listener_path or f"/listener/{_lower_first(event_name)}"
    return callback.rstrip("/") + "/" + path.lstrip("/")


@dataclass
class Delivery:
    subscription: str
    url: str
    event_type: str
    attempts: int = 0
    status: int | None = None
    delivered: bool = False
    error: str | None = None


@dataclass
class _Worker:
    queue: asyncio.Queue[tuple[str, dict[str, Any]]]
    task: asyncio.Task[None] | None = None
    loop: asyncio.AbstractEventLoop | None = None


@dataclass
class Deliverer:
    """POSTs events to listeners, one queue and worker per subscription."""

    transport: httpx.AsyncBaseTransport | None = None
    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 10.0
    timeout: float = 5.0
    log: deque[Delivery] = field(default_factory=lambda: deque(maxlen=1000))
    """The latest deliveries, for tests and diagnosis; bounded so a long run does not grow."""
    _workers: dict[str, _Worker] = field(default_factory=dict)
    _client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(transport=self.transport, timeout=self.timeout)
        return self._client

    def submit(self, subscription: str, url: str, event: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        worker = self._workers.get(subscription)
        if worker is None or worker.loop is not loop or worker.task is None or worker.task.done():
            worker = _Worker(asyncio.Queue(), loop=loop)
            worker.task = loop.create_task(self._run(subscription, worker.queue))
            self._workers[subscription] = worker
        worker.queue.put_nowait((url, event))

    async def _run(
        self, subscription: str, queue: asyncio.Queue[tuple[str, dict[str, Any]]]
    ) -> None:
        while True:
            url, event = await queue.get()
            try:
                await self._deliver(subscription, url, event)
            except Exception:  # pragma: no cover - never let a worker die
                logger.exception("delivery to %s failed", url)
            finally:
                queue.task_done()

    async def _deliver(self, subscription: str, url: str, event: dict[str, Any]) -> None:
        record = Delivery(subscription, url, str(event.get("eventType")))
        self.log.append(record)
        delay = self.base_delay
        for attempt in range(1, self.max_attempts + 1):
            record.attempts = attempt
            try:
                response = await self._http().post(url, json=event)
                record.status = response.status_code
                if response.is_success:
                    record.delivered = True
                    record.error = None
                    return
                record.error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                record.error = f"{type(exc).__name__}: {exc}"
            if attempt < self.max_attempts:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
        logger.warning("giving up delivering %s to %s: %s", record.event_type, url, record.error)

    def cancel(self, subscription: str) -> None:
        worker = self._workers.pop(subscription, None)
        if worker is not None and worker.task is not None:
            worker.task.cancel()

    async def drain(self) -> None:
        for worker in list(self._workers.values()):
            await worker.queue.join()

    async def close(self) -> None:
        for subscription in list(self._workers):
            self.cancel(subscription)
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
            self._client = None


class Hub:
    """Subscriptions kept in the store; events fanned out in the background."""

    def __init__(self, api: Api, store: Store, deliverer: Deliverer | None = None) -> None:
        self.api = api
        self.store = store
        self.deliverer = deliverer or Deliverer()
        self._queue: asyncio.Queue[WriteEvents] | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._filters: dict[str, Filter] = {}
        self._listener_paths = {event.name: event.listener_path for event in api.events}

    @staticmethod
    def parse_query(query: str | None) -> Filter:
        if not query:
            return Filter()
        return parse_filter(query_pairs(query.lstrip("?")), ignore=("fields",))

    async def subscribe(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise bad_request("The hub body must be an object", reason="Invalid subscription")
        callback = body.get("callback")
        if not isinstance(callback, str) or not callback.strip():
            raise bad_request(
                "Missing mandatory attribute 'callback'", reason="Invalid subscription"
            )
        parts = urlsplit(callback)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise bad_request(
                f"'callback' must be an absolute http(s) URL, not {callback!r}",
                reason="Invalid subscription",
            )
        query = body.get("query")
        if query is not None and not isinstance(query, str):
            raise bad_request("'query' must be a string", reason="Invalid subscription")
        self.parse_query(query)  # 400 on a bad filter
        ident = random_uuid()
        subscription: dict[str, Any] = {"id": ident, "callback": callback}
        if query is not None:
            subscription["query"] = query
        if "@type" in body:
            subscription["@type"] = body["@type"]
        await self.store.insert(HUB_COLLECTION, subscription)
        return subscription

    async def get(self, ident: str) -> dict[str, Any]:
        subscription = await self.store.get(HUB_COLLECTION, ident)
        if subscription is None:
            raise not_found("Hub", ident)
        return subscription

    async def unsubscribe(self, ident: str) -> None:
        if await self.store.delete(HUB_COLLECTION, ident) is None:
            raise not_found("Hub", ident)
        self._filters.pop(ident, None)
        self.deliverer.cancel(ident)

    def wants_events(self) -> bool:
        """``False`` when no subscription can exist (the store says so without I/O): a write
        then need not make its events for the hub."""
        return not self.store.known_empty(HUB_COLLECTION)

    def publish(self, events: WriteEvents) -> None:
        """Queue a write's events for delivery; never raises, never waits. They are built only
        if some subscription exists when they are dispatched."""
        try:
            loop = asyncio.get_running_loop()
            if (
                self._queue is None
                or self._dispatcher is None
                or self._dispatcher.done()
                or (self._dispatcher.get_loop() is not loop)
            ):
                self._queue = asyncio.Queue()
                self._dispatcher = loop.create_task(self._dispatch(self._queue))
            self._queue.put_nowait(events)
        except Exception:  # pragma: no cover - publishing must not fail the API call
            logger.exception("could not queue events")

    async def _dispatch(self, queue: asyncio.Queue[WriteEvents]) -> None:
        while True:
            # Whatever queued up meanwhile goes out against one reading of the subscriptions.
            batch = [await queue.get()]
            while not queue.empty():
                batch.append(queue.get_nowait())
            try:
                subscriptions = await self.store.all(HUB_COLLECTION)
                for events in batch if subscriptions else ():
                    for event in events.bodies():
                        try:
                            self._fan_out(event, subscriptions)
                        except Exception:
                            logger.exception("could not dispatch %s", event.get("eventType"))
            except Exception:
                logger.exception("could not dispatch events")
            finally:
                for _ in batch:
                    queue.task_done()

    def _fan_out(self, event: dict[str, Any], subscriptions: list[dict[str, Any]]) -> None:
        name = str(event.get("eventType"))
        for subscription in subscriptions:
            ident = str(subscription["id"])
            filter_ = self._filters.get(ident)
            if filter_ is None:
                try:
                    filter_ = self.parse_query(subscription.get("query"))
                except Exception:
                    continue
                self._filters[ident] = filter_
            try:
                selected = matches(event, filter_)
            except Exception:
                selected = False
            if selected:
                url = listener_url(subscription["callback"], name, self._listener_paths.get(name))
                self.deliverer.submit(ident, url, event)

    async def drain(self) -> None:
        """Wait until every queued event has been delivered or given up (tests)."""
        if self._queue is not None:
            await self._queue.join()
        await self.deliverer.drain()

    async def reset(self) -> None:
        for ident in list(self.deliverer._workers):
            self.deliverer.cancel(ident)
        self._filters.clear()

    async def close(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            self._dispatcher = None
        await self.deliverer.close()
