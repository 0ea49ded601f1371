"""The spec check: both documents valid, every example satisfies its schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tmf629_codegen.loader import load_asyncapi, load_openapi
from tmf629_codegen.validate import check_examples, iter_examples, main

ROOT = Path(__file__).parents[2]
OPENAPI = ROOT / "specs" / "tmf629-customer-management.openapi.yaml"
ASYNCAPI = ROOT / "specs" / "tmf629-customer-management.asyncapi.yaml"
WIDGET = ROOT / "tests" / "golden" / "widget" / "widget.openapi.yaml"


def test_shipped_specs_and_all_their_examples_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(OPENAPI), str(ASYNCAPI)]) == 0
    assert ", 0 invalid" in capsys.readouterr().out


def test_every_request_and_response_body_has_an_example() -> None:
    document = load_openapi(OPENAPI)
    missing: list[str] = []
    for path, item in document.data["paths"].items():
        for method, op in item.items():
            bodies = [("request", document.deref(op.get("requestBody") or {}))]
            bodies += [(status, document.deref(r)) for status, r in op["responses"].items()]
            for name, body in bodies:
                for media_type, media in (body.get("content") or {}).items():
                    if not media.get("examples") and "example" not in media:
                        missing.append(f"{method.upper()} {path} {name} {media_type}")
    assert missing == []


def test_asyncapi_examples_are_checked() -> None:
    document = load_asyncapi(ASYNCAPI)
    assert list(iter_examples(document)), "the AsyncAPI messages carry examples"


def test_an_invalid_example_is_named_with_its_pointer(tmp_path: Path) -> None:
    data = yaml.safe_load(WIDGET.read_text())
    post = data["paths"]["/widget"]["post"]
    post["requestBody"]["content"]["application/json"]["examples"] = {
        "bad": {"value": {"@type": "Widget", "size": "big"}}
    }
    spec = tmp_path / "widget.openapi.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check_examples([load_openapi(spec)])
    location = "widget.openapi.yaml#/paths/~1widget/post/requestBody/content/application~1json"
    assert len(problems) == 2, problems
    assert all(p.startswith(location + "/examples/bad/value") for p in problems)
    assert any("'name' is a required property" in p for p in problems)
    assert any("/size: 'big' is not of type 'integer'" in p for p in problems)
