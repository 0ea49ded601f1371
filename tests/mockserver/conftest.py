"""Fixtures for the mock-server tests: the model, the app over every store, an ASGI client.

Until the generator's loader (``tmf629_codegen.build.load_api``) exists, the Customer ``Api`` is
built by hand here, matching the TMF629 v5 document; first-level properties are read from the
spec so that the same helper works for the fixture spec and the real one.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tmf629_codegen.ir import Api, Event, Operation, Parameter, Resource, Response
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.hub import Deliverer
from tmf629_mock.testing import (  # noqa: F401 - the shipped fixtures, exercised by the tests
    tmf_listener,
    tmf_mock_app,
    tmf_mock_client,
    tmf_mock_server,
)

HERE = Path(__file__).resolve().parent
FIXTURE_SPEC = HERE / "data" / "customer-v5.openapi.yaml"
REAL_SPEC = HERE.parents[1] / "specs" / "tmf629-customer-management.openapi.yaml"
BASE = "/tmf-api/customerManagement/v5"
ORIGIN = "http://testserver"
POSTGRES_URL = os.environ.get("TMF629_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def schema_properties(spec: dict[str, Any], name: str) -> tuple[str, ...]:
    """First-level property names of a component schema, through allOf and $ref."""
    schemas = spec["components"]["schemas"]
    seen: list[str] = []

    def walk(node: Any, depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 20:
            return
        if "$ref" in node:
            walk(schemas[node["$ref"].rsplit("/", 1)[-1]], depth + 1)
            return
        for key in node.get("properties", {}):
            if key not in seen:
                seen.append(key)
        for part in node.get("allOf", []):
            walk(part, depth + 1)

    walk(schemas[name])
    return tuple(seen)


def customer_api(spec_path: Path) -> Api:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    properties = schema_properties(spec, "Customer")
    non_patchable = ("id", "href", "@type")
    ops = (
        ("list", "listCustomer"),
        ("retrieve", "retrieveCustomer"),
        ("create", "createCustomer"),
        ("patch", "patchCustomer"),
        ("delete", "deleteCustomer"),
    )
    event_names = (
        ("CustomerCreateEvent", "create"),
        ("CustomerAttributeValueChangeEvent", "attribute_value_change"),
        ("CustomerStateChangeEvent", "state_change"),
        ("CustomerDeleteEvent", "delete"),
    )
    customer = Resource(
        name="Customer",
        path="/customer",
        item_path="/customer/{id}",
        id_parameter="id",
        parent_parameters=(),
        attribute="customers",
        create_schema="Customer_FVO",
        update_schema="Customer_MVO",
        operations=ops,
        properties=properties,
        required=("@type", "id", "href", "name"),
        mandatory_on_create=("@type", "name", "engagedParty"),
        patchable=tuple(p for p in properties if p not in non_patchable),
        non_patchable=non_patchable,
        patch_media_types=(
            "application/merge-patch+json",
            "application/json",
            "application/json-patch+json",
        ),
        state_attribute="status",
        events=tuple(name for name, _ in event_names),
        discriminator_values=("Customer",),
    )
    id_param = Parameter("id", "path", True, "string")
    fields = Parameter("fields", "query", False, "string")
    operations = (
        Operation(
            "listCustomer",
            "get",
            "/customer",
            "list",
            "Customer",
            parameters=(fields,),
            responses=(Response(200, "Customer", True),),
        ),
        Operation(
            "retrieveCustomer",
            "get",
            "/customer/{id}",
            "retrieve",
            "Customer",
            parameters=(id_param, fields),
            responses=(Response(200, "Customer"),),
        ),
        Operation(
            "createCustomer",
            "post",
            "/customer",
            "create",
            "Customer",
            request_schemas=(("application/json", "Customer_FVO"),),
            responses=(Response(201, "Customer"),),
        ),
        Operation(
            "patchCustomer",
            "patch",
            "/customer/{id}",
            "patch",
            "Customer",
            parameters=(id_param, fields),
            responses=(Response(200, "Customer"),),
        ),
        Operation(
            "deleteCustomer",
            "delete",
            "/customer/{id}",
            "delete",
            "Customer",
            parameters=(id_param,),
            responses=(Response(204, None),),
        ),
        Operation(
            "createHub", "post", "/hub", "hub_create", None, responses=(Response(201, "Hub"),)
        ),
        Operation(
            "retrieveHub",
            "get",
            "/hub/{id}",
            "hub_retrieve",
            None,
            parameters=(id_param,),
            responses=(Response(200, "Hub"),),
        ),
        Operation(
            "deleteHub",
            "delete",
            "/hub/{id}",
            "hub_delete",
            None,
            parameters=(id_param,),
            responses=(Response(204, None),),
        ),
        *(
            Operation(
                name[0].lower() + name[1:],
                "post",
                f"/listener/{name[0].lower() + name[1:]}",
                "listener",
                None,
                event=name,
                responses=(Response(204, None),),
            )
            for name, _ in event_names
        ),
    )
    events = tuple(
        Event(
            name,
            "Customer",
            kind,  # type: ignore[arg-type]
            "customer",
            listener_path=f"/listener/{name[0].lower() + name[1:]}",
            listener_operation_id=name[0].lower() + name[1:],
        )
        for name, kind in event_names
    )
    return Api(
        title="Customer Management",
        version="5.0.0",
        package="tmf629",
        base_path=BASE,
        spec_file=spec_path.name,
        spec_sha256="",
        resources=(customer,),
        operations=operations,
        events=events,
        hub_path="/hub",
        schemas=tuple(spec["components"]["schemas"]),
    )


def postgres_reachable() -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(POSTGRES_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    """Skip (or, with ``TMF629_REQUIRE_SERVICES=1``, fail) without a usable PostgreSQL."""
    required = os.environ.get("TMF629_REQUIRE_SERVICES") == "1"
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        if required:
            pytest.fail(f"psycopg is not installed ({exc}) and TMF629_REQUIRE_SERVICES=1")
        pytest.skip(f"psycopg is not installed: {exc}")
    if postgres_reachable():
        return
    if required:
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable and TMF629_REQUIRE_SERVICES=1")
    pytest.skip(f"PostgreSQL at {POSTGRES_URL} is unreachable")


STORES = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.services),
]


def load_model(spec: Path) -> Api:
    """The generator's model when its loader exists, else the hand-built one."""
    if spec == REAL_SPEC:
        try:
            from tmf629_codegen.build import load_api
        except ImportError:
            return customer_api(spec)
        asyncapi = spec.with_name(spec.name.replace(".openapi.", ".asyncapi."))
        return load_api(spec, asyncapi if asyncapi.exists() else None)
    return customer_api(spec)


def selected_spec() -> Path:
    """``TMF629_MOCK_SPEC=fixture|real`` (default: the real document when it exists)."""
    choice = os.environ.get("TMF629_MOCK_SPEC", "real")
    if choice == "real" and REAL_SPEC.exists():
        return REAL_SPEC
    return FIXTURE_SPEC


@pytest.fixture(scope="session")
def spec_path() -> Path:
    return selected_spec()


@pytest.fixture(scope="session")
def api(spec_path: Path) -> Api:
    return load_model(spec_path)


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    kind = request.param
    if kind == "memory":
        return "memory"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    require_postgres()
    return f"{POSTGRES_URL}?table=tmf_test_{uuid.uuid4().hex[:12]}"


AppFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def make_client(api: Api, spec_path: Path, store_url: str) -> AsyncIterator[AppFactory]:
    """``await make_client(**create_app_options)`` -> an httpx client on a fresh app."""
    apps: list[Any] = []
    clients: list[httpx.AsyncClient] = []

    async def factory(**options: Any) -> httpx.AsyncClient:
        options.setdefault("store", store_url)
        options.setdefault("deliverer", Deliverer(max_attempts=2, base_delay=0.01, timeout=2.0))
        app = create_app(api, spec_path, **options)
        apps.append(app)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN + BASE)
        client.app = app  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()
    for app in apps:
        state = mock_state(app)
        drop = getattr(state.store, "drop", None)
        if drop is not None:
            await drop()
        await state.close()


@pytest.fixture
async def client(make_client: AppFactory) -> httpx.AsyncClient:
    return await make_client()


@pytest.fixture
def tmf_spec_path(spec_path: Path) -> Path:
    """Input of the fixtures shipped in :mod:`tmf629_mock.testing`."""
    return spec_path


@pytest.fixture
def tmf_api(api: Api) -> Api:
    return api
