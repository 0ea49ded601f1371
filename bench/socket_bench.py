"""Served throughput: the mock server, raw Starlette and Connexion's trivial app, each run by
uvicorn (same settings, one process) and driven over loopback, alternating rounds.

This is the issue's yardstick: what a tester's system sees, HTTP server and socket included,
which every app pays alike. Each round measures every app once, back to back; a ratio is the
median over rounds of that round's ratio, so that the drift of a shared machine (which moves
both rates of a round alike) does not land on one side of it. The load comes from ``wrk`` (16
connections, one thread), which keeps all three servers busy with room to spare; without
``wrk`` on the PATH (``apt-get install wrk``) one keep-alive Python client drives them instead,
and that client bounds every rate, which hides most of the gap, so those figures say so. The
in-process figures (``bench.server_bench``) isolate the apps' own cost.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bench.server_bench import create_body
from tmf629_mock.testing import free_port

BASE = "/tmf-api/customerManagement/v5"
ROUNDS = 5
WRK_SECONDS = 3
WRK_CONNECTIONS = 16
PYTHON_REQUESTS = 1500


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
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port)]
    return [*command, "--log-level", "warning"]


Rate = Callable[[str, str, bytes | None, int], float]


def _wrk_rate(work: Path) -> Rate:
    def rate(method: str, url: str, body: bytes | None, status: int) -> float:
        command = ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--latency"]
        if body is not None:
            (work / "body.json").write_bytes(body)
            script = work / "post.lua"
            script.write_text(
                f'wrk.method = "{method}"\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                f'local f = io.open("{work / "body.json"}", "rb")\n'
                "wrk.body = f:read('*a')\nf:close()\n",
                encoding="utf-8",
            )
            command += ["-s", str(script)]
        output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
        if "Non-2xx" in output or "Socket errors" in output:
            raise RuntimeError(f"{method} {url} (expected {status}):\n{output}")
        found = re.search(r"Requests/sec:\s+([\d.]+)", output)
        if found is None:
            raise RuntimeError(f"no rate in wrk's output:\n{output}")
        return float(found.group(1))

    return rate


def _python_rate(client: httpx.Client) -> Rate:
    def rate(method: str, url: str, body: bytes | None, status: int) -> float:
        headers = {"content-type": "application/json"} if body else {}
        start = time.perf_counter()
        for _ in range(PYTHON_REQUESTS):
            response = client.request(method, url, content=body, headers=headers)
            if response.status_code != status:
                raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:200]}")
        return PYTHON_REQUESTS / (time.perf_counter() - start)

    return rate


def main() -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="tmf629-socket-bench-"))
    post = json.dumps(create_body(2)).encode()
    ports = {name: free_port() for name in ("server", "raw", "trivial")}
    server_cmd = [sys.executable, "-m", "tmf629_mock.cli", "--port", str(ports["server"])]
    server_cmd += ["--log-level", "warning"]
    with ExitStack() as stack:
        client = stack.enter_context(httpx.Client())
        server = stack.enter_context(_serving(server_cmd, ports["server"], {}))
        created = client.post(
            f"{server}/customer", content=post, headers={"content-type": "application/json"}
        )
        created.raise_for_status()
        ident = created.json()["id"]
        (work / "get.json").write_bytes(client.get(f"{server}/customer/{ident}").content)
        (work / "post.json").write_bytes(created.content)
        env = {
            "TMF629_BENCH_GET": str(work / "get.json"),
            "TMF629_BENCH_POST": str(work / "post.json"),
        }
        raw = stack.enter_context(
            _serving(_uvicorn("bench._served:raw_app", ports["raw"]), ports["raw"], env)
        )
        trivial = stack.enter_context(
            _serving(
                _uvicorn("bench._served:trivial_connexion_app", ports["trivial"]),
                ports["trivial"],
                env,
            )
        )
        wrk = shutil.which("wrk") is not None
        rate = _wrk_rate(work) if wrk else _python_rate(client)
        plan = {
            "get": ("GET", f"{server}/customer/{ident}", None, 200),
            "raw get": ("GET", f"{raw}/customer/{ident}", None, 200),
            "trivial get": ("GET", f"{trivial}/customer/{ident}", None, 200),
            "post": ("POST", f"{server}/customer", post, 201),
            "raw post": ("POST", f"{raw}/customer", post, 201),
        }
        rates: dict[str, list[float]] = {name: [] for name in plan}
        for _ in range(ROUNDS):
            for name, (method, url, body, status) in plan.items():
                rates[name].append(rate(method, url, body, status))
    median = {name: statistics.median(values) for name, values in rates.items()}

    def ratio(candidate: str, baseline: str) -> str:
        per_round = [a / b for a, b in zip(rates[candidate], rates[baseline], strict=True)]
        return (
            f"{statistics.median(per_round):.2f} (rounds {min(per_round):.2f}-{max(per_round):.2f})"
        )

    driver = (
        f"wrk, {WRK_CONNECTIONS} connections"
        if wrk
        else "one Python client, which bounds every rate (install wrk for the real gap)"
    )
    lines = [
        f"server served ({driver}) {kind}: {median[key]:,.0f} req/s vs raw Starlette "
        f"{median['raw ' + key]:,.0f} req/s -> {ratio(key, 'raw ' + key)}"
        for kind, key in (("GET-by-id", "get"), ("POST", "post"))
    ]
    lines.append(
        f"server served ({driver}) reference, Connexion trivial GET: "
        f"{median['trivial get']:,.0f} req/s -> {ratio('trivial get', 'raw get')}"
    )
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    main()
