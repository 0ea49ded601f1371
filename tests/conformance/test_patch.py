"""PATCH: patchable and non-patchable attributes, JSON Merge Patch and JSON Patch."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.conftest import Customers
from tests.conformance.data import NON_PATCHABLE, PATCH_VALUES, PATCHABLE, full_customer
from tests.conformance.rules import Rule, ensure

MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}


def _same(sent: Any, got: Any) -> bool:
    """``got`` holds everything of ``sent`` (the server may add ids to contained entities)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(_same(v, got.get(k)) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(got, list) and len(sent) == len(got) and all(map(_same, sent, got))
    return bool(sent == got)


@pytest.fixture
def customer(customers: Customers) -> dict[str, Any]:
    response = customers.post(full_customer(customers.name()))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.mark.parametrize("attribute", PATCHABLE)
def test_patchable_attribute_can_be_patched(
    http: httpx.Client,
    customers: Customers,
    customer: dict[str, Any],
    rule: Rule,
    attribute: str,
) -> None:
    """A merge patch of a patchable attribute answers 200 and the new value is returned, and
    retrieved afterwards.

    Source: Profile, PATCH Operation Conformance - Patchable Attributes (account, agreement,
    contactMedium, creditProfile, engagedParty, name, paymentMethod, relatedParty, status,
    statusReason, validFor); R17, Patch customer (JSON Merge Patch support is mandatory).
    """
    value = copy.deepcopy(PATCH_VALUES[attribute]) or customers.name("renamed")
    response = http.patch(f"/customer/{customer['id']}", json={attribute: value}, headers=MERGE)
    ensure(response.status_code == 200, rule, f"patching {attribute}: expected 200", response)
    ensure(
        _same(value, response.json().get(attribute)),
        rule,
        f"the response does not hold the new {attribute}",
        response,
    )
    retrieved = http.get(f"/customer/{customer['id']}")
    ensure(
        _same(value, retrieved.json().get(attribute)),
        rule,
        f"the retrieved customer does not hold the new {attribute}",
        response,
        retrieved,
    )


@pytest.mark.parametrize("attribute", NON_PATCHABLE)
def test_non_patchable_attribute_is_rejected(
    http: httpx.Client, customer: dict[str, Any], rule: Rule, attribute: str
) -> None:
    """A merge patch changing id, href or @type is rejected with 400 and a TMF Error body, and
    the Customer is unchanged.

    Source: Profile, PATCH Operation Conformance - Non Patchable Attributes (@type, href, id);
    DECISIONS.md (b).
    """
    new = {"id": "changed-id", "href": "https://example.com/customer/x", "@type": "Individual"}
    response = http.patch(
        f"/customer/{customer['id']}", json={attribute: new[attribute]}, headers=MERGE
    )
    ensure(response.status_code == 400, rule, f"patching {attribute}: expected 400", response)
    problems = error_problems(json_or_none(response), 400)
    ensure(not problems, rule, "; ".join(problems), response)
    after = http.get(f"/customer/{customer['id']}")
    ensure(
        after.status_code == 200 and after.json().get(attribute) == customer[attribute],
        rule,
        f"{attribute} changed although the patch was rejected",
        response,
        after,
    )


def test_merge_patch_null_removes_an_attribute(
    http: httpx.Client, customer: dict[str, Any], rule: Rule
) -> None:
    """In a JSON Merge Patch, null removes the attribute (statusReason: null); other attributes
    are left alone.

    Source: R17, Patch customer (JSON Merge Patch, RFC 7386, is mandatory); RFC 7386 section 2.
    """
    response = http.patch(f"/customer/{customer['id']}", json={"statusReason": None}, headers=MERGE)
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    ensure("statusReason" not in body, rule, "statusReason was not removed", response)
    ensure(body.get("status") == customer["status"], rule, "status was changed", response)


def test_merge_patch_result_is_retrieved(
    http: httpx.Client, customers: Customers, customer: dict[str, Any], rule: Rule
) -> None:
    """The representation a PATCH returns is the one a later RETRIEVE returns.

    Source: Profile, PATCH Operation Conformance (response payload "a Customer resource
    entity"); R17, Patch customer (response sample is the whole updated Customer).
    """
    patch = {"name": customers.name("merged"), "status": "Pending"}
    response = http.patch(f"/customer/{customer['id']}", json=patch, headers=MERGE)
    ensure(response.status_code == 200, rule, "expected 200", response)
    retrieved = http.get(f"/customer/{customer['id']}")
    ensure(
        retrieved.json() == response.json(),
        rule,
        "PATCH returned a different representation than RETRIEVE",
        response,
        retrieved,
    )


def test_patch_sub_resource_obeys_create_rules(
    http: httpx.Client, customer: dict[str, Any], rule: Rule
) -> None:
    """A patch that adds a relatedParty without its mandatory role is rejected with 400 and the
    Customer is unchanged.

    Source: R17, Patch customer ("If the update operation yields to the creation of
    sub-resources or relationships, the same rules concerning mandatory sub-resource attributes
    ... in the POST operation applies"); Profile, relatedParty.role M.
    """
    related = [{"@type": "RelatedPartyRef", "id": "4806", "name": "No Role"}]
    response = http.patch(
        f"/customer/{customer['id']}", json={"relatedParty": related}, headers=MERGE
    )
    ensure(response.status_code == 400, rule, "expected 400", response)
    after = http.get(f"/customer/{customer['id']}")
    ensure(
        after.json().get("relatedParty") == customer["relatedParty"],
        rule,
        "relatedParty changed although the patch was rejected",
        response,
        after,
    )


def _json_patch(
    http: httpx.Client, ident: str, operations: list[dict[str, Any]], optional: bool
) -> httpx.Response:
    """JSON Patch is optional in R17, but our own server offers it: a 415 from it is a failure."""
    response = http.patch(f"/customer/{ident}", json=operations, headers=JSON_PATCH)
    if response.status_code == 415 and optional:
        pytest.skip(
            "JSON Patch (application/json-patch+json) is not supported (415): it is optional "
            "(R17, Patch customer)"
        )
    return response


def test_json_patch_replace_and_add(
    http: httpx.Client,
    customers: Customers,
    customer: dict[str, Any],
    rule: Rule,
    external_server: bool,
) -> None:
    """JSON Patch (when supported): replace /name and add /contactMedium/- answer 200 with the
    changes applied.

    Source: R17, Patch customer ("support of json/patch ... is optional"); RFC 6902 sections
    4.1 (add) and 4.3 (replace).
    """
    name = customers.name("json-patched")
    medium = copy.deepcopy(PATCH_VALUES["contactMedium"][0])
    operations = [
        {"op": "replace", "path": "/name", "value": name},
        {"op": "add", "path": "/contactMedium/-", "value": medium},
    ]
    response = _json_patch(http, customer["id"], operations, external_server)
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    ensure(body.get("name") == name, rule, "/name was not replaced", response)
    media = body.get("contactMedium") or []
    ensure(
        len(media) == len(customer["contactMedium"]) + 1 and _same(medium, media[-1]),
        rule,
        "the contact medium was not appended",
        response,
    )


def test_json_patch_failed_test_changes_nothing(
    http: httpx.Client, customer: dict[str, Any], rule: Rule, external_server: bool
) -> None:
    """JSON Patch (when supported) whose "test" operation fails is rejected (4xx) and applies
    none of its operations.

    Source: R17, Patch customer (json/patch optional); RFC 6902 section 5 ("If a normative
    requirement is violated ... evaluation ... MUST terminate and application of the entire
    patch document SHALL NOT be deemed successful").
    """
    operations = [
        {"op": "replace", "path": "/status", "value": "Suspended"},
        {"op": "test", "path": "/name", "value": "certainly not the name"},
    ]
    response = _json_patch(http, customer["id"], operations, external_server)
    ensure(400 <= response.status_code < 500, rule, "expected a 4xx answer", response)
    after = http.get(f"/customer/{customer['id']}")
    ensure(
        after.json().get("status") == customer["status"],
        rule,
        "the status was changed by a failed patch",
        response,
        after,
    )
