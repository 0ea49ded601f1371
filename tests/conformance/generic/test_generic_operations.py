"""Generic CREATE, RETRIEVE and DELETE rules, and read-only resources, for every resource."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.generic.conftest import Resources, collection_url, item_url
from tests.conformance.generic.model import ApiSpec
from tests.conformance.rules import Rule, ensure
from tmf629_mock.ir import Resource

UNKNOWN_ID = "conformance-no-such-id-0"


@pytest.mark.kinds("create")
def test_create_answers_201_with_id_href_location(
    resources: Resources, rule: Rule, resource: Resource
) -> None:
    """CREATE with the mandatory attributes (valued from the spec's request-body example)
    answers 201 with the resource, a server-assigned id, an href addressing it and a Location
    header pointing at that href.

    Source: TMF630 REST Design Guidelines, Part 1, POST (201 Created, Location); TMF v5
    Addressable (id, href); spec, create operation of the resource.
    """
    parents = resources.parents(resource, rule)
    body = resources.minimal_body(resource)
    response = resources.post(resource, body, parents)
    ensure(response.status_code == 201, rule, "expected 201 Created", response)
    created = json_or_none(response)
    ensure(isinstance(created, dict), rule, "the body is not a JSON object", response)
    for name in ("id", "href"):
        ensure(
            isinstance(created.get(name), str) and created[name].strip(),
            rule,
            f"'{name}' is missing or blank",
            response,
        )
    ensure(
        urlsplit(created["href"]).path.endswith(item_url(resource, parents, created["id"])),
        rule,
        f"href {created['href']!r} does not address {resource.item_path} with id {created['id']}",
        response,
    )
    location = response.headers.get("location")
    ensure(location is not None, rule, "no Location header", response)
    ensure(
        urlsplit(str(location)).path == urlsplit(created["href"]).path,
        rule,
        f"Location {location!r} is not the href {created['href']!r}",
        response,
    )
    for name, value in body.items():
        ensure(
            created.get(name) is not None,
            rule,
            f"'{name}' sent as {value!r} is missing from the response",
            response,
        )


def test_create_without_mandatory_attribute_is_400(
    resources: Resources, rule: Rule, mandatory: tuple[Resource, str]
) -> None:
    """CREATE without one of the resource's mandatory attributes (the required properties of its
    _FVO schema) answers 400 with a TMF Error body.

    Source: TMF630 REST Design Guidelines, Part 1, POST (mandatory attributes); TMF v5
    conformance profiles, CREATE Operation Conformance; spec, required of the _FVO schema.
    """
    resource, attribute = mandatory
    parents = resources.parents(resource, rule)
    body = resources.minimal_body(resource)
    del body[attribute]
    response = resources.post(resource, body, parents)
    ensure(response.status_code == 400, rule, f"without {attribute}: expected 400", response)
    problems = error_problems(json_or_none(response), 400)
    ensure(not problems, rule, "; ".join(problems), response)


@pytest.mark.kinds("retrieve")
def test_retrieve_answers_200_with_the_resource(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """RETRIEVE of an existing resource answers 200 with that resource (same id and href, and
    an @type).

    Source: TMF630 REST Design Guidelines, Part 1, GET on an entity; TMF v5 Extensible (@type)
    and Addressable (id, href).
    """
    (instance,) = resources.existing(resource, rule)
    response = http.get(instance.url)
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = json_or_none(response)
    ensure(isinstance(body, dict), rule, "the body is not a JSON object", response)
    for name in ("id", "href"):
        ensure(body.get(name) == instance.body.get(name), rule, f"another '{name}'", response)
    ensure(body.get("@type"), rule, "'@type' is missing", response)


@pytest.mark.kinds("retrieve")
def test_retrieve_unknown_id_is_404_with_error(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """RETRIEVE of an id that does not exist answers 404 with a TMF Error body.

    Source: TMF630 REST Design Guidelines, Part 1, error responses (404 Not Found, Error
    representation); spec, Error schema.
    """
    parents = resources.parents(resource, rule) if "create" in _kinds(resource) else {}
    if resource.parent_parameters and not parents:
        parents = {name: UNKNOWN_ID for name in resource.parent_parameters}
    response = http.get(item_url(resource, parents, UNKNOWN_ID))
    ensure(response.status_code == 404, rule, "expected 404", response)
    problems = error_problems(json_or_none(response), 404)
    ensure(not problems, rule, "; ".join(problems), response)


@pytest.mark.kinds("create", "delete")
def test_delete_answers_204_then_404(
    http: httpx.Client, resources: Resources, rule: Rule, resource: Resource
) -> None:
    """DELETE of an existing resource answers 204 with no body; RETRIEVE (or a second DELETE)
    then answers 404.

    Source: TMF630 REST Design Guidelines, Part 1, DELETE (204 No Content); spec, delete
    operation of the resource.
    """
    instance = resources.create(resource, rule)
    response = http.delete(instance.url)
    ensure(response.status_code == 204, rule, "expected 204", response)
    ensure(not response.content, rule, "a 204 has no body", response)
    kinds = _kinds(resource)
    after = http.get(instance.url) if "retrieve" in kinds else http.delete(instance.url)
    ensure(after.status_code == 404, rule, "the deleted resource is still there", response, after)
    problems = error_problems(json_or_none(after), 404)
    ensure(not problems, rule, "; ".join(problems), after)


def test_read_only_resource_refuses_create(
    http: httpx.Client, spec: ApiSpec, rule: Rule, read_only: Resource
) -> None:
    """A read-only resource offers no create, patch or delete operation in the spec, and a POST
    to its collection answers 405 (or 404/501) with a TMF Error body.

    Source: TMF630 REST Design Guidelines, Part 1, 405 Method Not Allowed; TMF v5 conformance
    profiles (operations not in the spec are not offered); spec, paths of the resource.
    """
    kinds = _kinds(read_only)
    ensure(not kinds & {"create", "patch", "delete"}, rule, f"the model offers {sorted(kinds)}")
    if read_only.parent_parameters:
        parents = {name: UNKNOWN_ID for name in read_only.parent_parameters}
    else:
        parents = {}
    body: dict[str, Any] = {"@type": read_only.name}
    response = http.post(collection_url(read_only, parents), json=body)
    ensure(
        response.status_code in (404, 405, 501),
        rule,
        "expected 405 (or 404/501) for a resource without create",
        response,
    )
    problems = error_problems(json_or_none(response), response.status_code)
    ensure(not problems, rule, "; ".join(problems), response)


def _kinds(resource: Resource) -> set[str]:
    return {kind for kind, _ in resource.operations}
