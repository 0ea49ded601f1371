"""Filtering on LIST: equality, AND, dotted paths, OR lists and operators.

Every query includes ``name=<the names this test created>`` (an OR list) or an id, so that the
results do not depend on other data on the server.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conformance.conftest import Customers
from tests.conformance.data import PERIOD
from tests.conformance.rules import Rule, ensure


@pytest.fixture
def trio(customers: Customers) -> list[dict[str, Any]]:
    """Three customers with distinct status, credit score, contact medium and party."""
    specs = [
        ("Active", 650, "EmailAddress", "p-a"),
        ("Suspended", 700, "TelephoneNumber", "p-b"),
        ("Active", 810, "PostalAddress", "p-c"),
    ]
    made: list[dict[str, Any]] = []
    for status, score, medium, party in specs:
        body = {
            "@type": "Customer",
            "name": customers.name("f"),
            "status": status,
            "engagedParty": {"@type": "PartyRef", "id": f"{customers.token}-{party}"},
            "contactMedium": [
                {
                    "@type": "ContactMedium",
                    "type": medium,
                    "characteristic": {"@type": "MediumCharacteristic", "city": "Lyon"},
                }
            ],
            "creditProfile": [
                {
                    "@type": "CreditProfile",
                    "creditProfileDate": "2024-03-27T00:00:00Z",
                    "creditScore": score,
                    "validFor": PERIOD,
                }
            ],
        }
        response = customers.post(body)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def _names(trio: list[dict[str, Any]]) -> str:
    return ",".join(item["name"] for item in trio)


def _listed(
    http: httpx.Client, rule: Rule, params: dict[str, str]
) -> tuple[httpx.Response, list[str]]:
    response = http.get("/customer", params=params)
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    ensure(isinstance(body, list), rule, "the body is not an array", response)
    return response, sorted(str(item.get("name")) for item in body)


def _expect(
    http: httpx.Client, rule: Rule, params: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    response, names = _listed(http, rule, params)
    wanted = sorted(item["name"] for item in expected)
    ensure(names == wanted, rule, f"expected exactly {wanted}, got {names}", response)


def test_filter_equality(http: httpx.Client, trio: list[dict[str, Any]], rule: Rule) -> None:
    """attr=value lists exactly the Customers whose first-level attribute equals the value.

    Source: Profile, LIST - Definitions for Filter ("Filtered Search ... only the resources that
    meet the criteria"); R17, List customers (GET /customer?{filtering}; TMF REST Design
    Guidelines).
    """
    _expect(http, rule, {"name": trio[1]["name"]}, [trio[1]])


def test_filter_criteria_are_anded(
    http: httpx.Client, trio: list[dict[str, Any]], rule: Rule
) -> None:
    """Several criteria combine with a logical AND (name=<the three>&status=Active).

    Source: Profile, LIST - Definitions for Filter ("a logical AND is applied to combine the
    criteria (e.g. severity=<value>&status=<value>)").
    """
    _expect(http, rule, {"name": _names(trio), "status": "Active"}, [trio[0], trio[2]])


def test_filter_or_list(http: httpx.Client, trio: list[dict[str, Any]], rule: Rule) -> None:
    """attr=a,b lists the Customers whose attribute equals any of the values (OR).

    Source: TMF REST Design Guidelines, filtering (comma-separated values are ORed), referenced
    by R17 API Operations ("Filtering and attribute selection rules are described in the TMF
    REST Design Guidelines").
    """
    _expect(http, rule, {"name": f"{trio[0]['name']},{trio[2]['name']}"}, [trio[0], trio[2]])


def test_filter_dotted_path(http: httpx.Client, trio: list[dict[str, Any]], rule: Rule) -> None:
    """A dotted path filters on sub-resource attributes: engagedParty.id=..., and through arrays
    contactMedium.type=... (any element matches).

    Source: Profile, Definitions for Filter ("Level: The filtering ... can apply to the top
    level properties (attributes) and subproperties"); R17, Retrieve customer ("Filtering on
    sub-resources").
    """
    _expect(http, rule, {"engagedParty.id": trio[2]["engagedParty"]["id"]}, [trio[2]])
    _expect(http, rule, {"name": _names(trio), "contactMedium.type": "TelephoneNumber"}, [trio[1]])


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("eq", "700", [1]),
        ("ne", "700", [0, 2]),
        ("gt", "700", [2]),
        ("gte", "700", [1, 2]),
        ("lt", "700", [0]),
        ("lte", "700", [0, 1]),
    ],
)
def test_filter_operators(
    http: httpx.Client,
    trio: list[dict[str, Any]],
    rule: Rule,
    operator: str,
    value: str,
    expected: list[int],
) -> None:
    """attr.<op>=value with op in eq, ne, gt, gte, lt, lte compares numbers
    (creditProfile.creditScore over 650, 700, 810).

    Source: TMF REST Design Guidelines, filtering operators (.eq .ne .gt .gte .lt .lte),
    referenced by R17 API Operations; Profile, Definitions for Filter (subproperties).
    """
    params = {"name": _names(trio), f"creditProfile.creditScore.{operator}": value}
    _expect(http, rule, params, [trio[index] for index in expected])


def test_filter_operator_on_status(
    http: httpx.Client, trio: list[dict[str, Any]], rule: Rule
) -> None:
    """Operators apply to strings too: status.ne=Active lists the other Customers.

    Source: TMF REST Design Guidelines, filtering operators, referenced by R17 API Operations.
    """
    _expect(http, rule, {"name": _names(trio), "status.ne": "Active"}, [trio[1]])
