"""Generic PATCH rules: merge patch of a patchable attribute, non-patchable attributes refused,
JSON Patch when the spec offers it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.generic.conftest import Instance, Resources
from tests.conformance.generic.model import JSON_PATCH, MERGE_PATCH, ApiSpec
from tests.conformance.rules import Rule, ensure
from tmf629_mock.ir import Resource


def same(sent: Any, got: Any) -> bool:
    """``got`` holds everything of ``sent`` (the server may add ids to contained entities)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(same(v, got.get(k)) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(got, list) and len(sent) == len(got) and all(map(same, sent, got))
    return bool(sent == got)


def _patch_value(spec: ApiSpec, instance: Instance) -> tuple[str, Any]:
    found = spec.patch_value(instance.resource, instance.body)
    if found is None:
        pytest.skip(
            f"no example in the spec gives a patchable attribute of {instance.resource.name} "
            "a new value"
        )
    return found


def _check_patched(
    http: httpx.Client,
    rule: Rule,
    instance: Instance,
    response: httpx.Response,
    attribute: str,
    value: Any,
) -> None:
    ensure(response.status_code == 200, rule, f"patching {attribute}: expected 200", response)
    ensure(
        same(value, (json_or_none(response) or {}).get(attribute)),
        rule,
        f"the response does not hold the new {attribute}",
        response,
    )
    retrieved = http.get(instance.url)
    ensure(
        same(value, (json_or_none(retrieved) or {}).get(attribute)),
        rule,
        f"the retrieved {instance.resource.name} does not hold the new {attribute}",
        response,
        retrieved,
    )


@pytest.mark.kinds("create", "patch", "retrieve")
def test_merge_patch_of_patchable_attribute(
    http: httpx.Client, spec: ApiSpec, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """A JSON Merge Patch of a patchable attribute (value from the spec's examples) answers 200
    with the new value, and RETRIEVE then returns it.

    Source: TMF630 REST Design Guidelines, Part 1, PATCH (JSON Merge Patch, RFC 7386, is
    mandatory); TMF v5 conformance profiles, PATCH Operation Conformance (patchable attributes:
    the _MVO schema's).
    """
    instance = resources.create(resource, rule)
    attribute, value = _patch_value(spec, instance)
    response = http.patch(
        instance.url, json={attribute: value}, headers={"Content-Type": MERGE_PATCH}
    )
    _check_patched(http, rule, instance, response, attribute, value)


def test_non_patchable_attribute_is_rejected(
    http: httpx.Client,
    spec: ApiSpec,
    resources: Resources,
    rule: Rule,
    non_patchable: tuple[Resource, str],
) -> None:
    """A merge patch changing a non-patchable attribute answers 400 with a TMF Error body, and
    the resource is unchanged.

    Source: TMF v5 conformance profiles, PATCH Operation Conformance (non-patchable attributes:
    id, href, @type and those absent from the _MVO schema); TMF630 REST Design Guidelines,
    Part 1, PATCH.
    """
    resource, attribute = non_patchable
    instance = resources.create(resource, rule)
    current = instance.body.get(attribute)
    new = spec.changed_value(resource, attribute, current)
    if new is None:
        pytest.skip(f"no other value for {resource.name}.{attribute} ({current!r})")
    response = http.patch(
        instance.url, json={attribute: new}, headers={"Content-Type": MERGE_PATCH}
    )
    ensure(response.status_code == 400, rule, f"patching {attribute}: expected 400", response)
    problems = error_problems(json_or_none(response), 400)
    ensure(not problems, rule, "; ".join(problems), response)
    after = http.get(instance.url)
    ensure(
        after.status_code == 200 and (json_or_none(after) or {}).get(attribute) == current,
        rule,
        f"{attribute} changed although the patch was rejected",
        response,
        after,
    )


@pytest.mark.kinds("create", "patch", "retrieve")
def test_json_patch_when_offered(
    http: httpx.Client, spec: ApiSpec, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """When the spec offers application/json-patch+json, a JSON Patch adding a patchable
    attribute answers 200 with the new value, and RETRIEVE then returns it.

    Source: TMF630 REST Design Guidelines, Part 1, PATCH (JSON Patch, RFC 6902, optional);
    spec, request media types of the patch operation; RFC 6902 section 4.1 (add).
    """
    if JSON_PATCH not in resource.patch_media_types:
        pytest.skip(f"the spec does not offer {JSON_PATCH} for {resource.name}")
    instance = resources.create(resource, rule)
    attribute, value = _patch_value(spec, instance)
    operations = [{"op": "add", "path": f"/{attribute}", "value": value}]
    response = http.patch(instance.url, json=operations, headers={"Content-Type": JSON_PATCH})
    _check_patched(http, rule, instance, response, attribute, value)
