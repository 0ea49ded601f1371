"""Generic LIST rules (count headers, offset/limit paging) and attribute selection (fields)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conformance.checks import json_or_none
from tests.conformance.generic.conftest import Instance, Resources, collection_url
from tests.conformance.generic.model import ALWAYS_RETURNED
from tests.conformance.rules import Rule, ensure
from tmf629_mock.ir import Resource


def _count(response: httpx.Response, header: str) -> int | None:
    value = response.headers.get(header)
    return int(value) if value is not None and value.strip().isdigit() else None


def _scope(instances: list[Instance]) -> dict[str, str]:
    """A filter naming exactly ``instances`` (a sub-resource's parent is fresh: no filter)."""
    if instances[0].parents:
        return {}
    return {"id": ",".join(instance.id for instance in instances)}


@pytest.mark.kinds("list")
def test_list_answers_array_with_count_headers(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """LIST answers 200 (or 206) with a JSON array and the X-Total-Count and X-Result-Count
    headers; X-Result-Count is the number of items returned.

    Source: TMF630 REST Design Guidelines, Part 1, pagination (X-Total-Count,
    X-Result-Count); spec, list operation of the resource (headers of the 200 response).
    """
    (instance,) = resources.existing(resource, rule)
    response = http.get(collection_url(resource, instance.parents))
    ensure(response.status_code in (200, 206), rule, "expected 200 or 206", response)
    body = json_or_none(response)
    ensure(isinstance(body, list), rule, "the body is not a JSON array", response)
    for header in ("X-Total-Count", "X-Result-Count"):
        ensure(_count(response, header) is not None, rule, f"no numeric {header}", response)
    ensure(
        _count(response, "X-Result-Count") == len(body),
        rule,
        f"X-Result-Count is not the {len(body)} items returned",
        response,
    )
    ensure(
        instance.id in {str(item.get("id")) for item in body if isinstance(item, dict)},
        rule,
        f"{resource.name} {instance.id} is not listed",
        response,
    )


@pytest.mark.kinds("list")
def test_list_paging_206_partial_then_200_complete(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """LIST with limit=1 over 2 matches answers 206 Partial Content with one item, X-Result-Count
    1 and X-Total-Count 2; offset=1 returns the other one; a limit covering both answers 200.

    Source: TMF630 REST Design Guidelines, Part 1, pagination (offset, limit, 206 Partial
    Content, X-Total-Count, X-Result-Count).
    """
    instances = resources.existing(resource, rule, count=2)
    url, scope = collection_url(resource, instances[0].parents), _scope(instances)
    first = http.get(url, params={**scope, "offset": "0", "limit": "1"})
    ensure(first.status_code == 206, rule, "expected 206 Partial Content", first)
    ensure(len(first.json()) == 1, rule, "limit=1 must return one item", first)
    ensure(_count(first, "X-Result-Count") == 1, rule, "X-Result-Count must be 1", first)
    ensure(_count(first, "X-Total-Count") == 2, rule, "X-Total-Count must be 2", first)
    second = http.get(url, params={**scope, "offset": "1", "limit": "1"})
    ensure(second.status_code in (200, 206), rule, "expected 200 or 206", second)
    seen = {str(item.get("id")) for item in first.json() + second.json()}
    ensure(
        seen == {instance.id for instance in instances},
        rule,
        f"offset 0 and 1 returned {sorted(seen)}, not both resources once",
        first,
        second,
    )
    complete = http.get(url, params={**scope, "offset": "0", "limit": "2"})
    ensure(complete.status_code == 200, rule, "expected 200 for a complete result", complete)
    for header in ("X-Result-Count", "X-Total-Count"):
        ensure(_count(complete, header) == 2, rule, f"{header} must be 2", complete)


def _selected(instance: Instance) -> str:
    """An attribute of ``instance`` other than id, href and @type."""
    names = [n for n in instance.resource.mandatory_on_create if n not in ALWAYS_RETURNED]
    names += sorted(n for n in instance.body if n not in ALWAYS_RETURNED)
    names = [n for n in names if instance.body.get(n) is not None]
    if not names:
        pytest.skip(f"{instance.resource.name} {instance.id} has no attribute to select")
    return names[0]


def _fields_problems(item: Any, selected: str) -> list[str]:
    if not isinstance(item, dict):
        return ["an item is not a JSON object"]
    problems = [f"'{name}' is missing" for name in (*ALWAYS_RETURNED, selected) if name not in item]
    extra = sorted(set(item) - {*ALWAYS_RETURNED, selected})
    return problems + ([f"not selected but returned: {extra}"] if extra else [])


@pytest.mark.kinds("list")
def test_list_with_fields_returns_selected_and_identity(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """LIST with fields=<attribute> returns, for each item, that attribute plus id, href and
    @type, and nothing else.

    Source: TMF630 REST Design Guidelines, Part 1, attribute selection (fields; id, href and
    @type are always returned).
    """
    (instance,) = resources.existing(resource, rule)
    selected = _selected(instance)
    params = {**_scope([instance]), "fields": selected}
    response = http.get(collection_url(resource, instance.parents), params=params)
    ensure(response.status_code in (200, 206), rule, "expected 200 or 206", response)
    items = json_or_none(response)
    ensure(isinstance(items, list) and items, rule, "expected a non-empty array", response)
    for item in items:
        problems = _fields_problems(item, selected)
        ensure(not problems, rule, "; ".join(problems), response)


@pytest.mark.kinds("retrieve")
def test_retrieve_with_fields_returns_selected_and_identity(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """RETRIEVE with fields=<attribute> returns that attribute plus id, href and @type, and
    nothing else.

    Source: TMF630 REST Design Guidelines, Part 1, attribute selection (fields; id, href and
    @type are always returned).
    """
    (instance,) = resources.existing(resource, rule)
    selected = _selected(instance)
    response = http.get(instance.url, params={"fields": selected})
    ensure(response.status_code == 200, rule, "expected 200", response)
    problems = _fields_problems(json_or_none(response), selected)
    ensure(not problems, rule, "; ".join(problems), response)
