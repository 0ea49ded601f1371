"""JSON Patch Query (``application/json-patch-query+json``): paths that select array elements by
their content, expanded into plain JSON Patch (``tmf629_mock.patchquery``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tmf629_mock.app import create_app, mock_state
from tmf629_mock.cli import load_model
from tmf629_mock.errors import TmfError
from tmf629_mock.patching import apply_patch
from tmf629_mock.patchquery import expand

PARTY = Path(__file__).resolve().parents[1] / "specs" / "party" / "tmf-party-style.openapi.yaml"

DOCUMENT: dict[str, Any] = {
    "contactMedium": [
        {"@type": "EmailContactMedium", "emailAddress": "a@x.org", "preferred": True},
        {"@type": "PhoneContactMedium", "phoneNumber": "1"},
        {"@type": "EmailContactMedium", "emailAddress": "b@x.org", "preferred": False},
    ],
    "partyCharacteristic": [
        {"name": "marketingOptIn", "value": True},
        {"name": "a/b", "value": 1},
        {"name": "tier", "value": 2.0},
    ],
}


def _patched(*operations: dict[str, Any]) -> dict[str, Any]:
    return apply_patch(DOCUMENT, list(operations), "json-patch-query", ())


def test_a_condition_selects_every_matching_element() -> None:
    after = _patched(
        {
            "op": "replace",
            "path": "/contactMedium/?(@type=='EmailContactMedium')/emailAddress",
            "value": "new@x.org",
        }
    )
    assert [m.get("emailAddress") for m in after["contactMedium"]] == [
        "new@x.org",
        None,
        "new@x.org",
    ]
    assert DOCUMENT["contactMedium"][0]["emailAddress"] == "a@x.org"  # a patched copy


def test_removals_keep_the_other_indices_right() -> None:
    after = _patched({"op": "remove", "path": "/contactMedium/?(@.@type=='EmailContactMedium')"})
    assert after["contactMedium"] == [{"@type": "PhoneContactMedium", "phoneNumber": "1"}]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/partyCharacteristic/?(name=='marketingOptIn')", ["/partyCharacteristic/0"]),
        ("/partyCharacteristic/?(@.name=='a/b')/value", ["/partyCharacteristic/1/value"]),
        ('/partyCharacteristic/?(name=="tier" && value==2)', ["/partyCharacteristic/2"]),
        ("/partyCharacteristic/?(value==true)", ["/partyCharacteristic/0"]),
        ("/partyCharacteristic/?(value==1)", ["/partyCharacteristic/1"]),
        (
            "/partyCharacteristic/?(name!='tier')",
            ["/partyCharacteristic/0", "/partyCharacteristic/1"],
        ),
        ("/contactMedium/?(preferred==false)", ["/contactMedium/2"]),
    ],
)
def test_conditions(path: str, expected: list[str]) -> None:
    operations = expand(DOCUMENT, [{"op": "test", "path": path, "value": 0}])
    assert [operation["path"] for operation in operations] == expected


def test_plain_json_patch_passes_through() -> None:
    plain = [{"op": "add", "path": "/name", "value": "x"}]
    assert expand(DOCUMENT, plain) == plain


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "remove", "path": "/contactMedium/?(@type=='Nothing')"},
        {"op": "remove", "path": "/contactMedium/?(@type=='EmailContactMedium'"},
        {"op": "remove", "path": "/contactMedium/?(just words)"},
        {"op": "remove", "path": "/contactMedium/?(@type==unquoted)"},
        {"op": "move", "from": "/contactMedium/?(@type=='x')", "path": "/y"},
        {"op": "remove", "path": "contactMedium/?(@type=='x')"},
    ],
)
def test_what_cannot_be_applied_is_a_400(operation: dict[str, Any]) -> None:
    with pytest.raises(TmfError) as raised:
        _patched(operation)
    assert raised.value.status == 400


async def test_the_party_server_applies_the_specs_own_example() -> None:
    app = create_app(load_model(PARTY), PARTY)
    body = {
        "@type": "Individual",
        "givenName": "Ada",
        "familyName": "Quill",
        "contactMedium": [
            {"@type": "EmailContactMedium", "emailAddress": "ada@example.org"},
        ],
        "partyCharacteristic": [
            {"@type": "BooleanCharacteristic", "name": "marketingOptIn", "value": True},
        ],
    }
    patch = [
        {
            "op": "replace",
            "path": "/contactMedium/?(@type=='EmailContactMedium')/emailAddress",
            "value": "ada@quill.example.org",
        },
        {"op": "remove", "path": "/partyCharacteristic/?(name=='marketingOptIn')"},
    ]
    transport = httpx.ASGITransport(app=app)
    base = "http://t/tmf-api/partyManagement/v5"
    try:
        async with httpx.AsyncClient(transport=transport, base_url=base) as client:
            created = await client.post("/individual", json=body)
            assert created.status_code == 201, created.text
            patched = await client.patch(
                f"/individual/{created.json()['id']}",
                json=patch,
                headers={"content-type": "application/json-patch-query+json"},
            )
    finally:
        await mock_state(app).close()
    assert patched.status_code == 200, patched.text
    assert patched.json()["contactMedium"][0]["emailAddress"] == "ada@quill.example.org"
    assert patched.json().get("partyCharacteristic", []) == []
