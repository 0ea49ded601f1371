"""Fixtures of the generic suite: the API model, per-resource parametrisation, created resources.

``pytest tests/conformance/generic --spec PATH [--url API_ROOT]`` checks the TMF v5 rules on
every resource of the API in ``PATH``. Tests are parametrised by the arguments they take:

* ``resource``: every resource offering the operations the test's ``kinds`` marker names
  (``@pytest.mark.kinds("create")``; default: any resource);
* ``read_only``: every read-only resource;
* ``mandatory``: (resource, attribute) for each mandatory-on-create attribute;
* ``non_patchable``: (resource, attribute) for each non-patchable attribute of a patchable
  resource.

Everything created is deleted when the test ends (children before their parents).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conformance.conftest import api_spec
from tests.conformance.generic.model import ApiSpec
from tests.conformance.rules import Rule, ensure
from tmf629_mock.ir import Resource


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "kinds(*kinds): resources offering these operations (generic suite)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    spec = api_spec(metafunc.config)
    marker = metafunc.definition.get_closest_marker("kinds")
    kinds: tuple[str, ...] = tuple(marker.args) if marker else ()
    if "resource" in metafunc.fixturenames:
        chosen = spec.with_kind(*kinds)
        what = f"no resource offers {' and '.join(kinds)}" if kinds else "no resource"
        _parametrize(metafunc, "resource", chosen, [r.name for r in chosen], what)
    if "read_only" in metafunc.fixturenames:
        chosen = spec.read_only()
        _parametrize(
            metafunc, "read_only", chosen, [r.name for r in chosen], "no read-only resource"
        )
    if "mandatory" in metafunc.fixturenames:
        pairs = [(r, m) for r in spec.with_kind("create") for m in r.mandatory_on_create]
        ids = [f"{r.name}.{m}" for r, m in pairs]
        _parametrize(metafunc, "mandatory", pairs, ids, "no mandatory attribute on create")
    if "non_patchable" in metafunc.fixturenames:
        creatable = spec.with_kind("create", "retrieve", "patch")
        pairs = [(r, m) for r in creatable for m in r.non_patchable]
        ids = [f"{r.name}.{m}" for r, m in pairs]
        _parametrize(metafunc, "non_patchable", pairs, ids, "no non-patchable attribute")


def _parametrize(
    metafunc: pytest.Metafunc, name: str, values: list[Any], ids: list[str], missing: str
) -> None:
    if values:
        metafunc.parametrize(name, values, ids=ids)
    else:
        skip = pytest.mark.skip(
            reason=f"{metafunc.config.getoption('--spec', None) or 'TMF629'}: {missing} in the API"
        )
        metafunc.parametrize(name, [pytest.param(None, marks=skip, id="none")])


@pytest.fixture(scope="session")
def spec(pytestconfig: pytest.Config) -> ApiSpec:
    return api_spec(pytestconfig)


@dataclass
class Instance:
    """A resource on the server: its representation and where it lives."""

    resource: Resource
    body: dict[str, Any]
    parents: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.body.get("id"))

    @property
    def url(self) -> str:
        return item_url(self.resource, self.parents, self.id)


def collection_url(resource: Resource, parents: dict[str, str]) -> str:
    return resource.path.format(**parents)


def item_url(resource: Resource, parents: dict[str, str], ident: str) -> str:
    template = resource.item_path or f"{resource.path}/{{{resource.id_parameter or 'id'}}}"
    return template.format(**{**parents, resource.id_parameter or "id": ident})


class Resources:
    """Creates resources (their parents first) and deletes them afterwards."""

    def __init__(self, http: httpx.Client, spec: ApiSpec) -> None:
        self.http = http
        self.spec = spec
        self.created: list[str] = []

    def post(
        self, resource: Resource, body: Any, parents: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST to the collection; a 201's item URL is remembered for deletion."""
        parents = parents or {}
        response = self.http.post(collection_url(resource, parents), json=body)
        if response.status_code == 201:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.created.append(item_url(resource, parents, str(response.json()["id"])))
        return response

    def minimal_body(self, resource: Resource) -> dict[str, Any]:
        body = self.spec.minimal_body(resource)
        if body is None:
            pytest.skip(
                f"no request-body example of {resource.name}'s create operation holds every "
                f"mandatory attribute {list(resource.mandatory_on_create)}: no body to send"
            )
        return body

    def parents(self, resource: Resource, rule: Rule) -> dict[str, str]:
        """Create the parents of a sub-resource; their ids by path parameter."""
        ids: dict[str, str] = {}
        for parameter in resource.parent_parameters:
            parent = self.spec.parent(resource, parameter)
            if parent is None or parent.parent_parameters != tuple(ids):
                pytest.skip(f"{resource.name}: no creatable parent resource for {{{parameter}}}")
            ids[parameter] = self.create(parent, rule, parents=dict(ids)).id
        return ids

    def create(
        self, resource: Resource, rule: Rule, *, parents: dict[str, str] | None = None
    ) -> Instance:
        """A resource created with its minimal body; fails the test otherwise."""
        if parents is None:
            parents = self.parents(resource, rule)
        if "create" not in {kind for kind, _ in resource.operations}:
            pytest.skip(f"{resource.name} offers no create operation")
        response = self.post(resource, self.minimal_body(resource), parents)
        ensure(
            response.status_code == 201,
            rule,
            f"creating a {resource.name} (a precondition) answered {response.status_code}, not 201",
            response,
        )
        return Instance(resource, response.json(), parents)

    def existing(self, resource: Resource, rule: Rule, count: int = 1) -> list[Instance]:
        """``count`` instances: created when the resource can be created, else listed (a
        read-only resource's data: seeded from the spec's examples when the suite started the
        server); skips when there are not enough."""
        if "create" in {kind for kind, _ in resource.operations}:
            parents = self.parents(resource, rule)
            return [self.create(resource, rule, parents=parents) for _ in range(count)]
        if resource.parent_parameters:
            pytest.skip(f"{resource.name}: read-only sub-resource, no parent to list it under")
        response = self.http.get(resource.path, params={"limit": str(max(count, 10))})
        ensure(response.status_code in (200, 206), rule, "listing failed", response)
        items = [item for item in response.json() if isinstance(item, dict)]
        if len(items) < count:
            pytest.skip(
                f"{resource.name} is read-only and the server holds {len(items)} of them, "
                f"{count} needed (seed it, e.g. tmf629-mock --seed)"
            )
        return [Instance(resource, item) for item in items[:count]]

    def cleanup(self) -> None:
        for url in reversed(self.created):
            with contextlib.suppress(httpx.HTTPError):
                self.http.delete(url)
        self.created.clear()


@pytest.fixture
def resources(http: httpx.Client, spec: ApiSpec) -> Iterator[Resources]:
    registry = Resources(http, spec)
    try:
        yield registry
    finally:
        registry.cleanup()
