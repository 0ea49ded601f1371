"""SDK cost against raw httpx + pydantic, measured in the same run (``nox -s bench``).

- cold import of the client versus ``import httpx, pydantic`` (interpreter start-up subtracted);
- ``customers.retrieve`` versus the same GET with raw httpx plus ``Customer.model_validate``;
- ``customers.list`` of 1,000 customers likewise.

Both sides talk to the same in-process ASGI app (a bare Starlette app returning fixed JSON), so
the ratio is the SDK's own overhead and not the server's.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench._timing import Comparison, compare_async, median_startup
from tmf629 import AsyncTmf629Client
from tmf629.models import Customer

BASE = "http://bench/tmf-api/customerManagement/v5"


def _customer(index: int) -> dict[str, Any]:
    return {
        "@type": "Customer",
        "id": str(index),
        "href": f"{BASE}/customer/{index}",
        "name": f"Customer {index}",
        "status": "Active",
        "engagedParty": {"@type": "PartyRef", "id": f"p{index}", "@referredType": "Individual"},
        "contactMedium": [
            {
                "@type": "ContactMedium",
                "type": "email",
                "preferred": True,
                "characteristic": {
                    "@type": "MediumCharacteristic",
                    "emailAddress": f"c{index}@example.org",
                    "city": "Paris",
                },
            }
        ],
        "characteristic": [{"@type": "Characteristic", "name": "tier", "value": "gold"}],
    }


def _app() -> Starlette:
    one = json.dumps(_customer(1)).encode()
    many = json.dumps([_customer(i) for i in range(1000)]).encode()
    headers = {"X-Total-Count": "1000", "X-Result-Count": "1000"}

    async def retrieve(request: Request) -> Response:
        return Response(one, media_type="application/json")

    async def list_all(request: Request) -> Response:
        return Response(many, media_type="application/json", headers=headers)

    return Starlette(
        routes=[
            Route("/tmf-api/customerManagement/v5/customer/{id}", retrieve),
            Route("/tmf-api/customerManagement/v5/customer", list_all),
        ]
    )


async def measure() -> list[Comparison]:
    transport = httpx.ASGITransport(app=_app())
    async with (
        httpx.AsyncClient(transport=transport, base_url=BASE) as raw,
        AsyncTmf629Client(base_url=BASE, transport=transport) as client,
    ):

        async def sdk_retrieve() -> object:
            return await client.customers.retrieve("1")

        async def raw_retrieve() -> object:
            response = await raw.get("/customer/1")
            response.raise_for_status()
            return Customer.model_validate(response.json())

        async def sdk_list() -> object:
            return await client.customers.list(limit=1000)

        async def raw_list() -> object:
            response = await raw.get("/customer", params={"limit": "1000"})
            response.raise_for_status()
            return [Customer.model_validate(item) for item in response.json()]

        return [
            await compare_async("retrieve", sdk_retrieve, raw_retrieve, calls=400),
            await compare_async("list 1000", sdk_list, raw_list, calls=10, unit="page"),
        ]


def import_comparison() -> Comparison:
    empty = median_startup("pass")
    client = median_startup("from tmf629 import Tmf629Client") - empty
    baseline = median_startup("import httpx, pydantic") - empty
    return Comparison("cold import", client, baseline, unit="import")


def main() -> list[Comparison]:
    results = [import_comparison(), *asyncio.run(measure())]
    for result in results:
        print(f"sdk {result.line()}")
    return results


if __name__ == "__main__":
    main()
