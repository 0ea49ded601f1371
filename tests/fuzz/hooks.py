"""schemathesis hooks of ``nox -s fuzz``: TMF-aware replacements of three built-in checks.

Loaded by ``tests/fuzz/schemathesis.toml`` (``hooks = "tests.fuzz.hooks"``), which disables the
built-in ``response_schema_conformance``, ``positive_data_acceptance`` and
``negative_data_rejection``; the checks below call them and only relax what the TMF rules (and
nothing in the OpenAPI document) allow.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import jsonschema_rs  # type: ignore[import-not-found, unused-ignore]
import schemathesis  # type: ignore[import-not-found, unused-ignore]
import yaml
from connexion.json_schema import Draft4ResponseValidator, resolve_refs
from jsonschema import Draft4Validator
from schemathesis.core.failures import AcceptedNegativeData  # type: ignore[import-not-found, unused-ignore]
from schemathesis.openapi.checks import RejectedPositiveData  # type: ignore[import-not-found, unused-ignore]
from schemathesis.specs.openapi import checks as builtin  # type: ignore[import-not-found, unused-ignore]

from tmf629_mock.patching import strip_nulls
from tmf629_mock.schemas import discriminated, relax_required

SPEC = Path(
    os.environ.get(
        "TMF629_FUZZ_SPEC",
        Path(__file__).resolve().parents[2] / "specs" / "tmf629-customer-management.openapi.yaml",
    )
)

# 400 TMF Errors that answer schema-valid requests correctly: each pattern matches the Error
# `message` of a rule the OpenAPI document cannot express (it has no `const` on `@type` and no
# notion of blank values, of patchability or of the state a JSON Patch applies to), plus one
# documented server limit.
TMF_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Customer_FVO's discriminator maps only `Customer`; JSON Schema does not enforce it.
    ("@type must be a value of the discriminator mapping", re.compile(r"Invalid '@type'")),
    # Profile, "General Notes": a mandatory attribute must not be blank (no minLength in the
    # schema), e.g. `"@type": ""` or `"name": " "` on create.
    ("mandatory attribute must not be blank", re.compile(r"must be supplied, not blank or null")),
    # Profile, PATCH: id, href and @type are non-patchable (DECISIONS.md (b)).
    ("non-patchable attribute", re.compile(r"[Nn]on[- ]patchable")),
    # R17 PATCH: sub-resources created by a patch obey the create rules; the merged result is
    # validated as a Customer (e.g. a JSON Patch `remove` of a mandatory attribute).
    ("patched resource must stay valid", re.compile(r"The resulting \w+ would not be valid")),
    # RFC 6902: an operation on a path that does not exist, or a failing `test`, is an error.
    ("JSON Patch cannot be applied", re.compile(r"JSON Patch could not be applied")),
    # A JSON Patch replacing the whole document (path "") must still leave a Customer object.
    ("JSON Patch must leave a resource", re.compile(r"JSON Patch must leave an object")),
    # Not a TMF rule but a documented server limit: RFC 8259 section 6 lets implementations limit
    # the range of numbers they accept; the server refuses integers beyond 64 bits (which its
    # SQLite and PostgreSQL stores cannot hold). hypothesis draws unbounded integers for
    # unconstrained members (e.g. extension attributes).
    ("numbers limited to 64 bits (RFC 8259 section 6)", re.compile(r"out of the 64-bit range")),
    # TMF630 paging: offset and limit count items, so they cannot be negative (TMF629's spec
    # says minimum 0; other APIs' specs may not).
    ("paging offset and limit are non-negative", re.compile(r"must be a non-negative integer")),
    # A hub query is an attribute filter (TMF630): one the server cannot read is refused.
    ("hub query must be a valid filter", re.compile(r"Invalid filter")),
    # JSON Patch Query: a condition no element meets leaves nothing to patch.
    ("JSON Patch Query must select something", re.compile(r"JSON Patch Query path .* matches")),
)


def _verdict(result: Any) -> bool | None:
    """A built-in check's result (``None`` or a bool)."""
    return None if result is None else bool(result)


def _fields_selected(case: Any) -> bool:
    value = (case.query or {}).get("fields")
    values = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and item.strip() for item in values)


@functools.cache
def _resolved_paths() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    paths: dict[str, Any] = resolve_refs(spec)["paths"]
    return paths


@functools.cache
def _tmf_validator(path: str, method: str, status: int, relaxed: bool) -> Any:
    """The response validator as DECISIONS reads the schema (``None``: schemathesis' own reading
    is the same): a discriminated ``oneOf`` chosen by its discriminator and, under ``fields``,
    mandatory attributes relaxed."""
    responses = _resolved_paths()[path][method.lower()]["responses"]
    response = responses.get(str(status)) or responses.get("default") or {}
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    read = discriminated(schema)
    if not relaxed and read is schema:
        return None
    return Draft4ResponseValidator(
        relax_required(read) if relaxed else read, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def tmf_response_schema_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """response_schema_conformance, as DECISIONS reads the schema (see ``_tmf_validator``)."""
    validator = None
    if 200 <= response.status_code < 300:
        validator = _tmf_validator(
            case.operation.path,
            case.operation.method,
            response.status_code,
            _fields_selected(case),
        )
    if validator is None:
        return _verdict(builtin.response_schema_conformance(ctx, response, case))
    errors = sorted(validator.iter_errors(response.json()), key=lambda error: error.path)
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path)
        raise AssertionError(
            f"Response violates the schema (a discriminated oneOf read by its discriminator, "
            f"mandatory attributes relaxed under `fields`): {first.message} at '/{where}'"
        )
    return True


def _tmf_rule(response: Any) -> str | None:  # a schemathesis or httpx Response
    if response.status_code != 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("@type") != "Error":
        return None
    message = str(body.get("message", ""))
    for rule, pattern in TMF_RULES:
        if pattern.search(message):
            return rule
    return None


def tmf_positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance; a 400 naming a TMF rule (see ``TMF_RULES``) is correct."""
    try:
        return _verdict(builtin.positive_data_acceptance(ctx, response, case))
    except RejectedPositiveData:
        if _tmf_rule(response) is not None:
            return None
        raise


# RFC 7386 (mandatory for TMF PATCH): `null` in a merge patch removes the member. The MVO schema
# cannot say so (its members are not `nullable`), so a merge patch whose only schema violations
# are `null` members is a valid request, and 200 is the right answer.
MERGE_MEDIA_TYPES = ("application/merge-patch+json", "application/json")


@functools.cache
def _request_validator(path: str, method: str, media_type: str) -> Any:
    operation = _resolved_paths()[path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get(media_type, {}).get("schema")
    if schema is None:
        return None
    try:
        return jsonschema_rs.Draft4Validator(schema, validate_formats=True)
    except ValueError:  # too deep for jsonschema-rs (a recursive TMF schema, inlined)
        return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _valid_merge_patch_with_nulls(case: Any) -> bool:
    media_type = (case.media_type or "").split(";")[0].strip().lower()
    if case.operation.method.upper() != "PATCH" or media_type not in MERGE_MEDIA_TYPES:
        return False
    body = case.body
    stripped = strip_nulls(body)
    if stripped == body:
        return False
    validator = _request_validator(case.operation.path, "patch", media_type)
    return validator is not None and bool(validator.is_valid(stripped))


def tmf_negative_data_rejection(ctx: Any, response: Any, case: Any) -> bool | None:
    """negative_data_rejection; a merge patch is not invalid for its ``null`` members."""
    try:
        return _verdict(builtin.negative_data_rejection(ctx, response, case))
    except AcceptedNegativeData:
        if _valid_merge_patch_with_nulls(case):
            return None
        raise


# Registered by call (not as decorators) so that the module type-checks without schemathesis.
for _check in (
    tmf_response_schema_conformance,
    tmf_positive_data_acceptance,
    tmf_negative_data_rejection,
):
    schemathesis.check(_check)
