"""The party spec's GENERATED SDK against the generic mock server, in process.

The package is generated once per session into a temporary directory; the server is
``create_app(load_model(spec), spec)``, exactly what ``tmf629-mock --spec`` runs, with no code
specific to this spec. Listener notifications are delivered in process to a recording app.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tmf629_codegen.cli import main as codegen
from tmf629_mock.app import create_app
from tmf629_mock.cli import load_model
from tmf629_mock.hub import Deliverer
from tmf629_mock.ir import Api
from tmf629_mock.testing import RecordingListener

SPEC = Path(__file__).parents[1] / "specs" / "party" / "tmf-party-style.openapi.yaml"
PACKAGE = "party_sdk"
LISTENER = "http://listener.test/callback"

SPECIFICATIONS = [
    {
        "@type": "PartyRoleSpecification",
        "name": name,
        "version": version,
        "lifecycleStatus": status,
    }
    for name, version, status in (
        ("Customer", "1.0", "active"),
        ("Supplier", "2.1", "active"),
        ("Partner", "0.9", "retired"),
    )
]


@pytest.fixture(scope="session")
def party_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """``party_sdk``: the SDK package the generator makes from the party spec."""
    root = tmp_path_factory.mktemp("party_sdk")
    assert codegen(["--openapi", str(SPEC), "--out", str(root / PACKAGE)]) == 0
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def party_models(party_package: ModuleType) -> ModuleType:
    return importlib.import_module(PACKAGE + ".models")


@pytest.fixture(scope="session")
def party_api() -> Api:
    return load_model(SPEC)


@pytest.fixture
def listener() -> RecordingListener:
    return RecordingListener()


@pytest.fixture
def app(party_api: Api, listener: RecordingListener, tmp_path: Path) -> Any:
    """A fresh server (seeded with party role specifications), as ``tmf629-mock --spec`` runs."""
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"PartyRoleSpecification": SPECIFICATIONS}))
    deliverer = Deliverer(
        transport=httpx.ASGITransport(app=listener.app()), max_attempts=1, timeout=2
    )
    return create_app(party_api, SPEC, seed=seed, deliverer=deliverer)


@pytest.fixture
async def client(party_package: ModuleType, party_api: Api, app: Any) -> AsyncIterator[Any]:
    """The generated async client, talking to ``app`` in process."""
    async with party_package.AsyncPartySdkClient(
        base_url="http://mock" + party_api.base_path, transport=httpx.ASGITransport(app=app)
    ) as sdk:
        yield sdk
