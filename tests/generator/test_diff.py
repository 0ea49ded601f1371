"""``tmf629-codegen diff``: exactly the changes between two spec releases, classed correctly."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tmf629_codegen.cli import main
from tmf629_codegen.diff import Change, DiffReport, diff_documents, diff_files
from tmf629_codegen.diff_format import changelog_entry, render
from tmf629_codegen.loader import Document, load_openapi

ROOT = Path(__file__).parents[2]
NEXT_DIR = ROOT / "tests" / "specs" / "next"
# The 5.0.0 spec as shipped when the next release was made from it (specs/ moves on with
# upgrades; this pair does not).
CURRENT = NEXT_DIR / "base" / "tmf629-customer-management.openapi.yaml"
NEXT = NEXT_DIR / "tmf629-customer-management.openapi.yaml"
SHIPPED = ROOT / "specs" / "tmf629-customer-management.openapi.yaml"
PARTY = ROOT / "tests" / "specs" / "party" / "tmf-party-style.openapi.yaml"

Key = tuple[str, str, str, str]

# Every change made for tests/specs/next (see its README): (kind, class, document, pointer).
EXPECTED_NEXT: list[Key] = [
    (
        "base-added",
        "compatible",
        "new",
        "/components/schemas/Customer/allOf",
    ),
    (
        "property-moved",
        "compatible",
        "new",
        "/components/schemas/PartyRole/properties/status",
    ),
    (
        "property-moved",
        "compatible",
        "new",
        "/components/schemas/PartyRole/properties/statusReason",
    ),
    (
        "property-removed",
        "breaking-sdk",
        "old",
        "/components/schemas/Customer/allOf/1/properties/agreement",
    ),
    (
        "mandatory-added",
        "breaking-sdk",
        "new",
        "/components/schemas/Customer_FVO/allOf/1/required",
    ),
    (
        "property-required",
        "breaking-wire",
        "new",
        "/components/schemas/TimePeriod/required",
    ),
    (
        "property-retyped",
        "breaking-sdk",
        "new",
        "/components/schemas/CreditProfile/allOf/1/properties/creditRiskRating",
    ),
    (
        "schema-renamed",
        "breaking-sdk",
        "new",
        "/components/schemas/PaymentMethodReference",
    ),
    (
        "enum-value-added",
        "compatible",
        "new",
        "/components/schemas/JsonPatch/properties/op/enum",
    ),
    (
        "schema-added",
        "compatible",
        "new",
        "/components/schemas/PartyRole",
    ),
    (
        "response-status-changed",
        "breaking-wire",
        "new",
        "/paths/~1customer~1{id}/delete/responses/200",
    ),
    (
        "operation-added",
        "compatible",
        "new",
        "/paths/~1customer~1{id}/put",
    ),
]


def _key(change: Change) -> Key:
    return (change.kind, change.impact, change.document, change.pointer)


@pytest.fixture(scope="module")
def next_report() -> DiffReport:
    return diff_files(CURRENT, NEXT)


@pytest.fixture(scope="module")
def current() -> Document:
    return load_openapi(CURRENT)


def _edited(current: Document, tmp_path: Path, edit: Callable[[Any], None]) -> tuple[Change, ...]:
    spec = _load(CURRENT)
    edit(spec)
    new = tmp_path / "new.openapi.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False))
    return diff_documents(current, load_openapi(new))


@pytest.mark.parametrize("spec", [SHIPPED, CURRENT, PARTY], ids=["shipped", "base", "party"])
def test_a_spec_diffed_with_itself_is_empty(spec: Path) -> None:
    report = diff_files(spec, spec)
    assert report.changes == ()
    assert not report.breaking


def test_next_release_is_reported_exactly(next_report: DiffReport) -> None:
    found = [_key(change) for change in next_report.changes]
    assert sorted(found) == sorted(EXPECTED_NEXT)
    assert len(found) == len(set(found)), "a change is reported twice"


@pytest.mark.parametrize("expected", EXPECTED_NEXT, ids=lambda k: f"{k[0]}:{k[3]}")
def test_each_next_release_change_is_found(next_report: DiffReport, expected: Key) -> None:
    assert expected in [_key(change) for change in next_report.changes]


def test_move_into_an_allof_base_is_not_a_removal(next_report: DiffReport) -> None:
    about_status = [c for c in next_report.changes if "Customer.status" in c.message]
    assert {c.kind for c in about_status} == {"property-moved"}
    assert [c.message for c in about_status] == [
        "Customer.status moved into the allOf base PartyRole",
        "Customer.statusReason moved into the allOf base PartyRole",
    ]


def test_rename_is_one_change_and_references_follow_it(next_report: DiffReport) -> None:
    mentions = [c for c in next_report.changes if "PaymentMethodRef" in c.message]
    assert [c.kind for c in mentions] == ["schema-renamed"]
    assert "PaymentMethodRef renamed to PaymentMethodReference" in mentions[0].message
    # Customer.paymentMethod items and the EntityRef mapping now name the new schema: no retype.
    assert not [c for c in next_report.changes if "paymentMethod" in c.message]
    assert not [c for c in next_report.changes if c.kind.startswith("mapping-")]


def test_reversed_diff_classes_the_inverse_changes(tmp_path: Path) -> None:
    report = diff_files(NEXT, CURRENT)
    kinds = {(c.kind, c.impact) for c in report.changes}
    assert ("operation-removed", "breaking-sdk") in kinds
    assert ("property-added", "compatible") in kinds  # Customer.agreement is back
    assert ("mandatory-removed", "compatible") in kinds
    assert ("property-optional", "breaking-sdk") in kinds
    assert ("schema-removed", "breaking-sdk") in kinds  # PartyRole
    assert ("base-removed", "breaking-sdk") in kinds
    assert ("enum-value-removed", "breaking-sdk") in kinds
    renamed = [c for c in report.changes if c.kind == "schema-renamed"]
    assert [c.message.split(" (")[0] for c in renamed] == [
        "schema PaymentMethodReference renamed to PaymentMethodRef"
    ]


# ------------------------------------------------------------------ one change at a time


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _schemas(spec: Any) -> Any:
    return spec["components"]["schemas"]


def _add_mapping(spec: Any) -> None:
    _schemas(spec)["EntityRef"]["discriminator"]["mapping"]["EntityRefX"] = (
        "#/components/schemas/EntityRef"
    )


def _remove_mapping(spec: Any) -> None:
    del _schemas(spec)["EntityRef"]["discriminator"]["mapping"]["AgreementRef"]


def _retarget_mapping(spec: Any) -> None:
    mapping = _schemas(spec)["EntityRef"]["discriminator"]["mapping"]
    mapping["AgreementRef"] = "#/components/schemas/AccountRef"


def _add_optional_query(spec: Any) -> None:
    spec["paths"]["/customer"]["get"]["parameters"].append(
        {"name": "sort", "in": "query", "schema": {"type": "string"}}
    )


def _add_required_query(spec: Any) -> None:
    spec["paths"]["/customer"]["get"]["parameters"].append(
        {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def _remove_fields(spec: Any) -> None:
    spec["paths"]["/customer"]["get"]["parameters"].pop(0)


def _remove_patch_media_type(spec: Any) -> None:
    content = spec["components"]["requestBodies"]["Customer_MVO"]["content"]
    del content[next(m for m in content if m != "application/merge-patch+json")]


def _add_patch_media_type(spec: Any) -> None:
    content = spec["components"]["requestBodies"]["Customer_MVO"]["content"]
    content["application/merge-patch+json;charset=utf-8"] = copy.deepcopy(
        content["application/merge-patch+json"]
    )


def _remove_header(spec: Any) -> None:
    del spec["paths"]["/customer"]["get"]["responses"]["200"]["headers"]["X-Total-Count"]


def _add_error_response(spec: Any) -> None:
    spec["paths"]["/customer"]["get"]["responses"]["429"] = {"description": "Too many"}


def _remove_success_response(spec: Any) -> None:
    del spec["paths"]["/customer"]["get"]["responses"]["206"]


def _change_response_schema(spec: Any) -> None:
    response = spec["paths"]["/customer/{id}"]["get"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Entity"}


def _move_operation(spec: Any) -> None:
    spec["paths"]["/customers"] = spec["paths"].pop("/customer")


def _add_property(spec: Any) -> None:
    _schemas(spec)["TimePeriod"]["properties"]["timeZone"] = {"type": "string"}


def _remove_base_property(spec: Any) -> None:
    del _schemas(spec)["Addressable"]["properties"]["href"]
    _schemas(spec)["Customer"]["allOf"][1]["required"].remove("href")


def _move_into_existing_base(spec: Any) -> None:
    name = _schemas(spec)["EntityRef"]["allOf"][2]["properties"].pop("name")
    _schemas(spec)["Addressable"]["properties"]["name"] = name


def _make_optional(spec: Any) -> None:
    _schemas(spec)["Customer"]["allOf"][1]["required"].remove("name")


CASES: list[tuple[str, Callable[[Any], None], list[tuple[str, str]]]] = [
    ("mapping-added", _add_mapping, [("mapping-added", "compatible")]),
    ("mapping-removed", _remove_mapping, [("mapping-removed", "breaking-wire")]),
    ("mapping-retargeted", _retarget_mapping, [("mapping-retargeted", "breaking-sdk")]),
    ("optional-query", _add_optional_query, [("parameter-added", "compatible")]),
    ("required-query", _add_required_query, [("parameter-added", "breaking-wire")]),
    ("fields-removed", _remove_fields, [("parameter-removed", "breaking-sdk")]),
    (
        "media-type-removed",
        _remove_patch_media_type,
        [("request-media-type-removed", "breaking-wire")],
    ),
    ("media-type-added", _add_patch_media_type, [("request-media-type-added", "compatible")]),
    ("header-removed", _remove_header, [("response-header-removed", "breaking-wire")]),
    ("error-response-added", _add_error_response, [("response-added", "compatible")]),
    ("success-response-removed", _remove_success_response, [("response-removed", "breaking-wire")]),
    (
        "response-schema-changed",
        _change_response_schema,
        [("response-schema-changed", "breaking-sdk")],
    ),
    (
        "operations-moved",
        _move_operation,
        [("operation-moved", "breaking-wire"), ("operation-moved", "breaking-wire")],
    ),
    ("property-added", _add_property, [("property-added", "compatible")]),
    (
        "base-property-removed",
        _remove_base_property,
        [("property-removed", "breaking-sdk")],
    ),
    ("made-optional", _make_optional, [("property-optional", "breaking-sdk")]),
    (
        "moved-into-existing-base",
        _move_into_existing_base,
        [("property-added", "compatible"), ("property-moved", "compatible")],
    ),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_single_edits_are_classed(
    current: Document,
    tmp_path: Path,
    edit: Callable[[Any], None],
    expected: list[tuple[str, str]],
) -> None:
    changes = _edited(current, tmp_path, edit)
    assert sorted((c.kind, c.impact) for c in changes) == sorted(expected), changes


def test_removing_a_base_property_is_reported_once_on_the_base(
    current: Document, tmp_path: Path
) -> None:
    changes = _edited(current, tmp_path, _remove_base_property)
    removed = [c for c in changes if c.kind == "property-removed"]
    assert [(c.message, c.pointer) for c in removed] == [
        ("Addressable.href removed", "/components/schemas/Addressable/properties/href")
    ]


# ------------------------------------------------------------------ command line and formats


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_text_and_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(CURRENT), str(NEXT))
    assert code == 0
    assert err == ""
    assert "12 changes (4 breaking-sdk, 2 breaking-wire, 6 compatible)" in out.splitlines()[0]
    assert "schema PaymentMethodRef renamed to PaymentMethodReference" in out
    code, _, _ = _run(capsys, str(CURRENT), str(NEXT), "--fail-on", "breaking")
    assert code == 1
    code, out, _ = _run(capsys, str(CURRENT), str(CURRENT), "--fail-on", "breaking")
    assert code == 0
    assert "0 changes" in out


def test_cli_compatible_only_passes_fail_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _load(CURRENT)
    _add_property(spec)
    new = tmp_path / "new.openapi.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False))
    code, out, _ = _run(capsys, str(CURRENT), str(new), "--fail-on", "breaking")
    assert code == 0
    assert "TimePeriod.timeZone added" in out


def test_cli_json_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(CURRENT), str(NEXT), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["summary"] == {"breaking-sdk": 4, "breaking-wire": 2, "compatible": 6}
    assert {(c["kind"], c["impact"], c["document"], c["pointer"]) for c in data["changes"]} == set(
        EXPECTED_NEXT
    )
    code, out, _ = _run(capsys, str(CURRENT), str(NEXT), "--format", "markdown")
    assert out.startswith("# Spec diff:")
    assert "## Breaking on the wire" in out
    assert "| schema-renamed |" in out


def test_cli_bad_input_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, str(tmp_path / "missing.yaml"), str(CURRENT))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "cannot read file" in err
    broken = tmp_path / "broken.openapi.yaml"
    spec = _load(CURRENT)
    spec["paths"]["/customer"]["get"]["parameters"].append({"$ref": "#/components/parameters/No"})
    broken.write_text(yaml.safe_dump(spec, sort_keys=False))
    code, out, err = _run(capsys, str(CURRENT), str(broken))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "dangling $ref" in err
    swagger = tmp_path / "v4.json"
    swagger.write_text('{"swagger": "2.0"}')
    code, _, err = _run(capsys, str(swagger), str(CURRENT))
    assert code == 2
    assert "Swagger 2.0" in err


def test_generation_invocation_is_unchanged(tmp_path: Path) -> None:
    widget = ROOT / "tests" / "golden" / "widget" / "widget.openapi.yaml"
    assert main(["--openapi", str(widget), "--out", str(tmp_path / "widget_api")]) == 0
    assert (tmp_path / "widget_api" / "models.py").is_file()


def test_changelog_entry_names_what_each_side_must_change(next_report: DiffReport) -> None:
    entry = changelog_entry(next_report, "5.1.0")
    assert entry.startswith("## 5.1.0\n")
    sdk = entry.split("### What SDK users must change")[1].split("###")[0]
    wire = entry.split("### What servers")[1].split("###")[0]
    assert "Customer.agreement removed" in sdk
    assert "PaymentMethodRef renamed to PaymentMethodReference" in sdk
    assert "deleteCustomer: success status 204 changed to 200" in wire
    assert "TimePeriod.startDateTime made required" in wire
    assert "operation replaceCustomer" in entry.split("### Compatible changes")[1]
    empty = changelog_entry(DiffReport(old="a", new="b"), "x")
    assert "No change to the API surface." in empty
    assert render(DiffReport(old="a", new="b")).startswith("a -> b: 0 changes")


# ------------------------------------------------------------------ speed


def _grown(spec: Any, count: int, changed: bool) -> Any:
    """The party spec plus ``count`` Entity subclasses; ``changed`` edits some of them."""
    spec = copy.deepcopy(spec)
    for index in range(count):
        props: dict[str, Any] = {f"attr{j}": {"type": "string"} for j in range(8)}
        required = ["attr0"]
        if changed and index % 5 == 0:
            props["attr0"] = {"type": "integer"}  # retyped
        if changed and index % 7 == 0:
            props[f"extra{index}"] = {"type": "boolean"}  # added
        if changed and index % 3 == 0:
            required.append("attr1")  # made required
        _schemas(spec)[f"Synthetic{index}"] = {
            "allOf": [
                {"$ref": "#/components/schemas/Entity"},
                {"type": "object", "properties": props, "required": required},
            ]
        }
    return spec


def test_diffing_two_specs_of_180_schemas_is_fast(tmp_path: Path) -> None:
    party = _load(PARTY)
    old, new = tmp_path / "old.openapi.yaml", tmp_path / "new.openapi.yaml"
    old.write_text(yaml.safe_dump(_grown(party, 40, changed=False), sort_keys=False))
    new.write_text(yaml.safe_dump(_grown(party, 40, changed=True), sort_keys=False))
    assert len(_schemas(_load(old))) >= 180
    started = time.perf_counter()
    report = diff_files(old, new)
    end_to_end = time.perf_counter() - started
    old_document, new_document = load_openapi(old), load_openapi(new)
    started = time.perf_counter()
    changes = diff_documents(old_document, new_document)
    comparison = time.perf_counter() - started
    print(f"diff of 188 schemas: {end_to_end:.2f}s with loading, {comparison:.3f}s comparing")
    assert changes == report.changes
    kinds = sorted((c.kind, c.impact) for c in changes)
    assert kinds.count(("property-retyped", "breaking-sdk")) == 8
    assert kinds.count(("property-added", "compatible")) == 6
    assert kinds.count(("property-required", "breaking-wire")) == 14
    assert len(kinds) == 28
    assert comparison < 2.0
    assert end_to_end < 10.0  # dominated by YAML parsing and spec validation (about 1.3 s)
