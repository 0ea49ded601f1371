"""schemathesis ST205 (Allow header mismatch): a 405 listed only ``GET, HEAD`` in ``Allow``.

Found by the coverage phase (``OPTIONS /customer``, ``OPTIONS /customer/{id}``,
``OPTIONS /hub/{id}``). RFC 9110 section 15.5.6: a 405 response MUST carry an ``Allow`` header
listing the methods the target resource supports, which are the operations of its path in the
spec.
"""

from __future__ import annotations

import httpx
import pytest

from tests.regressions.conftest import assert_tmf_error


def allowed(response: httpx.Response) -> set[str]:
    return {method.strip() for method in response.headers.get("allow", "").split(",")}


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("OPTIONS", "/customer", {"GET", "POST"}),
        ("PUT", "/customer", {"GET", "POST"}),
        ("OPTIONS", "/customer/42", {"GET", "PATCH", "DELETE"}),
        ("PUT", "/customer/42", {"GET", "PATCH", "DELETE"}),
        ("OPTIONS", "/hub/7", {"GET", "DELETE"}),
        ("GET", "/hub", {"POST"}),
        ("GET", "/listener/customerCreateEvent", {"POST"}),
    ],
)
async def test_405_lists_every_documented_method(
    client: httpx.AsyncClient, method: str, path: str, expected: set[str]
) -> None:
    response = await client.request(method, path)
    assert_tmf_error(response, 405)
    assert allowed(response) - {"HEAD"} == expected
