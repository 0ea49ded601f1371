"""Generic conformance suite on the party spec: the spec's own example was refused as seed data.

``PartyRoleSpecification.attachment`` holds ``AttachmentRefOrValue`` items (``oneOf``
``AttachmentRef`` | ``Attachment``, discriminated by ``@type``). The server gave every contained
object an ``id`` when *any* ``oneOf`` alternative required one (``AttachmentRef`` does), so an
``Attachment`` given by value got an id, then matched both alternatives and failed ``oneOf``:
``tmf629-mock --spec ... --seed`` exited on the spec's ``PartyRoleSpecification_list_example``.
Only the alternative the value's ``@type`` selects (through the alternatives' own discriminator
mappings) now counts; a reference without its id still gets one.

Validation reads such a ``oneOf`` the same way (``schemas.discriminated``): an ``AttachmentRef``
that carries its id also matches ``Attachment``, and was refused as matching both; its ``@type``
now decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import load_model
from tmf629_mock.schemas import SchemaRegistry, discriminated, fill_missing_ids, load_spec

SPEC = Path(__file__).resolve().parents[1] / "specs" / "party" / "tmf-party-style.openapi.yaml"
BASE = "/tmf-api/partyManagement/v5"

BY_VALUE = {"@type": "Attachment", "name": "terms.txt", "mimeType": "text/plain"}
BY_REFERENCE = {"@type": "AttachmentRef", "url": "https://example.com/terms.txt"}


def specification(*attachments: dict[str, Any]) -> dict[str, Any]:
    return {"@type": "PartyRoleSpecification", "name": "Customer", "attachment": list(attachments)}


def test_only_the_selected_alternative_requires_an_id() -> None:
    registry = SchemaRegistry(load_spec(SPEC))
    document = specification(dict(BY_VALUE), dict(BY_REFERENCE))
    fill_missing_ids(registry.schema("PartyRoleSpecification"), document, lambda: "generated")
    by_value, by_reference = document["attachment"]
    assert "id" not in by_value
    assert by_reference["id"] == "generated"
    valid = {"id": "1", "href": "http://x/1", **specification(by_value)}
    registry.validate("PartyRoleSpecification", valid)


async def test_seed_with_an_attachment_by_value_is_served(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    entry = {"id": "prs-1", **specification(dict(BY_VALUE))}
    seed.write_text(json.dumps({"PartyRoleSpecification": [entry]}))
    app = create_app(load_model(SPEC), SPEC, seed=seed)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t" + BASE) as client:
            response = await client.get("/partyRoleSpecification/prs-1")
    finally:
        await mock_state(app).close()
    assert response.status_code == 200, response.text
    assert response.json()["attachment"] == [BY_VALUE]


def test_a_reference_with_its_id_is_accepted() -> None:
    """It matches both ``oneOf`` alternatives; its ``@type`` says which one it is."""
    registry = SchemaRegistry(load_spec(SPEC))
    reference = {**BY_REFERENCE, "id": "att-1"}
    document = {"id": "1", "href": "http://x/1", **specification(reference, BY_VALUE)}
    registry.validate("PartyRoleSpecification", document)


async def test_a_reference_with_its_id_is_created_and_served() -> None:
    app = create_app(load_model(SPEC), SPEC)
    transport = httpx.ASGITransport(app=app)
    identification = {
        "@type": "IndividualIdentification",
        "identificationId": "LA123456",
        "identificationType": "passport",
        "attachment": {**BY_REFERENCE, "id": "att-1"},
    }
    body = {
        "@type": "Individual",
        "givenName": "Ada",
        "familyName": "Quill",
        "individualIdentification": [identification],
    }
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t" + BASE) as client:
            created = await client.post("/individual", json=body)
            assert created.status_code == 201, created.text
            fetched = await client.get(f"/individual/{created.json()['id']}")
            value = {**BY_VALUE, "attachmentType": "document", "id": "att-2"}
            by_value = {**identification, "attachment": value}
            wrong_tag = {**identification, "attachment": {**BY_VALUE, "@type": "AttachmentRef"}}
            accepted = await client.post(
                "/individual", json={**body, "individualIdentification": [by_value]}
            )
            refused = await client.post(
                "/individual", json={**body, "individualIdentification": [wrong_tag]}
            )
    finally:
        await mock_state(app).close()
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["individualIdentification"][0]["attachment"]["id"] == "att-1"
    assert accepted.status_code == 201, accepted.text
    assert refused.status_code == 400, refused.text  # an AttachmentRef needs its url


REF = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "@type": {"type": "string"}},
    "discriminator": {"propertyName": "@type", "mapping": {"XRef": "#/x"}},
}
VALUE = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "@type": {"type": "string"}},
    "discriminator": {"propertyName": "@type", "mapping": {"X": "#/x", "SubX": "#/s"}},
}
EITHER = {"oneOf": [REF, VALUE], "discriminator": {"propertyName": "@type"}}


def _valid(schema: Any, value: Any) -> bool:
    from connexion.json_schema import Draft4ResponseValidator

    return bool(Draft4ResponseValidator(schema).is_valid(value))


def test_the_tag_selects_the_alternative() -> None:
    schema = discriminated(EITHER)
    assert _valid(schema, {"@type": "XRef", "id": "1"})  # matches both: the tag decides
    assert _valid(schema, {"@type": "SubX", "id": "1"})
    assert not _valid(schema, {"@type": "XRef"})  # a reference needs its id
    assert not _valid(schema, {"@type": "Other", "id": "1"})
    assert not _valid(schema, {"id": "1"})  # untagged: plain oneOf, both match
    assert _valid(schema, {})  # untagged: only the value matches
    assert not _valid(EITHER, {"@type": "XRef", "id": "1"})  # the original is unchanged


def test_alternatives_without_their_own_mapping_keep_plain_one_of() -> None:
    plain = {**EITHER, "oneOf": [REF, {"type": "object"}]}
    assert discriminated(plain)["oneOf"] == plain["oneOf"]


def test_cyclic_schemas_are_rewritten() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {}}
    node["properties"]["next"] = node
    node["properties"]["either"] = EITHER
    rewritten = discriminated(node)
    assert rewritten["properties"]["next"] is rewritten
    assert "oneOf" not in rewritten["properties"]["either"]
