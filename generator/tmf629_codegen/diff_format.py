"""Presenting a :class:`~.diff.DiffReport`: text, Markdown, JSON, and a CHANGELOG entry."""

from __future__ import annotations

import json
from typing import Literal

from .diff import IMPACTS, Change, DiffReport, Impact

__all__ = ["Format", "changelog_entry", "render"]

Format = Literal["text", "markdown", "json"]

_HEADINGS = {
    "breaking-sdk": "Breaking for SDK code written against the old models",
    "breaking-wire": "Breaking on the wire",
    "compatible": "Compatible",
}


def _where(change: Change) -> str:
    return f"{change.document}#{change.pointer}"


def _summary(report: DiffReport) -> str:
    counts = [f"{len(report.by_impact(impact))} {impact}" for impact in IMPACTS]
    return ", ".join(counts)


def render(report: DiffReport, fmt: Format = "text") -> str:
    """The report in one of the ``--format`` choices, ending with a newline."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    lines = [f"{report.old} -> {report.new}: {len(report.changes)} changes ({_summary(report)})"]
    for impact in IMPACTS:
        changes = report.by_impact(impact)
        if not changes:
            continue
        lines += ["", f"{_HEADINGS[impact]}:"]
        for change in changes:
            lines.append(f"  {change.kind:<26} {change.message}")
            lines.append(f"  {'':<26} at {_where(change)}")
    return "\n".join(lines) + "\n"


def _markdown(report: DiffReport) -> str:
    lines = [
        f"# Spec diff: `{report.old}` -> `{report.new}`",
        "",
        f"{len(report.changes)} changes: {_summary(report)}.",
    ]
    for impact in IMPACTS:
        changes = report.by_impact(impact)
        if not changes:
            continue
        lines += [
            "",
            f"## {_HEADINGS[impact]}",
            "",
            "| change | what | where |",
            "| --- | --- | --- |",
        ]
        for change in changes:
            message = change.message.replace("|", "\\|")
            lines.append(f"| {change.kind} | {message} | `{_where(change)}` |")
    return "\n".join(lines) + "\n"


def changelog_entry(report: DiffReport, title: str) -> str:
    """A CHANGELOG section saying what SDK users and server implementers must change."""
    lines = [f"## {title}", ""]
    if not report.changes:
        return "\n".join([*lines, "No change to the API surface.", "", ""])
    sections: tuple[tuple[str, Impact, str], ...] = (
        ("What SDK users must change", "breaking-sdk", "Nothing: no SDK-breaking change."),
        (
            "What servers (and clients on the wire) must change",
            "breaking-wire",
            "Nothing: no wire-breaking change.",
        ),
        ("Compatible changes", "compatible", "None."),
    )
    for heading, impact, empty in sections:
        lines += [f"### {heading}", ""]
        changes = report.by_impact(impact)
        lines += [f"- {c.message} (`{c.pointer}`)" for c in changes] or [empty]
        lines.append("")
    return "\n".join(lines) + "\n"
