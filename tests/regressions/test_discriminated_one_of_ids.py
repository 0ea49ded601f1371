"""Generic conformance suite on the party spec: the spec's own example was refused as seed data.

``PartyRoleSpecification.attachment`` holds ``AttachmentRefOrValue`` items (``oneOf``
``AttachmentRef`` | ``Attachment``, discriminated by ``@type``). The server gave every contained
object an ``id`` when *any* ``oneOf`` alternative required one (``AttachmentRef`` does), so an
``Attachment`` given by value got an id, then matched both alternatives and failed ``oneOf``:
``tmf629-mock --spec ... --seed`` exited on the spec's ``PartyRoleSpecification_list_example``.
Only the alternative the value's ``@type`` selects (through the alternatives' own discriminator
mappings) now counts; a reference without its id still gets one.

(Validation itself still reads ``oneOf`` as plain JSON Schema, discriminator ignored: an
``AttachmentRef`` that carries its id also matches ``Attachment`` and is refused, in requests too.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import load_model
from tmf629_mock.schemas import SchemaRegistry, fill_missing_ids, load_spec

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
