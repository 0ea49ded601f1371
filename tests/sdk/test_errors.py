from __future__ import annotations

import httpx
import pytest

from tmf629.runtime import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TmfError,
    UnprocessableEntityError,
)

from .conftest import BASE_URL, MakeHarness, json_response, sequence


def tmf_error(status: int) -> dict[str, str]:
    return {
        "@type": "Error",
        "code": f"E{status}",
        "reason": f"reason {status}",
        "message": f"message {status}",
        "status": str(status),
        "referenceError": "https://errors.test/doc",
        "vendorDetail": "kept as extra",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
async def test_status_codes_map_to_exceptions_with_tmf_error(
    make: MakeHarness, status: int, expected: type[APIStatusError]
) -> None:
    h = make(lambda request: json_response(status, tmf_error(status)), max_retries=0)

    with pytest.raises(APIStatusError) as info:
        await h.call(lambda c: c.customers.retrieve("42"))

    exc = info.value
    assert type(exc) is expected
    assert exc.status_code == status
    assert exc.response.status_code == status
    assert exc.body == tmf_error(status)
    assert exc.error == TmfError.model_validate(tmf_error(status))
    assert exc.error is not None
    assert exc.error.code == f"E{status}"
    assert exc.error.reference_error == "https://errors.test/doc"
    assert exc.error.field_type == "Error"
    assert exc.error.model_extra == {"vendorDetail": "kept as extra"}
    assert str(exc) == (
        f"GET {BASE_URL}/customer/42 -> {status}: reason {status}: message {status}"
    )


async def test_error_without_json_body(make: MakeHarness) -> None:
    h = make(sequence(httpx.Response(404, text="<html>nope</html>")))

    with pytest.raises(NotFoundError) as info:
        await h.call(lambda c: c.customers.retrieve("42"))

    assert info.value.body is None
    assert info.value.error is None
    assert str(info.value) == f"GET {BASE_URL}/customer/42 -> 404"


async def test_connection_error(make: MakeHarness) -> None:
    h = make(sequence(httpx.ConnectError("refused")), max_retries=0)

    with pytest.raises(APIConnectionError) as info:
        await h.call(lambda c: c.customers.retrieve("42"))

    assert type(info.value) is APIConnectionError
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.request.url == f"{BASE_URL}/customer/42"


async def test_timeout_error(make: MakeHarness) -> None:
    h = make(sequence(httpx.ReadTimeout("slow")), max_retries=0)

    with pytest.raises(APITimeoutError) as info:
        await h.call(lambda c: c.customers.retrieve("42"))

    assert isinstance(info.value, APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert "timed out" in str(info.value)


async def test_invalid_success_body_raises_validation_error(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, {"id": "42"})))

    with pytest.raises(APIResponseValidationError) as info:
        await h.call(lambda c: c.customers.retrieve("42"))

    assert isinstance(info.value, APIError)
    assert info.value.status_code == 200
    assert info.value.body == {"id": "42"}
    assert "name" in str(info.value)


async def test_non_json_success_body_raises_validation_error(make: MakeHarness) -> None:
    h = make(sequence(httpx.Response(200, text="not json")))

    with pytest.raises(APIResponseValidationError, match="invalid JSON"):
        await h.call(lambda c: c.customers.retrieve("42"))
