"""Self-tests of the fuzz driver's parsing, its hooks and the inferred stateful links.

Skipped where schemathesis is not installed (it is installed by ``nox -s fuzz``).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.fuzz import hooks
from tests.fuzz.run import SPEC, inferred_links, summarise
from tmf629_mock.patching import strip_nulls
from tmf629_mock.schemas import relax_required


def test_fuzz_hooks_helpers() -> None:
    relaxed = relax_required({"allOf": [{"required": ["a"]}], "items": {"required": []}})
    assert relaxed == {"allOf": [{}], "items": {}}
    assert strip_nulls({"a": None, "b": [{"c": None, "d": 1}]}) == {"b": [{"d": 1}]}
    rejected = httpx.Response(
        400, json={"@type": "Error", "code": "400", "reason": "r", "message": "Invalid '@type' x"}
    )
    assert hooks._tmf_rule(rejected) == "@type must be a value of the discriminator mapping"
    other = httpx.Response(400, json={"@type": "Error", "code": "400", "message": "whatever"})
    assert hooks._tmf_rule(other) is None


def test_summarise_counts_cases_per_phase_and_operation(tmp_path: Path) -> None:
    def scenario(phase: str, label: str, cases: list[tuple[str, str]]) -> str:
        recorded = {str(i): {"value": {"method": m, "path": p}} for i, (m, p) in enumerate(cases)}
        event = {"phase": phase, "recorder": {"label": label, "cases": recorded}}
        return json.dumps({"ScenarioFinished": event})

    events = tmp_path / "events.ndjson"
    events.write_text(
        "\n".join(
            [
                scenario("fuzzing", "GET /customer", [("GET", "/customer")] * 3),
                scenario("stateful", "Stateful tests", [("POST", "/customer"), ("GET", "/x")]),
            ]
        ),
        encoding="utf-8",
    )
    summary = summarise(events)
    assert summary["cases"][("fuzzing", "GET /customer")] == 3
    assert summary["cases"][("stateful", "POST /customer")] == 1
    assert summary["scenarios"]["stateful"] == 1


def test_stateful_links_between_create_retrieve_patch_delete_are_inferred() -> None:
    links = set(inferred_links(SPEC))
    for target in ("GET /customer/{id}", "PATCH /customer/{id}", "DELETE /customer/{id}"):
        assert f"POST /customer 201 -> {target}" in links
    assert "POST /hub 201 -> DELETE /hub/{id}" in links
