from __future__ import annotations

import pytest

from tmf629.runtime import (
    APIResponse,
    AsyncAPIResponse,
    NotFoundError,
    Page,
    to_raw_response_wrapper,
)

from .conftest import MakeHarness, customer, json_response, sequence
from .example_api import Customer


async def test_raw_retrieve(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer(), ETag='"v3"')))

    raw = await h.call(lambda c: c.customers.with_raw_response.retrieve("42"))

    assert isinstance(raw, AsyncAPIResponse if h.is_async else APIResponse)
    assert raw.status_code == 200
    assert raw.headers["etag"] == '"v3"'
    assert raw.http_response.json() == customer()
    assert str(raw.url).endswith("/customer/42")
    parsed = await h.parse(raw)
    assert isinstance(parsed, Customer)
    assert parsed.id == "42"
    assert await h.parse(raw) is parsed


async def test_raw_list_parses_to_page(make: MakeHarness) -> None:
    h = make(sequence(json_response(206, [customer("1")], **{"X-Total-Count": "5"})))

    raw = await h.call(lambda c: c.customers.with_raw_response.list(limit=1))

    assert raw.status_code == 206
    assert raw.headers["x-total-count"] == "5"
    page = await h.parse(raw)
    assert isinstance(page, Page)
    assert page.total_count == 5


async def test_raw_delete_and_create(make: MakeHarness) -> None:
    h = make(sequence(json_response(201, customer(), Location="/customer/42"), json_response(204)))

    created = await h.call(lambda c: c.customers.with_raw_response.create(body={"name": "x"}))
    deleted = await h.call(lambda c: c.customers.with_raw_response.delete("42"))

    assert created.headers["location"] == "/customer/42"
    assert (await h.parse(created)).id == "42"
    assert deleted.status_code == 204
    assert await h.parse(deleted) is None


async def test_raw_errors_still_raise(make: MakeHarness) -> None:
    h = make(sequence(json_response(404, {"code": "404", "reason": "Not found"})))

    with pytest.raises(NotFoundError):
        await h.call(lambda c: c.customers.with_raw_response.retrieve("42"))


async def test_raw_mode_does_not_leak_to_later_calls(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer()), json_response(200, customer())))

    await h.call(lambda c: c.customers.with_raw_response.retrieve("42"))
    plain = await h.call(lambda c: c.customers.retrieve("42"))

    assert isinstance(plain, Customer)


def test_wrapping_something_that_makes_no_request_fails() -> None:
    def not_an_operation(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="does not support raw response access"):
        to_raw_response_wrapper(not_an_operation)(1)
