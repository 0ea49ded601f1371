"""CREATE input rules: mandatory attributes and mandatory sub-attributes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.conftest import Customers
from tests.conformance.data import MANDATORY_ON_CREATE, SUB_RESOURCES
from tests.conformance.rules import Rule, ensure


@pytest.mark.parametrize("attribute", MANDATORY_ON_CREATE)
@pytest.mark.parametrize("how", ["absent", "null", "blank"])
def test_create_requires_mandatory_attributes(
    customers: Customers, rule: Rule, attribute: str, how: str
) -> None:
    """CREATE without one of @type, name, engagedParty (absent, null or blank) answers 400
    with a TMF Error body, and creates nothing.

    Source: Profile, CREATE Operation Conformance (mandatory attributes @type, engagedParty,
    name); Profile, General Notes ("must be supplied ... and must not be blank or null");
    DECISIONS.md (d).
    """
    body: dict[str, Any] = {
        "@type": "Customer",
        "name": customers.name("invalid"),
        "engagedParty": {"@type": "PartyRef", "id": "6610"},
    }
    if how == "absent":
        del body[attribute]
    else:
        body[attribute] = None if how == "null" else ("" if attribute != "engagedParty" else {})
    response = customers.post(body)
    ensure(response.status_code == 400, rule, f"{attribute} {how}: expected 400", response)
    problems = error_problems(json_or_none(response), 400)
    ensure(not problems, rule, "; ".join(problems), response)


# R17 "Additional Rules" (mapped to v5 names, DECISIONS.md) and the profile's indented rows:
# sub-resource -> attribute that must be supplied when the sub-resource is.
SUB_ATTRIBUTES = [
    ("engagedParty", "id"),
    ("characteristic", "name"),
    ("characteristic", "value"),
    ("contactMedium", "type"),
    ("contactMedium", "characteristic"),
    ("creditProfile", "creditProfileDate"),
    ("creditProfile", "validFor"),
    ("account", "id"),
    ("paymentMethod", "id"),
    ("relatedParty", "role"),
    ("agreement", "@type"),
    ("relatedParty", "@type"),
]


@pytest.mark.parametrize(("parent", "attribute"), SUB_ATTRIBUTES, ids="{0[0]}.{0[1]}".format)
def test_create_requires_mandatory_sub_attributes(
    customers: Customers, rule: Rule, parent: str, attribute: str
) -> None:
    """CREATE with a sub-resource that lacks one of its mandatory attributes answers 400.

    Source: R17, Create customer - Additional Rules (engagedParty: id; characteristic: name,
    value; contactMedium: type, medium; partyAccount: id; creditProfile: creditProfileDate,
    validFor; paymentMean: id) and DECISIONS.md (e), partyAccount and paymentMean rules;
    Profile, Customer Resource Mandatory Attributes (relatedParty.role, @type of sub-resources).
    """
    value = copy.deepcopy(SUB_RESOURCES[parent])
    target = value[0] if isinstance(value, list) else value
    del target[attribute]
    body = {
        "@type": "Customer",
        "name": customers.name("invalid"),
        "engagedParty": {"@type": "PartyRef", "id": "6610"},
        parent: value,
    }
    response = customers.post(body)
    ensure(
        response.status_code == 400, rule, f"{parent} without {attribute}: expected 400", response
    )


def test_create_rejects_another_type(customers: Customers, rule: Rule) -> None:
    """CREATE with an @type that is not Customer (nor a known sub-class) answers 400.

    Source: spec, Customer_FVO discriminator mapping (Customer only); Profile, Customer Resource
    Mandatory Attributes (@type M); TMF v5 polymorphism (@type names the concrete schema).
    """
    body = {
        "@type": "Individual",
        "name": customers.name("invalid"),
        "engagedParty": {"@type": "PartyRef", "id": "6610"},
    }
    response = customers.post(body)
    ensure(response.status_code == 400, rule, "expected 400 for @type Individual", response)
