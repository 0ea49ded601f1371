"""The command line (a real process, stopped with Ctrl-C) and the shipped pytest helpers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.mockserver.conftest import BASE, selected_spec
from tests.mockserver.helpers import customer_body
from tmf629_mock.cli import build_parser
from tmf629_mock.testing import RecordingListener, ServerThread, free_port


def test_parser_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.store) == ("127.0.0.1", 8629, "memory")
    assert not args.deterministic_ids
    assert not args.enable_admin
    assert args.api_key is None
    args = build_parser().parse_args(
        ["--store", "sqlite:///x.db", "--deterministic-ids", "--enable-admin", "--api-key", "k"]
    )
    assert args.store == "sqlite:///x.db"
    assert args.deterministic_ids
    assert args.enable_admin


def test_cli_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    seed = tmp_path / "seed.json"
    seed.write_text(
        '[{"@type": "Customer", "id": "7", "name": "Seed", '
        '"engagedParty": {"@type": "PartyRef", "id": "1"}}]'
    )
    command = [
        sys.executable,
        "-m",
        "tmf629_mock.cli",
        "--port",
        str(port),
        "--spec",
        str(selected_spec()),
        "--deterministic-ids",
        "--enable-admin",
        "--seed",
        str(seed),
        "--store",
        f"sqlite:///{tmp_path / 'cli.db'}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}{BASE}"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"{url}/customer", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert [c["id"] for c in response.json()] == ["7"]
        created = httpx.post(f"{url}/customer", json=customer_body(), timeout=5)
        assert created.status_code == 201
        assert created.json()["id"] == "1"
        assert created.json()["href"] == f"{url}/customer/1"
        assert httpx.post(f"{url}/admin/reset", timeout=5).status_code == 204
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""


def test_factory_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from tmf629_mock.app import factory, mock_state

    monkeypatch.setenv("TMF_MOCK_SPEC", str(selected_spec()))
    monkeypatch.setenv("TMF_MOCK_DETERMINISTIC_IDS", "1")
    monkeypatch.setenv("TMF_MOCK_BASE_PATH", "/api")
    app = factory()
    state = mock_state(app)
    assert state.base_path == "/api"
    assert state.service.deterministic_ids


async def test_shipped_client_fixture(tmf_mock_client: httpx.AsyncClient) -> None:
    created = await tmf_mock_client.post("/customer", json=customer_body())
    assert created.status_code == 201
    assert created.json()["id"] == "1"


def test_shipped_live_server_fixture(tmf_mock_server: ServerThread) -> None:
    url = tmf_mock_server.url  # type: ignore[attr-defined]
    created = httpx.post(f"{url}/customer", json=customer_body(), timeout=5)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{url}/customer/1"
    assert httpx.get(f"{url}/customer/1", timeout=5).json()["name"] == "Moon Football Club"


async def test_shipped_listener_fixture(
    tmf_mock_client: httpx.AsyncClient, tmf_listener: RecordingListener
) -> None:
    await tmf_mock_client.post("/hub", json={"callback": tmf_listener.url})
    await tmf_mock_client.post("/customer", json=customer_body())
    received = await tmf_listener.wait_for(1)
    assert [n.path for n in received] == ["/listener/customerCreateEvent"]


def test_environment_is_not_leaking() -> None:
    assert "TMF_MOCK_SPEC" not in os.environ
