"""The generic conformance suite against the party spec (``tmf629-mock --spec``, seeded).

Runs ``pytest tests/conformance/generic --spec tests/specs/party/...`` in a subprocess (the suite
starts its own server with the spec's read-only resources seeded from its examples) and asserts
that every rule passed for every resource; the ordinary run covers the default TMF629 spec.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tmf629_mock.cli import load_model

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "party" / "tmf-party-style.openapi.yaml"


def test_generic_suite_passes_on_the_party_spec(tmp_path: Path) -> None:
    report = tmp_path / "generic-party.xml"
    command = [sys.executable, "-m", "pytest", "tests/conformance/generic", "--spec", str(SPEC)]
    command += ["-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    output = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, output
    cases = list(ET.parse(report).getroot().iter("testcase"))
    assert cases, output
    bad = [c.get("name") for c in cases for x in c if x.tag in ("failure", "error", "skipped")]
    assert not bad, output
    names = {str(case.get("name")) for case in cases}
    for resource in load_model(SPEC).resources:  # parametrised per resource: named in the report
        assert any(f"[{resource.name}" in name for name in names), (resource.name, names)
