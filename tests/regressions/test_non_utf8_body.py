"""schemathesis ST101 (server error): a JSON body that is not UTF-8 was answered 500.

Found by the fuzzing phase on ``POST /listener/customerCreateEvent`` (body ``b"\\xff"``); the
same request body parser serves every operation with a JSON body. A body that cannot be decoded
is a client error: 400 with a TMF Error body.
"""

from __future__ import annotations

import httpx
import pytest

from tests.regressions.conftest import assert_tmf_error

NOT_UTF8 = b"\xff\xfeW"


@pytest.mark.parametrize(
    ("method", "path", "media_type"),
    [
        ("POST", "/listener/customerCreateEvent", "application/json"),
        ("POST", "/listener/customerStateChangeEvent", "application/json"),
        ("POST", "/customer", "application/json"),
        ("POST", "/hub", "application/json"),
        ("PATCH", "/customer/42", "application/merge-patch+json"),
        ("PATCH", "/customer/42", "application/json-patch+json"),
    ],
)
async def test_non_utf8_json_body_is_a_bad_request(
    client: httpx.AsyncClient, method: str, path: str, media_type: str
) -> None:
    response = await client.request(
        method, path, content=NOT_UTF8, headers={"Content-Type": media_type}
    )
    assert_tmf_error(response, 400)
