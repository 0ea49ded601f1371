"""schemathesis ST201 (schema-violating request accepted), found fuzzing the Party spec:
``[{"op": "add", "path": "/", "value": null, "from": null}]`` as JSON Patch Query was accepted.

Request validation dropped ``null`` members from every PATCH body before checking it: right for
a merge patch (``null`` removes the attribute, RFC 7386), wrong for JSON Patch, where an operation
member that is ``null`` is simply invalid. Only merge patches are read that way now.
"""

from __future__ import annotations

import httpx

from tests.regressions.conftest import assert_tmf_error, minimal_customer


async def test_a_null_member_of_a_json_patch_operation_is_refused(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/customer", json=minimal_customer())).json()
    answer = await client.patch(
        f"/customer/{created['id']}",
        json=[{"op": "replace", "path": "/name", "value": "Sun", "from": None}],
        headers={"content-type": "application/json-patch+json"},
    )
    assert_tmf_error(answer, 400)
    unchanged = await client.get(f"/customer/{created['id']}")
    assert unchanged.json()["name"] == "Moon Football Club"


async def test_a_null_in_a_merge_patch_still_removes(client: httpx.AsyncClient) -> None:
    created = (await client.post("/customer", json={**minimal_customer(), "status": "x"})).json()
    answer = await client.patch(
        f"/customer/{created['id']}",
        json={"status": None},
        headers={"content-type": "application/merge-patch+json"},
    )
    assert answer.status_code == 200, answer.text
    assert "status" not in answer.json()
