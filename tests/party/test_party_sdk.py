"""Any TMF v5 API: the party spec's generated SDK against the generic mock server.

Every resource of ``tests/specs/party`` gets the TMF rules through the same generic modules:
create (mandatory attributes, ``@type``), retrieve, list with ``fields``, filters, sort and
paging, merge patch and JSON Patch, delete, a sub-resource under its parent's id, a read-only
resource, and the hub with event notifications.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from tmf629.runtime import BadRequestError, JsonPatch, NotFoundError, where
from tmf629_mock.ir import Api
from tmf629_mock.service import _parent_resource
from tmf629_mock.testing import RecordingListener

from .conftest import LISTENER, PACKAGE, SPECIFICATIONS


def individual(given: str, family: str, **extra: Any) -> dict[str, Any]:
    return {"@type": "Individual", "givenName": given, "familyName": family, **extra}


def organization(name: str, **extra: Any) -> dict[str, Any]:
    return {"@type": "Organization", "name": name, **extra}


def attachment(name: str, kind: str = "contract", **extra: Any) -> dict[str, Any]:
    return {
        "@type": "Attachment",
        "name": name,
        "attachmentType": kind,
        "mimeType": "application/pdf",
        **extra,
    }


# (client attribute, body factory, the attribute named by the factory, model class)
PARTIES: list[tuple[str, Callable[[str], dict[str, Any]], str, str]] = [
    ("individuals", lambda n: individual("Ada", n), "familyName", "Individual"),
    ("organizations", lambda n: organization(n), "name", "Organization"),
]
PARTY_IDS = [p[0] for p in PARTIES]


def test_generated_package_has_every_resource(party_package: ModuleType, party_api: Api) -> None:
    client_cls = party_package.PartySdkClient
    attributes = {
        "individuals": {"list", "iter", "retrieve", "create", "update", "delete"},
        "organizations": {"list", "iter", "retrieve", "create", "update", "delete"},
        "organization_attachments": {"list", "iter", "retrieve", "create", "delete"},
        "party_role_specifications": {"list", "iter", "retrieve"},
        "hub": {"create", "retrieve", "delete"},
    }
    for attribute, methods in attributes.items():
        resource_cls = inspect.signature(getattr(client_cls, attribute).func).return_annotation
        resource = getattr(importlib.import_module(PACKAGE + "._resources"), resource_cls)
        assert {m for m in vars(resource) if not m.startswith("_")} - {
            "with_raw_response"
        } == methods
    assert [r.name for r in party_api.resources] == [
        "Individual",
        "Organization",
        "Attachment",
        "PartyRoleSpecification",
    ]
    attached = party_api.resource("Attachment")
    assert attached.parent_parameters == ("organizationId",)


@pytest.mark.parametrize(("attribute", "body", "named", "model"), PARTIES, ids=PARTY_IDS)
async def test_create_retrieve_and_delete(
    client: Any,
    party_models: ModuleType,
    attribute: str,
    body: Callable[[str], dict[str, Any]],
    named: str,
    model: str,
) -> None:
    resources = getattr(client, attribute)
    created = await resources.create(body=body("Lovelace"))
    assert isinstance(created, getattr(party_models, model))
    assert created.href.endswith(f"/{created.id}")
    fetched = await resources.retrieve(created.id)
    assert fetched.model_dump(by_alias=True) == created.model_dump(by_alias=True)
    selected = await resources.retrieve(created.id, fields=[named])
    assert set(selected.model_dump(by_alias=True, exclude_unset=True)) == {
        "@type",
        "id",
        "href",
        named,
    }
    raw = await resources.with_raw_response.create(body=body("Raw"))
    assert raw.status_code == 201
    assert raw.headers["Location"] == (await raw.parse()).href
    await resources.delete(created.id)
    with pytest.raises(NotFoundError):
        await resources.retrieve(created.id)


@pytest.mark.parametrize(("attribute", "body", "named", "model"), PARTIES, ids=PARTY_IDS)
async def test_create_enforces_mandatory_attributes_and_type(
    client: Any,
    party_api: Api,
    attribute: str,
    body: Callable[[str], dict[str, Any]],
    named: str,
    model: str,
) -> None:
    resources = getattr(client, attribute)
    for mandatory in party_api.resource(model).mandatory_on_create:
        incomplete = {k: v for k, v in body("X").items() if k != mandatory}
        with pytest.raises(BadRequestError, match=mandatory):
            await resources.create(body=incomplete)
    with pytest.raises(BadRequestError, match="@type"):
        await resources.create(body={**body("X"), "@type": "Customer"})


@pytest.mark.parametrize(("attribute", "body", "named", "model"), PARTIES, ids=PARTY_IDS)
async def test_list_with_fields_filters_sort_and_paging(
    client: Any,
    attribute: str,
    body: Callable[[str], dict[str, Any]],
    named: str,
    model: str,
) -> None:
    resources = getattr(client, attribute)
    names = ["Moon", "Sun", "Moonlight", "Star", "Comet"]
    for name in names:
        await resources.create(body={**body(name), "status": "validated"})
    page = await resources.list(limit=2, fields=[named])
    assert (len(page), page.total_count, page.partial, page.next_offset) == (2, 5, True, 2)
    assert all(
        set(item.model_dump(by_alias=True, exclude_unset=True)) == {"@type", "id", "href", named}
        for item in page
    )
    assert [getattr(item, _py(named)) async for item in resources.iter(page_size=2)] == names
    found = await resources.list(filter=where(named).regex("^Moon"), sort=[f"-{named}"])
    assert [getattr(item, _py(named)) for item in found] == ["Moonlight", "Moon"]
    exact = await resources.list(filter={named: "Star"})
    assert [getattr(item, _py(named)) for item in exact] == ["Star"]
    last = await resources.list(offset=4, limit=10)
    assert (len(last), last.total_count, last.next_offset) == (1, 5, None)


def _py(name: str) -> str:
    """Python attribute of a TMF attribute name (``familyName`` -> ``family_name``)."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


@pytest.mark.parametrize(("attribute", "body", "named", "model"), PARTIES, ids=PARTY_IDS)
async def test_merge_patch_and_json_patch(
    client: Any,
    party_models: ModuleType,
    attribute: str,
    body: Callable[[str], dict[str, Any]],
    named: str,
    model: str,
) -> None:
    resources = getattr(client, attribute)
    created = await resources.create(body={**body("Before"), "status": "initialized"})
    patch_model = getattr(party_models, model + "MVO")
    merged = await resources.update(created.id, patch=patch_model(status="validated"))
    assert merged.status.value == "validated"
    assert getattr(merged, _py(named)) == "Before"
    removed = await resources.update(created.id, patch={"status": None})
    assert removed.status is None
    patched = await resources.update(created.id, patch=JsonPatch().replace(f"/{named}", "After"))
    assert getattr(patched, _py(named)) == "After"
    with pytest.raises(BadRequestError):
        await resources.update(created.id, patch={"id": "another"})
    with pytest.raises(NotFoundError):
        await resources.update("missing", patch={"status": "validated"})


async def test_sub_resource_lives_under_its_parent(client: Any) -> None:
    acme = await client.organizations.create(body=organization("ACME"))
    other = await client.organizations.create(body=organization("Other"))
    contract = await client.organization_attachments.create(
        organization_id=acme.id, body=attachment("contract.pdf")
    )
    photo = await client.organization_attachments.create(
        organization_id=acme.id, body=attachment("logo.png", "photo")
    )
    assert contract.href.endswith(f"/organization/{acme.id}/attachment/{contract.id}")
    fetched = await client.organization_attachments.retrieve(contract.id, organization_id=acme.id)
    assert fetched.name == "contract.pdf"

    page = await client.organization_attachments.list(
        organization_id=acme.id, fields=["name"], limit=1
    )
    assert (len(page), page.total_count, page.partial) == (1, 2, True)
    listed = [a.name async for a in client.organization_attachments.iter(organization_id=acme.id)]
    assert listed == ["contract.pdf", "logo.png"]
    photos = await client.organization_attachments.list(
        organization_id=acme.id, filter={"attachmentType": "photo"}
    )
    assert [a.id for a in photos] == [photo.id]
    assert len(await client.organization_attachments.list(organization_id=other.id)) == 0

    # Another parent's id does not reach it; a missing parent is a 404, not an empty collection.
    with pytest.raises(NotFoundError):
        await client.organization_attachments.retrieve(contract.id, organization_id=other.id)
    with pytest.raises(NotFoundError, match="Organization"):
        await client.organization_attachments.create(
            organization_id="missing", body=attachment("x.pdf")
        )
    with pytest.raises(NotFoundError, match="Organization"):
        await client.organization_attachments.list(organization_id="missing")
    with pytest.raises(BadRequestError, match="mimeType"):
        await client.organization_attachments.create(
            organization_id=acme.id, body={"@type": "Attachment", "attachmentType": "contract"}
        )

    with pytest.raises(NotFoundError):
        await client.organization_attachments.delete(contract.id, organization_id=other.id)
    await client.organization_attachments.delete(contract.id, organization_id=acme.id)
    with pytest.raises(NotFoundError):
        await client.organization_attachments.retrieve(contract.id, organization_id=acme.id)


async def test_read_only_resource_is_listed_and_retrieved_but_not_written(
    client: Any, app: Any, party_api: Api
) -> None:
    resources = client.party_role_specifications
    assert not hasattr(resources, "create")
    page = await resources.list(fields=["name"], sort=["name"])
    assert [s.name for s in page] == sorted(s["name"] for s in SPECIFICATIONS)
    active = await resources.list(filter={"lifecycleStatus": "active"}, limit=1)
    assert (len(active), active.total_count) == (1, 2)
    fetched = await resources.retrieve(page.items[0].id, fields=["version"])
    assert fetched.version == "1.0"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://mock" + party_api.base_path
    ) as http:
        body = {"@type": "PartyRoleSpecification", "name": "New"}
        assert (await http.post("/partyRoleSpecification", json=body)).status_code == 405
        item = f"/partyRoleSpecification/{fetched.id}"
        assert (await http.patch(item, json={"name": "x"})).status_code == 405
        assert (await http.delete(item)).status_code == 405


async def test_hub_delivers_events_as_generated_event_models(
    client: Any, party_models: ModuleType, listener: RecordingListener
) -> None:
    subscription = await client.hub.create(body={"callback": LISTENER})
    assert (await client.hub.retrieve(subscription.id)).callback == LISTENER

    ada = await client.individuals.create(body=individual("Ada", "Lovelace", status="initialized"))
    await client.individuals.update(ada.id, patch={"middleName": "King"})
    await client.individuals.update(ada.id, patch={"status": "validated"})
    await client.individuals.delete(ada.id)
    acme = await client.organizations.create(body=organization("ACME"))
    received = await listener.wait_for(6)
    # A status change is an attribute value change and a state change.
    assert [n.path for n in received] == [
        "/callback/listener/individualCreateEvent",
        "/callback/listener/individualAttributeValueChangeEvent",
        "/callback/listener/individualAttributeValueChangeEvent",
        "/callback/listener/individualStateChangeEvent",
        "/callback/listener/individualDeleteEvent",
        "/callback/listener/organizationCreateEvent",
    ]
    created = party_models.IndividualCreateEvent.model_validate(received[0].body)
    assert created.event.individual.id == ada.id
    changed = party_models.IndividualStateChangeEvent.model_validate(received[3].body)
    assert changed.event.individual.status.value == "validated"
    last = party_models.OrganizationCreateEvent.model_validate(received[-1].body)
    assert last.event.organization.id == acme.id

    await client.hub.delete(subscription.id)
    with pytest.raises(NotFoundError):
        await client.hub.retrieve(subscription.id)
    await client.organizations.delete(acme.id)
    assert len(listener.received) == len(received)


def test_parent_of_a_nested_sub_resource_is_found_by_path_shape(party_api: Api) -> None:
    organization = party_api.resource("Organization")
    attachment = party_api.resource("Attachment")
    assert _parent_resource(party_api, attachment.path, "organizationId") == organization
    # Two levels deep, parameter names differing from the parents' own: still by position.
    note = dataclasses.replace(
        attachment,
        name="Note",
        path="/organization/{orgId}/attachment/{attachmentId}/note",
        item_path="/organization/{orgId}/attachment/{attachmentId}/note/{id}",
        parent_parameters=("orgId", "attachmentId"),
    )
    nested = dataclasses.replace(party_api, resources=(*party_api.resources, note))
    assert _parent_resource(nested, note.path, "orgId") == organization
    assert _parent_resource(nested, note.path, "attachmentId") == attachment
    assert _parent_resource(nested, organization.path, "id") is None
