"""Paging on LIST: offset, limit, X-Total-Count, X-Result-Count, 206 Partial Content."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conformance.conftest import Customers
from tests.conformance.rules import Rule, ensure


@pytest.fixture
def page_set(customers: Customers) -> str:
    """Three customers; yields the OR-list filter naming them."""
    names = []
    for _ in range(3):
        created = customers.post(
            {
                "@type": "Customer",
                "name": customers.name("p"),
                "engagedParty": {"@type": "PartyRef", "id": "6610"},
            }
        )
        assert created.status_code == 201, created.text
        names.append(created.json()["name"])
    return ",".join(names)


def _count(response: httpx.Response, header: str) -> int | None:
    value = response.headers.get(header)
    return int(value) if value is not None and value.strip().isdigit() else None


def test_partial_page_is_206_with_counts(http: httpx.Client, page_set: str, rule: Rule) -> None:
    """LIST with limit=1 over 3 matches returns 1 Customer with 206 Partial Content,
    X-Result-Count: 1 and X-Total-Count: 3.

    Source: Profile, LIST Operation Conformance (Parameters offset, limit; reply headers
    X-Total-Count, X-Result-Count); spec, listCustomer 206 ("only part of the matching
    collection is returned"); TMF REST Design Guidelines, pagination.
    """
    response = http.get("/customer", params={"name": page_set, "limit": "1"})
    ensure(response.status_code == 206, rule, "expected 206 Partial Content", response)
    ensure(len(response.json()) == 1, rule, "limit=1 must return one item", response)
    ensure(_count(response, "X-Result-Count") == 1, rule, "X-Result-Count must be 1", response)
    ensure(_count(response, "X-Total-Count") == 3, rule, "X-Total-Count must be 3", response)


def test_complete_page_is_200_with_counts(http: httpx.Client, page_set: str, rule: Rule) -> None:
    """LIST returning every match answers 200 with X-Result-Count = X-Total-Count = 3.

    Source: Profile, LIST Operation Conformance (200 if successful; X-Total-Count,
    X-Result-Count); TMF REST Design Guidelines, pagination.
    """
    response = http.get("/customer", params={"name": page_set, "limit": "10"})
    ensure(response.status_code == 200, rule, "expected 200 for a complete result", response)
    ensure(len(response.json()) == 3, rule, "expected the 3 customers", response)
    for header in ("X-Result-Count", "X-Total-Count"):
        ensure(_count(response, header) == 3, rule, f"{header} must be 3", response)


def test_offset_pages_through_the_collection(http: httpx.Client, page_set: str, rule: Rule) -> None:
    """offset/limit pages cover the collection once: offset=0,1,2 with limit=1 return the three
    Customers, each once; offset=3 returns an empty page.

    Source: Profile, LIST Operation Conformance (Parameters offset, limit); TMF REST Design
    Guidelines, pagination.
    """
    seen: list[Any] = []
    responses = []
    for offset in range(3):
        response = http.get("/customer", params={"name": page_set, "offset": offset, "limit": 1})
        responses.append(response)
        ensure(response.status_code in (200, 206), rule, "expected 200 or 206", response)
        seen += [item.get("id") for item in response.json()]
    ensure(
        len(seen) == 3 and len(set(seen)) == 3,
        rule,
        f"pages returned {seen}, not the three customers once each",
        *responses,
    )
    last = http.get("/customer", params={"name": page_set, "offset": 3, "limit": 1})
    ensure(
        last.status_code in (200, 206) and last.json() == [],
        rule,
        "offset past the end must return an empty page",
        last,
    )
