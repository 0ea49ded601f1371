"""Start ``tmf629-mock`` (memory store by default) on a free loopback port in a subprocess."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tmf629_mock.testing import free_port

ROOT = Path(__file__).resolve().parents[2]
BASE_PATH = "/tmf-api/customerManagement/v5"


@contextmanager
def mock_server(
    host: str = "127.0.0.1",
    *,
    timeout: float = 30.0,
    log_level: str = "warning",
    log_file: Path | None = None,
    spec: Path | None = None,
    seed: Path | None = None,
    base_path: str = BASE_PATH,
    probe: str = "/customer?limit=1",
    store: str = "memory",
) -> Iterator[str]:
    """Run ``python -m tmf629_mock.cli`` until the block exits; yields the API root URL.

    The server's output goes to ``log_file`` when given, else to this process' output.
    ``spec`` and ``seed`` become ``--spec`` and ``--seed``; then ``base_path`` is that spec's
    and ``probe`` a GET (relative to it) answered once the server is up.
    """
    port = free_port(host)
    command = [sys.executable, "-m", "tmf629_mock.cli", "--host", host, "--port", str(port)]
    command += ["--store", store, "--log-level", log_level]
    command += ["--spec", str(spec)] if spec is not None else []
    command += ["--seed", str(seed)] if seed is not None else []
    with contextlib.ExitStack() as stack:
        output = None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            output = stack.enter_context(log_file.open("wb"))
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output)
        yield from _serve(process, f"http://{host}:{port}{base_path}", timeout, probe)


def _serve(
    process: subprocess.Popen[bytes], url: str, timeout: float, probe: str = "/customer?limit=1"
) -> Iterator[str]:
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"tmf629-mock exited with status {process.returncode}")
            try:
                if httpx.get(f"{url}{probe}", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"tmf629-mock did not start within {timeout:.0f} s")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
