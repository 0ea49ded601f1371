"""Render the suite's JUnit XML as a readable HTML page (standard library only).

    python -m tests.conformance.report reports/conformance.xml reports/conformance.html

Tests are grouped by area (their module), each row showing the rule (the test docstring's first
line, recorded as a JUnit property), its source, the outcome and, for failures, the message that
says what was sent, what came back and which rule is broken. Exits 1 when a test failed or
errored (after writing the page), 0 otherwise.
"""

from __future__ import annotations

import argparse
import html
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["Case", "main", "read_cases", "render"]

OUTCOMES = ("passed", "failed", "error", "skipped")


@dataclass
class Case:
    area: str
    name: str
    outcome: str
    seconds: float
    rule: str = ""
    source: str = ""
    details: str = ""
    properties: dict[str, str] = field(default_factory=dict)


def _area(classname: str) -> str:
    module = classname.split(".")
    for part in reversed(module):
        if part.startswith("test_"):
            return part.removeprefix("test_").replace("_", " ")
    return classname or "other"


def read_cases(path: Path) -> list[Case]:
    root = ET.parse(path).getroot()
    cases: list[Case] = []
    for testcase in root.iter("testcase"):
        properties = {
            prop.get("name", ""): prop.get("value", "") for prop in testcase.iter("property")
        }
        outcome, details = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = testcase.find(tag)
            if node is not None:
                outcome = "failed" if tag == "failure" else tag
                text = (node.text or "").strip()
                details = text or node.get("message", "")
                break
        cases.append(
            Case(
                area=_area(testcase.get("classname", "")),
                name=testcase.get("name", ""),
                outcome=outcome,
                seconds=float(testcase.get("time", "0") or 0),
                rule=properties.get("rule", ""),
                source=properties.get("source", ""),
                details=details,
                properties=properties,
            )
        )
    return cases


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.passed { color: #1a7f37; } .failed, .error { color: #b42318; font-weight: bold; }
.skipped { color: #8a6d00; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.85em; }
.small { color: #666; font-size: 0.85em; }
"""


def render(cases: Sequence[Case], *, title: str = "TMF629 v5 conformance") -> str:
    counts = {outcome: sum(case.outcome == outcome for case in cases) for outcome in OUTCOMES}
    verdict = "CONFORMANT" if not (counts["failed"] or counts["error"]) else "NOT CONFORMANT"
    rules = len({(case.area, case.rule or case.name) for case in cases})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}: {verdict}</h1>",
        "<p>"
        + ", ".join(f'<span class="{o}">{counts[o]} {o}</span>' for o in OUTCOMES)
        + f" &mdash; {len(cases)} checks of {rules} rules, "
        + f"{sum(case.seconds for case in cases):.2f} s</p>",
        f'<p class="small">generated {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC</p>',
    ]
    areas: dict[str, list[Case]] = {}
    for case in cases:
        areas.setdefault(case.area, []).append(case)
    for area, members in areas.items():
        failed = sum(case.outcome in ("failed", "error") for case in members)
        parts.append(f"<h2>{html.escape(area)} ({len(members)} checks, {failed} failing)</h2>")
        parts.append("<table><tr><th>rule</th><th>source</th><th>check</th><th>outcome</th></tr>")
        for case in members:
            details = (
                f"<pre>{html.escape(case.details)}</pre>"
                if case.details and case.outcome != "passed"
                else ""
            )
            parts.append(
                "<tr>"
                f"<td>{html.escape(case.rule or case.name)}</td>"
                f'<td class="small">{html.escape(case.source)}</td>'
                f"<td><code>{html.escape(case.name)}</code> "
                f'<span class="small">{case.seconds:.2f} s</span>{details}</td>'
                f'<td class="{case.outcome}">{case.outcome}</td>'
                "</tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance.report")
    parser.add_argument("junit_xml", type=Path)
    parser.add_argument("html", type=Path)
    parser.add_argument("--title", default="TMF629 v5 conformance")
    args = parser.parse_args(argv)
    cases = read_cases(args.junit_xml)
    args.html.parent.mkdir(parents=True, exist_ok=True)
    args.html.write_text(render(cases, title=args.title), encoding="utf-8")
    failing = sum(case.outcome in ("failed", "error") for case in cases)
    print(f"{args.html}: {len(cases)} checks, {failing} failing")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
