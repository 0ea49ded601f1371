"""Self-tests of the conformance-suite helpers and of its HTML report."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conformance import report
from tests.conformance.checks import error_problems, missing_mandatory
from tests.conformance.rules import Rule, violation

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="2" failures="1">
<testcase classname="tests.conformance.test_patch" name="test_a[id]" time="0.10">
  <properties><property name="rule" value="Non-patchable &lt;id&gt;"/>
  <property name="source" value="Profile, PATCH"/></properties>
  <failure message="AssertionError: RULE x">RULE x: id changed
sent:     PATCH http://h/customer/1 {"id": "&lt;b&gt;"}</failure>
</testcase>
<testcase classname="tests.conformance.test_hub" name="test_b" time="0.05"/>
</testsuite></testsuites>
"""


def test_report_renders_failures_escaped(tmp_path: Path) -> None:
    source = tmp_path / "c.xml"
    source.write_text(JUNIT, encoding="utf-8")
    target = tmp_path / "out" / "c.html"
    assert report.main([str(source), str(target)]) == 1
    page = target.read_text(encoding="utf-8")
    assert "NOT CONFORMANT" in page
    assert "Non-patchable &lt;id&gt;" in page
    assert "{&quot;id&quot;: &quot;&lt;b&gt;&quot;}" in page
    assert "<h2>patch (1 checks, 1 failing)</h2>" in page
    assert '<td class="passed">passed</td>' in page


def test_violation_names_rule_request_response_and_problem() -> None:
    request = httpx.Request("POST", "http://h/customer", json={"name": "x"})
    response = httpx.Response(201, json={"id": "1"}, request=request)
    message = violation(Rule("r-1", "A rule.", "Profile, X"), "name missing", response)
    lines = message.splitlines()
    assert lines[0] == "RULE r-1: A rule. [Profile, X]"
    assert lines[1].startswith("sent:     POST http://h/customer")
    assert '{"name": "x"}' in lines[1]
    assert lines[2].startswith("received: 201")
    assert lines[3] == "problem:  name missing"


def test_mandatory_and_error_checks() -> None:
    customer = {"@type": "Customer", "id": "1", "href": "h", "name": " ", "relatedParty": [{}]}
    problems = missing_mandatory(customer)
    assert "'name' is missing or blank" in problems
    assert "'relatedParty[0].role' is missing or blank" in problems
    assert error_problems({"@type": "Error", "code": "404", "reason": "x"}, 404) == []
    assert error_problems({"code": "404", "reason": "x", "status": "400"}, 404)
