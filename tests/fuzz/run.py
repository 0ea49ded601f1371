"""Run schemathesis against the mock server: ``python -m tests.fuzz.run --budget N``.

Starts ``tmf629-mock`` (memory store) on a free loopback port in a subprocess, unless ``--url``
names a running server, then runs ``st run`` over ``specs/`` with every check (three of them
TMF-aware, see ``schemathesis.toml``), every phase (examples, coverage, fuzzing, stateful, with
links inferred between create, retrieve, patch and delete) and ``--max-examples N`` per
operation. Prints the test cases run per phase and operation, the stateful scenarios and the
inferred links, the failures, and exits with schemathesis' status (non-zero on any failure).
Reports: ``reports/fuzz/fuzz-junit.xml`` and ``reports/fuzz/fuzz.json``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conformance.server import mock_server
from tmf629_mock.cli import load_model

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "tmf629-customer-management.openapi.yaml"
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
DEFAULT_BUDGET = 100


def st_command(url: str, args: argparse.Namespace, ndjson: Path, report_dir: Path) -> list[str]:
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG)]
    command += ["--no-color", "run", str(args.spec), "--url", url]
    command += ["--max-examples", str(args.budget), "--workers", str(args.workers)]
    # Reproducible by default (same cases every run); --seed switches to seeded random data.
    command += (
        ["--seed", str(args.seed)] if args.seed is not None else ["--generation-deterministic"]
    )
    command += ["--report", "ndjson,junit,json", "--report-ndjson-path", str(ndjson)]
    command += ["--report-junit-path", str(report_dir / "fuzz-junit.xml")]
    command += ["--report-json-path", str(report_dir / "fuzz.json")]
    if args.phases:
        command += ["--phases", args.phases]
    return command


def summarise(ndjson: Path) -> dict[str, Any]:
    """Test cases per (phase, operation) and stateful scenario count from the event stream."""
    cases: collections.Counter[tuple[str, str]] = collections.Counter()
    scenarios: collections.Counter[str] = collections.Counter()
    links: dict[str, Any] = {}
    with ndjson.open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith('{"ScenarioFinished"'):
                event = json.loads(line)["ScenarioFinished"]
                recorder = event.get("recorder") or {}
                phase = str(event.get("phase"))
                scenarios[phase] += 1
                for case in (recorder.get("cases") or {}).values():
                    value = case.get("value", {})
                    label = str(recorder.get("label") or "")
                    if phase == "stateful" or not label:  # one scenario spans operations
                        label = f"{value.get('method', '?')} {value.get('path', '?')}"
                    cases[(phase, label)] += 1
            elif line.startswith('{"PhaseFinished"') and '"stateful"' in line:
                payload = json.loads(line)["PhaseFinished"].get("payload") or {}
                links = payload if isinstance(payload, dict) else {}
    return {"cases": cases, "scenarios": scenarios, "stateful": links}


def inferred_links(spec: Path) -> list[str]:
    """The stateful transitions schemathesis infers from the spec (``SOURCE -> TARGET``)."""
    import schemathesis  # type: ignore[import-not-found, unused-ignore]

    def label(name: str) -> str:  # "GET_customer_id" -> "GET /customer/{id}"
        method, _, path = name.strip("_").partition("_")
        path = path[: -len("_id")] + "/{id}" if path.endswith("_id") else path
        return f"{method} /{path}"

    machine = schemathesis.openapi.from_path(str(spec)).as_state_machine()
    links = []
    for name in dir(machine):  # rules are named SOURCE___STATUS_LinkName__TARGET_
        if name.startswith(("GET_", "POST_", "PATCH_", "DELETE_", "PUT_")) and "___" in name:
            source, _, target = name.partition("___")
            status, _, rest = target.partition("_")
            links.append(f"{label(source)} {status} -> {label(rest.split('__', 1)[-1])}")
    return links


def print_summary(summary: dict[str, Any], report: dict[str, Any], budget: int) -> None:
    cases: collections.Counter[tuple[str, str]] = summary["cases"]
    phases = sorted({phase for phase, _ in cases})
    labels = sorted({label for _, label in cases})
    width = max((len(label) for label in labels), default=10)
    print(f"\n== fuzz summary (max-examples {budget} per operation) ==")
    print(f"{'operation':<{width}}  " + "  ".join(f"{phase:>9}" for phase in phases))
    for label in labels:
        counts = "  ".join(f"{cases[(phase, label)]:>9}" for phase in phases)
        print(f"{label:<{width}}  {counts}")
    totals = "  ".join(f"{sum(c for (p, _), c in cases.items() if p == ph):>9}" for ph in phases)
    print(f"{'total':<{width}}  {totals}")
    print(f"stateful scenarios: {summary['scenarios'].get('stateful', 0)}")
    test_cases = report.get("test_cases") or {}
    print(
        f"test cases: {test_cases.get('generated', 0)} generated, "
        f"{test_cases.get('unique_failures', 0)} unique failures, "
        f"{test_cases.get('errored', 0)} errored"
    )
    for failure in report.get("failures") or []:
        operations = ", ".join(failure.get("operations") or [])
        print(f"FAILURE {failure['code']} {failure['title']} x{failure['count']}: {operations}")
    for error in report.get("errors") or []:
        print(f"ERROR {error['title']} x{error['count']}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__)
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET, help="--max-examples")
    parser.add_argument(
        "--seed", type=int, default=None, help="seeded random generation (default: deterministic)"
    )
    parser.add_argument("--workers", default="2", help="schemathesis workers (or 'auto')")
    parser.add_argument("--phases", default=None, help="e.g. examples,coverage,fuzzing,stateful")
    parser.add_argument("--url", default=None, help="API root of a running server")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--report-dir", type=Path, default=ROOT / "reports" / "fuzz")
    return parser.parse_args(argv)


def _started(spec: Path, log: Path) -> contextlib.AbstractContextManager[str]:
    """``tmf629-mock`` serving ``spec`` (its own base path), so the fuzzed document and the
    server agree."""
    if spec.resolve() == SPEC.resolve():
        return mock_server(log_file=log)
    api = load_model(spec)
    first = next((r.path for r in api.resources if "{" not in r.path), None)
    return mock_server(
        log_file=log,
        spec=spec,
        base_path=api.base_path,
        probe=f"{first}?limit=1" if first else "/",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.report_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "TMF629_FUZZ_SPEC": str(args.spec.resolve()),  # what tests/fuzz/hooks.py reads
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tmf629-fuzz-") as scratch:
        ndjson = Path(scratch) / "events.ndjson"
        log = args.report_dir / "server.log"
        server = _started(args.spec, log) if args.url is None else _given(args.url)
        with server as url:
            mode = "deterministic" if args.seed is None else f"seed {args.seed}"
            print(f"fuzzing {url} (budget {args.budget}, {mode})", flush=True)
            status = subprocess.call(
                st_command(url, args, ndjson, args.report_dir), cwd=ROOT, env=env
            )
        summary = summarise(ndjson) if ndjson.exists() else {"cases": {}, "scenarios": {}}
    report_path = args.report_dir / "fuzz.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    print_summary(summary, report, args.budget)
    links = inferred_links(args.spec)
    print(f"stateful links inferred from the spec: {len(links)}")
    for link in links:
        print(f"  {link}")
    if args.url is None:
        print(f"server log: {args.report_dir / 'server.log'} ({_server_errors(args.report_dir)})")
    print(f"elapsed: {time.monotonic() - started:.1f} s; exit status {status}")
    return status


def _server_errors(report_dir: Path) -> str:
    """How many ERROR lines / tracebacks the server logged (delivery warnings are expected:
    fuzzed hubs name unreachable callbacks)."""
    log = report_dir / "server.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    markers = ("ERROR", "Traceback", "unhandled error")
    errors = sum(line.startswith(markers) for line in text.splitlines())
    return f"{errors} errors logged"


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")


if __name__ == "__main__":
    sys.exit(main())
