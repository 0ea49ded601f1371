"""Run with the interpreter of a fresh virtualenv into which the built wheel was installed.

Checks, from outside the source tree, that the installed package imports, that its generated code
is exactly what its generator makes from the specs it ships, and that the installed server starts
and answers the installed SDK. Exits non-zero on the first failure.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import tmf629
import tmf629_mock
from tmf629_codegen.generate import generate_package


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def check_location(repo: Path) -> None:
    for module in (tmf629, tmf629_mock):
        location = Path(module.__file__ or "").resolve()
        if repo in location.parents:
            raise SystemExit(f"{module.__name__} imported from the source tree: {location}")
    print(f"imported tmf629 from {Path(tmf629.__file__ or '').parent}")


def check_generated_code() -> None:
    specs = Path(tmf629_mock.__file__ or "").parent / "specs"
    package = Path(tmf629.__file__ or "").parent
    _, files = generate_package(
        specs / "tmf629-customer-management.openapi.yaml",
        specs / "tmf629-customer-management.asyncapi.yaml",
        "tmf629",
    )
    for rel, content in files.items():
        if (package / rel).read_text(encoding="utf-8") != content:
            raise SystemExit(f"installed {rel} differs from what the shipped specs generate")
    print(f"{len(files)} generated files match the shipped specs")


def check_server_and_sdk() -> None:
    port = _free_port()
    command = [str(Path(sys.executable).parent / "tmf629-mock"), "--port", str(port)]
    server = subprocess.Popen([*command, "--log-level", "warning"])
    root = f"http://127.0.0.1:{port}/tmf-api/customerManagement/v5"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(root + "/customer", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the installed tmf629-mock did not start") from None
                time.sleep(0.2)
        with tmf629.Tmf629Client(base_url=root) as client:
            body = {
                "@type": "Customer",
                "name": "Wheel",
                "engagedParty": {"@type": "PartyRef", "id": "p"},
            }
            created = client.customers.create(body=body)
            assert client.customers.retrieve(created.id).name == "Wheel"
        print("installed tmf629-mock served the installed SDK")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    repo = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory():
        check_location(repo)
        check_generated_code()
        check_server_and_sdk()


if __name__ == "__main__":
    main()
