"""``tmf629-mock``: run the mock server with uvicorn.

    tmf629-mock [--host 127.0.0.1] [--port 8629] [--spec PATH] [--asyncapi PATH]
                [--base-path ...] [--store memory|sqlite:///path.db|postgresql://...]
                [--seed resources.json] [--api-key KEY] [--deterministic-ids]
                [--enable-admin] [--max-body-bytes N] [--log-level info]
                [--broker nats://127.0.0.1:4222 [--channel-prefix acme]]

The model (:class:`Api`) of the shipped spec is the generated ``tmf629._metadata``; for any other
document (``--spec``) it is built by the generator's loader (``tmf629_codegen.build.load_api``).
Ctrl-C stops the server cleanly.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tmf629_mock.ir import Api

__all__ = ["build_parser", "default_spec", "load_model", "main"]


def default_spec() -> Path:
    """The first ``*.openapi.yaml`` shipped with the package, else in the source tree."""
    here = Path(__file__).resolve().parent
    for folder in (here / "specs", here.parent.parent / "specs"):
        candidates = sorted(folder.glob("*.openapi.yaml")) if folder.is_dir() else []
        if candidates:
            return candidates[0]
    raise SystemExit("no OpenAPI document found: pass --spec PATH")


def load_model(spec: Path, asyncapi: Path | None = None) -> Api:
    """The API model of ``spec``: the generated metadata when it was made from this very file,
    else built from the document by the generator's loader (``--spec`` of another API)."""
    generated = _generated_model(spec)
    if generated is not None:
        return generated
    try:
        build: Any = importlib.import_module("tmf629_codegen.build")
    except ImportError as exc:  # pragma: no cover - depends on the generator being installed
        raise SystemExit(f"cannot build the API model: {exc}") from exc
    if asyncapi is None and spec.name.endswith(".openapi.yaml"):
        twin = spec.with_name(spec.name.replace(".openapi.yaml", ".asyncapi.yaml"))
        asyncapi = twin if twin.is_file() else None
    api = build.load_api(spec, asyncapi)
    assert isinstance(api, Api)
    return api


def _generated_model(spec: Path) -> Api | None:
    try:
        from tmf629._metadata import METADATA
    except ImportError:  # pragma: no cover - the SDK is part of the same distribution
        return None
    from tmf629_codegen.ir import api_from_dict

    api = api_from_dict(METADATA)
    if api.spec_file != spec.name:
        return None
    if hashlib.sha256(spec.read_bytes()).hexdigest() != api.spec_sha256:
        return None
    return api


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tmf629-mock", description="TMF v5 mock server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8629)
    parser.add_argument("--spec", type=Path, default=None, help="OpenAPI document")
    parser.add_argument("--asyncapi", type=Path, default=None, help="AsyncAPI document")
    parser.add_argument("--base-path", default=None, help="default: the spec's base path")
    parser.add_argument(
        "--store", default="memory", help="memory | sqlite:///path.db | postgresql://..."
    )
    parser.add_argument("--seed", type=Path, default=None, help="JSON resources to load at start")
    parser.add_argument("--api-key", default=None, help="require X-API-Key or Bearer token")
    parser.add_argument("--deterministic-ids", action="store_true", help="ids 1, 2, ...")
    parser.add_argument("--enable-admin", action="store_true", help="POST {base}/admin/reset")
    parser.add_argument("--max-body-bytes", type=int, default=1_000_000)
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.add_argument(
        "--broker",
        default=None,
        help="also serve the AsyncAPI command channels and events: nats://, amqp://, kafka://",
    )
    parser.add_argument("--channel-prefix", default=None, help="channel prefix, e.g. acme")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import uvicorn

    from tmf629_mock.app import create_app

    spec = args.spec or default_spec()
    app = create_app(
        load_model(spec, args.asyncapi),
        spec,
        base_path=args.base_path,
        store=args.store,
        api_key=args.api_key,
        max_body_bytes=args.max_body_bytes,
        seed=args.seed,
        deterministic_ids=args.deterministic_ids,
        admin=args.enable_admin,
    )
    if args.broker:  # REST and messages at once, on one event loop
        import asyncio

        from tmf629_mock.messaging import serve

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                serve(
                    app,
                    args.broker,
                    channel_prefix=args.channel_prefix,
                    host=args.host,
                    port=args.port,
                    log_level=args.log_level,
                )
            )
        return 0
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn handles SIGINT itself
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
