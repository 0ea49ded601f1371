"""Command channels over NATS against a bare nats-py request/reply, measured in the same run.

``nox -s bench`` (NATS at ``TMF629_NATS_URL``, default ``nats://127.0.0.1:4222``):

- baseline: ``nc.request()`` of nats-py to a nats-py responder answering a fixed Customer;
- ``sdk``: ``AsyncTmf629CommandClient.customers.retrieve`` (fresh X-Correlation-Id, Reply-Channel,
  typed headers, correlated reply, Customer model) to a nats-py responder answering the same
  Customer on the Reply-Channel: the command client's own cost;
- ``stack``: the same call answered by the mock server's responder (FastStream subscriber,
  header checks, the service layer, an in-memory store): the whole messaging path;
- ``stack/jetstream``: likewise, the server consuming its requests from JetStream work-queue
  streams (stored, acknowledged once answered).

Each is measured as round-trip p50 (one request at a time) and throughput (``CONCURRENCY``
requests in flight), in interleaved rounds; the ratio is candidate / baseline time per request
(1.00x: as fast as bare nats-py; higher: slower). Nothing is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bench._timing import Comparison

NATS_URL = os.environ.get("TMF629_NATS_URL", "nats://127.0.0.1:4222")
JETSTREAM_URL = NATS_URL + ("&" if "?" in NATS_URL else "?") + "jetstream=1"
ROUNDS = 5
SEQUENTIAL = 300
CONCURRENCY = 64
PARALLEL = 2000

CUSTOMER: dict[str, Any] = {
    "@type": "Customer",
    "id": "1",
    "href": "http://bench/tmf-api/customerManagement/v5/customer/1",
    "name": "Moon Football Club",
    "status": "Active",
    "engagedParty": {"@type": "PartyRef", "@referredType": "Organization", "id": "6610"},
}

Call = Callable[[], Awaitable[object]]


async def _p50(call: Call, count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _per_request_in_parallel(call: Call, total: int, concurrency: int) -> float:
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.perf_counter() - start) / total


async def _compare(name: str, candidate: Call, baseline: Call) -> list[Comparison]:
    for _ in range(100):  # warm up both paths (connections, subscriptions, caches)
        await candidate()
        await baseline()
    p50: dict[str, list[float]] = {"candidate": [], "baseline": []}
    parallel: dict[str, list[float]] = {"candidate": [], "baseline": []}
    for _ in range(ROUNDS):
        for label, call in (("candidate", candidate), ("baseline", baseline)):
            p50[label].append(await _p50(call, SEQUENTIAL))
            parallel[label].append(await _per_request_in_parallel(call, PARALLEL, CONCURRENCY))
    return [
        Comparison(
            f"{name} round-trip p50",
            statistics.median(p50["candidate"]),
            statistics.median(p50["baseline"]),
            unit="request",
        ),
        Comparison(
            f"{name} throughput ({CONCURRENCY} in flight)",
            statistics.median(parallel["candidate"]),
            statistics.median(parallel["baseline"]),
            unit="request",
        ),
    ]


async def _delete_streams(nc: Any, addresses: list[str]) -> None:
    from tmf629.runtime._messaging import jetstream_name

    manager = nc.jsm()
    for address in addresses:
        await manager.delete_stream(jetstream_name(address))


async def measure() -> list[Comparison]:
    import nats

    from tmf629 import AsyncTmf629CommandClient, MessageBus
    from tmf629_mock.app import create_app, mock_state
    from tmf629_mock.cli import default_spec, load_model
    from tmf629_mock.messaging import Messaging

    run = uuid.uuid4().hex[:8]
    body = json.dumps(CUSTOMER).encode()
    nc = await nats.connect(NATS_URL)
    results: list[Comparison] = []
    try:
        # The baseline: bare nats-py request/reply (an inbox per request, no headers).
        bare_subject = f"bench{run}.bare"

        async def bare_responder(msg: Any) -> None:
            await msg.respond(body)

        await nc.subscribe(bare_subject, cb=bare_responder)

        async def baseline() -> object:
            return await nc.request(bare_subject, b"", timeout=5)

        # The command client against a bare responder that follows the message contract.
        sdk_prefix = f"bench{run}sdk"

        async def contract_responder(msg: Any) -> None:
            headers = msg.headers or {}
            reply = {
                "X-Correlation-Id": headers.get("X-Correlation-Id", ""),
                "Status-Code": "200",
                "X-Request-Channel": msg.subject,
            }
            await nc.publish(headers["Reply-Channel"], body, headers=reply)

        await nc.subscribe(
            f"{sdk_prefix}.customerManagement.v5.retrieveCustomer.commandRequest",
            cb=contract_responder,
        )
        async with AsyncTmf629CommandClient(NATS_URL, channel_prefix=sdk_prefix) as sdk:

            async def sdk_call() -> object:
                return await sdk.customers.retrieve("1")

            results += await _compare("messaging sdk", sdk_call, baseline)

        # The whole path: command client -> NATS -> mock server responder -> service -> store;
        # then with the server's requests through JetStream (stored until acknowledged).
        for label, server_url in (("stack", NATS_URL), ("stack/jetstream", JETSTREAM_URL)):
            spec = default_spec()
            app = create_app(load_model(spec), spec)
            service = mock_state(app).service
            prefix = f"bench{run}{label.replace('/', '')}"
            messaging = Messaging(service, MessageBus(server_url), channel_prefix=prefix)
            async with (
                messaging,
                AsyncTmf629CommandClient(NATS_URL, channel_prefix=prefix) as client,
            ):
                fields = {k: v for k, v in CUSTOMER.items() if k not in ("id", "href")}
                created = await client.customers.create(body=fields)

                async def stack_call(ident: str = created.id) -> object:
                    return await client.customers.retrieve(ident)

                results += await _compare(f"messaging {label}", stack_call, baseline)
            await mock_state(app).close()
            if messaging.bus.jetstream:
                await _delete_streams(nc, [messaging.address(r.request) for r in messaging.routes])
    finally:
        await nc.close()
    return results


def main() -> list[Comparison]:
    results = asyncio.run(measure())
    for result in results:
        print(result.line())
    return results


if __name__ == "__main__":
    main()
