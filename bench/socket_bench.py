"""The server and raw Starlette each run by uvicorn in their own process, driven over loopback
by one keep-alive client in this process: what a tester pointing a system at it sees.

The in-process figures (``bench.server_bench``) isolate the apps' own cost; these include the
HTTP server and the socket, which both apps pay alike. The client is one Python process and
bounds both rates, which narrows the gap; read it beside the in-process ratio, not instead of it.
Loopback only, bounded in count.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.server_bench import create_body
from tmf629_mock.testing import free_port

BASE = "/tmf-api/customerManagement/v5"
REQUESTS = 1500
ROUNDS = 3


@contextmanager
def _serving(command: list[str], port: int, env: dict[str, str]) -> Iterator[str]:
    process = subprocess.Popen(command, env={**os.environ, **env})
    root = f"http://127.0.0.1:{port}{BASE}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{root}/customer/probe", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[:4]} did not start") from None
                time.sleep(0.1)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


def _uvicorn(factory: str, port: int) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", "--factory", f"bench._served:{factory}"]
    return [*command, "--port", str(port), "--log-level", "warning"]


def _rate(client: httpx.Client, method: str, url: str, body: bytes | None, status: int) -> float:
    headers = {"content-type": "application/json"} if body else {}
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.request(method, url, content=body, headers=headers)
        if response.status_code != status:
            raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return REQUESTS / (time.perf_counter() - start)


def main() -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="tmf629-socket-bench-"))
    post = json.dumps(create_body(2)).encode()
    server_port, raw_port = free_port(), free_port()
    server_cmd = [sys.executable, "-m", "tmf629_mock.cli", "--port", str(server_port)]
    server_cmd += ["--log-level", "warning"]
    with _serving(server_cmd, server_port, {}) as server_root, httpx.Client() as client:
        created = client.post(
            f"{server_root}/customer", content=post, headers={"content-type": "application/json"}
        )
        created.raise_for_status()
        item = f"{server_root}/customer/{created.json()['id']}"
        (work / "get.json").write_bytes(client.get(item).content)
        (work / "post.json").write_bytes(created.content)
        env = {
            "TMF629_BENCH_GET": str(work / "get.json"),
            "TMF629_BENCH_POST": str(work / "post.json"),
        }
        trivial_port = free_port()
        with (
            _serving(_uvicorn("raw_app", raw_port), raw_port, env) as raw_root,
            _serving(_uvicorn("trivial_connexion_app", trivial_port), trivial_port, env) as ref,
        ):
            ident = created.json()["id"]
            raw_item, trivial_item = f"{raw_root}/customer/{ident}", f"{ref}/customer/{ident}"
            rates: dict[str, list[float]] = {
                k: [] for k in ("get", "raw get", "post", "raw post", "trivial get")
            }
            for _ in range(ROUNDS):
                rates["get"].append(_rate(client, "GET", item, None, 200))
                rates["raw get"].append(_rate(client, "GET", raw_item, None, 200))
                rates["trivial get"].append(_rate(client, "GET", trivial_item, None, 200))
                rates["post"].append(_rate(client, "POST", f"{server_root}/customer", post, 201))
                rates["raw post"].append(_rate(client, "POST", f"{raw_root}/customer", post, 201))
    median = {name: statistics.median(values) for name, values in rates.items()}
    lines = [
        f"server over loopback {kind}: {median[key]:,.0f} req/s vs raw Starlette "
        f"{median['raw ' + key]:,.0f} req/s -> {median[key] / median['raw ' + key]:.2f}"
        for kind, key in (("GET-by-id", "get"), ("POST", "post"))
    ]
    lines.append(
        f"server over loopback reference, Connexion trivial GET: {median['trivial get']:,.0f} "
        f"req/s -> {median['trivial get'] / median['raw get']:.2f}"
    )
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    main()
