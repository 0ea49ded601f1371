"""schemathesis ST201 (schema-violating request accepted): ``format: uri`` was not checked.

Found by the coverage phase on ``POST /listener/customer*Event`` with
``{"@type": "", "@baseType": "", "@schemaLocation": ""}``: ``@schemaLocation`` (and ``href``,
``partnershipHref``, the hub ``callback``) are ``format: uri`` in the spec, but the validator
silently skipped the format because no URI checker was installed. Request bodies must now hold
absolute URIs (RFC 3986) there; valid ones are still accepted.
"""

from __future__ import annotations

import httpx
import pytest

from tests.regressions.conftest import assert_tmf_error, minimal_customer


@pytest.mark.parametrize(
    "path",
    [
        "/listener/customerCreateEvent",
        "/listener/customerAttributeValueChangeEvent",
        "/listener/customerStateChangeEvent",
        "/listener/customerDeleteEvent",
    ],
)
async def test_listener_rejects_a_schema_location_that_is_not_a_uri(
    client: httpx.AsyncClient, path: str
) -> None:
    body = {"@type": "", "@baseType": "", "@schemaLocation": ""}
    assert_tmf_error(await client.post(path, json=body), 400)


@pytest.mark.parametrize("value", ["", "not a uri", "//host/only-a-reference", "http://a b"])
async def test_create_rejects_invalid_uris(client: httpx.AsyncClient, value: str) -> None:
    body = {**minimal_customer(), "@schemaLocation": value}
    assert_tmf_error(await client.post("/customer", json=body), 400)
    body = minimal_customer()
    body["engagedParty"]["href"] = value
    assert_tmf_error(await client.post("/customer", json=body), 400)


async def test_valid_uris_are_still_accepted(client: httpx.AsyncClient) -> None:
    body = {**minimal_customer(), "@schemaLocation": "https://example.com/schemas/Customer.json"}
    body["engagedParty"]["href"] = "urn:party:6610"
    created = await client.post("/customer", json=body)
    assert created.status_code == 201, created.text
    patched = await client.patch(
        f"/customer/{created.json()['id']}",
        json={"engagedParty": {"@type": "PartyRef", "id": "1", "href": "http://h/p/1"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
