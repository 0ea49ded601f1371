"""A SQLite-backed server killed with SIGKILL mid-load keeps every write it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.mockserver.helpers import customer_body
from tmf629_mock.testing import free_port

BASE = "/tmf-api/customerManagement/v5"


def _start(database: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tmf629_mock.cli", "--port", str(port)]
    command += ["--store", f"sqlite:///{database}", "--log-level", "warning"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{BASE}/customer", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def test_sigkill_mid_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    database = tmp_path / "durable.db"
    port = free_port()
    server = _start(database, port)
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}{BASE}", timeout=5) as client:
            index = 0
            while not stop.is_set() and index < 2000:
                try:
                    response = client.post("/customer", json=customer_body(f"Durable {index}"))
                except httpx.TransportError:
                    return
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])
                index += 1

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 60, "the load did not get going"

    restarted = _start(database, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}{BASE}", timeout=5) as client:
            missing = [i for i in acknowledged if client.get(f"/customer/{i}").status_code != 200]
            total = int(client.get("/customer", params={"limit": "1"}).headers["x-total-count"])
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
    assert missing == []
    assert total >= len(acknowledged)
