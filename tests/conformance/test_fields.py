"""Attribute selection (``fields``) on RETRIEVE and LIST."""

from __future__ import annotations

import httpx

from tests.conformance.checks import ALWAYS_RETURNED
from tests.conformance.conftest import Customers
from tests.conformance.data import full_customer
from tests.conformance.rules import Rule, ensure


def _extra(item: dict[str, object], selected: set[str]) -> list[str]:
    return sorted(set(item) - selected - set(ALWAYS_RETURNED))


def test_retrieve_with_fields_returns_only_selected(
    http: httpx.Client, customers: Customers, rule: Rule
) -> None:
    """RETRIEVE with fields=name,status returns those attributes and no other (id, href and
    @type excepted).

    Source: Profile, RETRIEVE - Definitions for Filter ("Attribute selection ... Only those
    attributes whose names are supplied in this parameter will be returned"); R17, Retrieve
    customer ("Attribute selection is enabled for all first level attributes").
    """
    created = customers.post(full_customer(customers.name()))
    ensure(created.status_code == 201, rule, "create did not answer 201", created)
    ident = created.json()["id"]
    response = http.get(f"/customer/{ident}", params={"fields": "name,status"})
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    ensure(
        body.get("name") == created.json()["name"] and body.get("status") == "Active",
        rule,
        "the selected attributes are not returned",
        response,
    )
    extra = _extra(body, {"name", "status"})
    ensure(not extra, rule, f"attributes not selected were returned: {extra}", response)


def test_list_with_fields_returns_only_selected(
    http: httpx.Client, customers: Customers, rule: Rule
) -> None:
    """LIST with fields=name returns, for every Customer, name and no other attribute (id, href
    and @type excepted).

    Source: Profile, LIST Operation Conformance ("Attribute selection is enabled for all first
    level attributes"; "capabilities are the same for collections retrieval and individual
    resource queries"); R17, List customers.
    """
    created = customers.post(full_customer(customers.name()))
    ensure(created.status_code == 201, rule, "create did not answer 201", created)
    response = http.get("/customer", params={"fields": "name", "id": created.json()["id"]})
    ensure(response.status_code == 200, rule, "expected 200", response)
    items = response.json()
    ensure(len(items) == 1, rule, "expected exactly the created customer", response)
    ensure(items[0].get("name") == created.json()["name"], rule, "name not returned", response)
    extra = _extra(items[0], {"name"})
    ensure(not extra, rule, f"attributes not selected were returned: {extra}", response)


def test_fields_selects_every_first_level_attribute(
    http: httpx.Client, customers: Customers, rule: Rule
) -> None:
    """Any first-level attribute can be selected: fields=contactMedium,creditProfile returns them
    whole.

    Source: R17, Retrieve customer and List customers ("Attribute selection is enabled for all
    first level attributes").
    """
    created = customers.post(full_customer(customers.name()))
    ensure(created.status_code == 201, rule, "create did not answer 201", created)
    ident = created.json()["id"]
    response = http.get(f"/customer/{ident}", params={"fields": "contactMedium,creditProfile"})
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    for name in ("contactMedium", "creditProfile"):
        ensure(body.get(name) == created.json()[name], rule, f"{name} not returned whole", response)
    extra = _extra(body, {"contactMedium", "creditProfile"})
    ensure(not extra, rule, f"attributes not selected were returned: {extra}", response)


def test_create_and_patch_honour_fields(
    http: httpx.Client, customers: Customers, rule: Rule
) -> None:
    """CREATE and PATCH accept the fields parameter: the response holds the selected attributes
    (id, href and @type excepted) and no other, while the whole resource is created / patched.

    Source: Profile, CREATE and PATCH Operation Conformance (request Parameters: fields);
    Profile, Definitions for Filter (attribute selection).
    """
    created = customers.post(full_customer(customers.name()), params={"fields": "name"})
    ensure(created.status_code == 201, rule, "expected 201", created)
    extra = _extra(created.json(), {"name"})
    ensure(not extra, rule, f"attributes not selected were returned: {extra}", created)
    ident = created.json()["id"]
    patched = http.patch(
        f"/customer/{ident}",
        params={"fields": "status"},
        json={"status": "Pending"},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    ensure(patched.status_code == 200, rule, "expected 200", patched)
    ensure(patched.json().get("status") == "Pending", rule, "status not returned", patched)
    extra = _extra(patched.json(), {"status"})
    ensure(not extra, rule, f"attributes not selected were returned: {extra}", patched)
    whole = http.get(f"/customer/{ident}")
    ensure(
        whole.json().get("contactMedium") and whole.json().get("status") == "Pending",
        rule,
        "the customer was not created / patched whole",
        created,
        patched,
        whole,
    )
