from __future__ import annotations

import json

import pytest

from tmf629.runtime import (
    JSON_PATCH_CONTENT_TYPE,
    MERGE_PATCH_CONTENT_TYPE,
    JsonPatch,
    escape_pointer_token,
    json_pointer,
    patch_content_type,
    unescape_pointer_token,
)
from tmf629.runtime._patch import encode_patch

from .conftest import MakeHarness, customer, json_response, sequence
from .example_api import CustomerMVO, PartyRef


def test_merge_patch_keeps_explicit_none_distinct_from_unset() -> None:
    patch = CustomerMVO(status=None, name="New name")

    content_type, body = encode_patch(patch)

    assert content_type == MERGE_PATCH_CONTENT_TYPE
    assert json.loads(body) == {"status": None, "name": "New name"}


def test_merge_patch_uses_aliases_and_json_mode() -> None:
    patch = CustomerMVO(engaged_party=PartyRef(field_type="PartyRef", id="p1"))

    assert json.loads(encode_patch(patch)[1]) == {"engagedParty": {"@type": "PartyRef", "id": "p1"}}


def test_json_patch_all_operations() -> None:
    patch = (
        JsonPatch()
        .add("/contactMedium/-", {"mediumType": "email"})
        .remove(["characteristic", 0])
        .replace("/name", "New")
        .move("/status", "/statusReason")
        .copy(["a/b", "c~d"], "/e")
        .test("/id", "42")
    )

    content_type, body = encode_patch(patch)

    assert content_type == JSON_PATCH_CONTENT_TYPE
    assert json.loads(body) == [
        {"op": "add", "path": "/contactMedium/-", "value": {"mediumType": "email"}},
        {"op": "remove", "path": "/characteristic/0"},
        {"op": "replace", "path": "/name", "value": "New"},
        {"op": "move", "path": "/statusReason", "from": "/status"},
        {"op": "copy", "path": "/e", "from": "/a~1b/c~0d"},
        {"op": "test", "path": "/id", "value": "42"},
    ]
    assert patch == JsonPatch().add("/contactMedium/-", {"mediumType": "email"}).remove(
        "/characteristic/0"
    ).replace("/name", "New").move("/status", "/statusReason").copy("/a~1b/c~0d", "/e").test(
        "/id", "42"
    )


def test_json_pointer_helpers() -> None:
    assert escape_pointer_token("a/b~c") == "a~1b~0c"
    assert unescape_pointer_token("a~1b~0c") == "a/b~c"
    assert unescape_pointer_token("~01") == "~1"
    assert json_pointer("contactMedium", 0, "a/b") == "/contactMedium/0/a~1b"
    assert json_pointer() == ""
    with pytest.raises(ValueError, match="must be empty or start with '/'"):
        JsonPatch().remove("name")


def test_patch_content_type_by_object() -> None:
    assert patch_content_type(JsonPatch()) == JSON_PATCH_CONTENT_TYPE
    assert patch_content_type({"name": "x"}) == MERGE_PATCH_CONTENT_TYPE
    assert patch_content_type(CustomerMVO()) == MERGE_PATCH_CONTENT_TYPE


async def test_update_sends_merge_patch(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer(status=None))))

    result = await h.call(
        lambda c: c.customers.update("42", patch=CustomerMVO(status=None, name="New"))
    )

    request = h.requests[0]
    assert request.method == "PATCH"
    assert request.url.path.endswith("/customer/42")
    assert request.headers["content-type"] == "application/merge-patch+json"
    assert json.loads(request.content) == {"status": None, "name": "New"}
    assert result.status is None


async def test_update_sends_dict_merge_patch_as_is(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())))

    await h.call(lambda c: c.customers.update("42", patch={"status": None}))

    assert h.requests[0].headers["content-type"] == "application/merge-patch+json"
    assert h.requests[0].content == b'{"status":null}'


async def test_update_sends_json_patch(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())))

    await h.call(lambda c: c.customers.update("42", patch=JsonPatch().replace("/name", "N")))

    assert h.requests[0].headers["content-type"] == "application/json-patch+json"
    assert json.loads(h.requests[0].content) == [{"op": "replace", "path": "/name", "value": "N"}]
