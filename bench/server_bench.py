"""Mock server cost against a raw Starlette app, measured in the same run (``nox -s bench``).

- GET-by-id and POST throughput of the mock server (memory store, request *and* response
  validation on) versus a raw Starlette app answering the same JSON, and a stateless reference:
  Connexion 3 with a trivial handler on a one-path spec (its defaults: request validation on,
  response validation off);
- p50 latency of a list with a filter and ``limit=50`` over 100,000 stored customers, on the
  memory store and on PostgreSQL (``TMF629_POSTGRES_URL``, default
  ``postgresql://postgres@127.0.0.1:5432/test``, skipped when not reachable; a dedicated table is
  bulk-loaded with COPY and dropped afterwards);
- memory held by the memory store per 100,000 customers (tracemalloc: the Python allocations
  still live after inserting them, each parsed from JSON as a request body is; the number does
  not depend on the allocator's arenas).

Every app is driven in-process by :class:`bench._asgi.AsgiDriver` (no client, no socket), so the
ratios are the apps' own cost per request.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import connexion
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench._asgi import AsgiDriver
from bench._timing import compare_async
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import default_spec, load_model
from tmf629_mock.store import Store
from tmf629_mock.store.memory import MemoryStore

BASE = "/tmf-api/customerManagement/v5"
ORIGIN = "http://bench"
COLLECTION = "Customer"
CUSTOMERS = 100_000
LIST_QUERY = "status=Suspended&limit=50"
POSTGRES_URL = os.environ.get("TMF629_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
STATUSES = ("Approved", "Active", "Suspended", "Closed")
CITIES = ("Paris", "Lyon", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Prague")


def create_body(index: int) -> dict[str, Any]:
    """A realistic ``Customer_FVO``: engaged party, contact media, characteristics, account,
    credit profile and related party (about 1.4 kB of JSON once stored)."""
    return {
        "@type": "Customer",
        "name": f"Customer {index}",
        "description": "Residential customer",
        "status": STATUSES[index % len(STATUSES)],
        "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
        "engagedParty": {
            "@type": "PartyRef",
            "id": f"party-{index}",
            "name": f"Jane Doe {index}",
            "@referredType": "Individual",
        },
        "contactMedium": [
            {
                "@type": "ContactMedium",
                "type": "email",
                "preferred": True,
                "characteristic": {
                    "@type": "MediumCharacteristic",
                    "emailAddress": f"jane.doe{index}@example.org",
                },
            },
            {
                "@type": "ContactMedium",
                "type": "postalAddress",
                "preferred": False,
                "characteristic": {
                    "@type": "MediumCharacteristic",
                    "street1": f"{index % 200 + 1} Main Street",
                    "city": CITIES[index % len(CITIES)],
                    "postCode": f"{10000 + index % 90000}",
                    "country": "Europe",
                },
            },
        ],
        "characteristic": [
            {"@type": "Characteristic", "name": "tier", "value": ("gold", "silver")[index % 2]},
            {"@type": "Characteristic", "name": "segment", "value": "residential"},
        ],
        "account": [{"@type": "AccountRef", "id": f"acc-{index}", "name": "Main account"}],
        "creditProfile": [
            {
                "@type": "CreditProfile",
                "creditScore": 500 + index % 350,
                "creditRiskRating": index % 5,
                "creditProfileDate": "2024-03-01T00:00:00Z",
                "validFor": {"startDateTime": "2024-03-01T00:00:00Z"},
            }
        ],
        "relatedParty": [
            {
                "@type": "RelatedPartyRef",
                "id": f"rp-{index}",
                "role": "accountManager",
                "@referredType": "Individual",
            }
        ],
    }


def stored_customer(index: int) -> dict[str, Any]:
    """What the server stores for :func:`create_body` (ids of contained entities included)."""
    ident = str(uuid.UUID(int=index))
    document: dict[str, Any] = {
        "id": ident,
        "href": f"{ORIGIN}{BASE}/customer/{ident}",
        **create_body(index),
    }
    document["creditProfile"][0]["id"] = str(uuid.UUID(int=10**12 + index))
    return document


# -- the apps ------------------------------------------------------------------------------------


def raw_starlette(get_body: bytes, post_body: bytes) -> Starlette:
    """The floor: routing plus fixed JSON (the POST parses its body, as any server must)."""

    async def retrieve(request: Request) -> Response:
        return Response(get_body, media_type="application/json")

    async def create(request: Request) -> Response:
        await request.json()
        return Response(
            post_body,
            status_code=201,
            media_type="application/json",
            headers={"Location": f"{ORIGIN}{BASE}/customer/x"},
        )

    return Starlette(
        routes=[
            Route(f"{BASE}/customer/{{id}}", retrieve, methods=["GET"]),
            Route(f"{BASE}/customer", create, methods=["POST"]),
        ]
    )


TRIVIAL_SPEC = """
openapi: 3.0.3
info: {title: trivial, version: '1'}
paths:
  /customer/{id}:
    get:
      operationId: retrieve
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
"""


def connexion_trivial(get_body: bytes) -> connexion.AsyncApp:
    """The stateless reference: Connexion 3 defaults, one path, a handler returning fixed JSON."""

    async def retrieve(id: str) -> Response:
        return Response(get_body, media_type="application/json")

    folder = Path(tempfile.mkdtemp(prefix="tmf629-bench-"))
    (folder / "trivial.yaml").write_text(TRIVIAL_SPEC, encoding="utf-8")
    app = connexion.AsyncApp(__name__, specification_dir=str(folder))
    app.add_api("trivial.yaml", base_path=BASE, resolver=lambda _operation_id: retrieve)
    return app


# -- measurements --------------------------------------------------------------------------------


@dataclass
class Throughput:
    name: str
    server: float
    baseline: float
    baseline_name: str = "raw Starlette"

    @property
    def ratio(self) -> float:
        return self.server / self.baseline

    def line(self) -> str:
        return (
            f"server {self.name}: {self.server:,.0f} req/s vs {self.baseline_name} "
            f"{self.baseline:,.0f} req/s -> {self.ratio:.2f}"
        )


@dataclass
class Results:
    throughput: list[Throughput]
    list_p50_ms: dict[str, float]
    memory_bytes_per_100k: int

    def lines(self) -> list[str]:
        lines = [result.line() for result in self.throughput]
        for store, p50 in self.list_p50_ms.items():
            lines.append(
                f"server list {LIST_QUERY} over {CUSTOMERS:,} customers ({store}): p50 {p50:.1f} ms"
            )
        lines.append(
            f"server memory store: {self.memory_bytes_per_100k / 2**20:,.0f} MiB per 100,000 "
            "customers (tracemalloc, live allocations after loading)"
        )
        return lines


Call = Callable[[], Awaitable[object]]


def _expect(status: int) -> Callable[[tuple[int, bytes]], None]:
    def check(answer: tuple[int, bytes]) -> None:
        if answer[0] != status:
            raise RuntimeError(f"expected {status}, got {answer[0]}: {answer[1][:300]!r}")

    return check


def _checked(call: Callable[[], Awaitable[tuple[int, bytes]]], status: int) -> Call:
    check = _expect(status)

    async def run() -> object:
        answer = await call()
        check(answer)
        return answer

    return run


async def _throughput() -> list[Throughput]:
    spec = default_spec()
    server_app = create_app(load_model(spec), spec)
    server = AsgiDriver(server_app)
    async with server.running():
        store = mock_state(server_app).store
        document = stored_customer(1)
        await store.insert(COLLECTION, document)
        path = f"{BASE}/customer/{document['id']}"
        post = json.dumps(create_body(2)).encode()
        status, get_body = await server.request("GET", path)
        _expect(200)((status, get_body))
        status, post_body = await server.request("POST", f"{BASE}/customer", body=post)
        _expect(201)((status, post_body))

        raw = AsgiDriver(raw_starlette(get_body, post_body))
        trivial_app = connexion_trivial(get_body)
        trivial = AsgiDriver(trivial_app)
        async with raw.running(), trivial.running():

            def get(driver: AsgiDriver) -> Call:
                return _checked(lambda: driver.request("GET", path), 200)

            def create(driver: AsgiDriver) -> Call:
                return _checked(lambda: driver.request("POST", f"{BASE}/customer", body=post), 201)

            get_cmp = await compare_async("GET", get(server), get(raw), calls=300)
            post_cmp = await compare_async("POST", create(server), create(raw), calls=200)
            trivial_cmp = await compare_async("GET", get(trivial), get(raw), calls=300)
    return [
        Throughput("GET-by-id", 1 / get_cmp.candidate, 1 / get_cmp.baseline),
        Throughput("POST", 1 / post_cmp.candidate, 1 / post_cmp.baseline),
        Throughput(
            "reference: Connexion trivial GET",
            1 / trivial_cmp.candidate,
            1 / trivial_cmp.baseline,
        ),
    ]


async def _list_p50(app: Any, requests: int = 40) -> float:
    driver = AsgiDriver(app)
    times: list[float] = []
    async with driver.running():
        for index in range(requests + 3):
            start = time.perf_counter()
            status, body = await driver.request("GET", f"{BASE}/customer", query=LIST_QUERY)
            elapsed = time.perf_counter() - start
            if status not in (200, 206) or len(json.loads(body)) != 50:
                raise RuntimeError(f"list answered {status}: {body[:300]!r}")
            if index >= 3:  # warm-up
                times.append(elapsed)
    return statistics.median(times) * 1000


async def _load_memory(store: Store) -> int:
    """Load the customers; the bytes still allocated afterwards (tracemalloc)."""
    await store.open()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for index in range(CUSTOMERS):
        # Parsed from JSON, as request bodies are (fresh strings, no shared constants).
        await store.insert(COLLECTION, json.loads(json.dumps(stored_customer(index))))
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


async def _memory_list() -> tuple[float, int]:
    spec = default_spec()
    store = MemoryStore()
    used = await _load_memory(store)
    p50 = await _list_p50(create_app(load_model(spec), spec, store=store))
    return p50, used


async def _postgres_list() -> float | None:
    try:
        from psycopg import AsyncConnection
        from psycopg.types.json import Jsonb

        from tmf629_mock.store.postgres import PostgresStore
    except ImportError:  # pragma: no cover - psycopg is a declared dependency
        return None
    try:
        probe = await asyncio.wait_for(AsyncConnection.connect(POSTGRES_URL), 5)
    except Exception as exc:
        print(f"server list (postgresql): skipped, {POSTGRES_URL} not reachable ({exc})")
        return None
    await probe.close()
    table = f"tmf629_bench_{os.getpid()}"
    store = PostgresStore(POSTGRES_URL, table=table)
    try:
        await store.open()
        async with await AsyncConnection.connect(store.conninfo, autocommit=True) as connection:
            async with connection.cursor().copy(
                f"COPY {table} (collection, id, doc) FROM STDIN"  # a checked identifier
            ) as copy:
                for index in range(CUSTOMERS):
                    document = stored_customer(index)
                    await copy.write_row((COLLECTION, document["id"], Jsonb(document)))
            # The steady state autovacuum leaves (statistics, visibility map), for every table
            # the store keeps (its documents, and the attribute rows their trigger wrote).
            tables = await connection.execute(
                "SELECT string_agg(quote_ident(relname), ', ') FROM pg_class"
                " WHERE relkind = 'r' AND relname LIKE %s",
                (f"{table}%",),
            )
            names = await tables.fetchone()
            await connection.execute(f"VACUUM ANALYZE {names[0] if names else table}")
        spec = default_spec()
        return await _list_p50(create_app(load_model(spec), spec, store=store))
    finally:
        await store.drop()
        await store.close()


async def measure() -> Results:
    throughput = await _throughput()
    memory_p50, used = await _memory_list()
    gc.collect()
    p50s = {"memory": memory_p50}
    postgres = await _postgres_list()
    if postgres is not None:
        p50s["postgresql"] = postgres
    return Results(throughput, p50s, used)


def main() -> Results:
    results = asyncio.run(measure())
    for line in results.lines():
        print(line)
    return results


if __name__ == "__main__":
    main()
