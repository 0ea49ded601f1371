"""Reference apps for ``uvicorn --factory``: they serve the bytes named by environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BASE = "/tmf-api/customerManagement/v5"


def trivial_connexion_app() -> Any:
    """The stateless reference: Connexion 3 defaults, one path, fixed JSON from a handler."""
    from bench.server_bench import connexion_trivial

    return connexion_trivial(Path(os.environ["TMF629_BENCH_GET"]).read_bytes())


def raw_app() -> Starlette:
    """Routing plus fixed JSON; the POST parses its body, as any server must."""
    get_body = Path(os.environ["TMF629_BENCH_GET"]).read_bytes()
    post_body = Path(os.environ["TMF629_BENCH_POST"]).read_bytes()

    async def retrieve(request: Request) -> Response:
        return Response(get_body, media_type="application/json")

    async def create(request: Request) -> Response:
        await request.json()
        return Response(post_body, status_code=201, media_type="application/json")

    return Starlette(
        routes=[
            Route(f"{BASE}/customer/{{id}}", retrieve, methods=["GET"]),
            Route(f"{BASE}/customer", create, methods=["POST"]),
        ]
    )
