from __future__ import annotations

import email.utils

import httpx
import pytest

from tmf629.runtime import APIConnectionError, Backoff, InternalServerError, RateLimitError

from .conftest import NOW, MakeHarness, customer, json_response, sequence

OK = json_response(200, customer())


def test_backoff_schedule_is_exponential_and_capped() -> None:
    backoff = Backoff(random=lambda: 0.5)
    assert [backoff.delay(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_backoff_jitter_is_plus_minus_25_percent() -> None:
    assert Backoff(random=lambda: 0.0).delay(1) == 0.75
    assert Backoff(random=lambda: 1.0).delay(1) == 1.25
    assert Backoff(random=lambda: 0.25).delay(3) == 3.5


def test_retry_after_parsing() -> None:
    backoff = Backoff(now=lambda: NOW)

    def with_header(value: str) -> float | None:
        return backoff.retry_after(httpx.Response(429, headers={"Retry-After": value}))

    assert with_header("3") == 3.0
    assert with_header("1.5") == 1.5
    assert with_header("600") == 60.0
    assert with_header("-4") == 0.0
    assert with_header(email.utils.formatdate(NOW + 7, usegmt=True)) == 7.0
    assert with_header(email.utils.formatdate(NOW - 30, usegmt=True)) == 0.0
    assert with_header("soon") is None
    assert with_header("nan") is None
    assert with_header("inf") is None
    assert backoff.retry_after(httpx.Response(429)) is None


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_retryable_statuses_are_retried_with_backoff(make: MakeHarness, status: int) -> None:
    h = make(sequence(json_response(status), json_response(status), OK))

    result = await h.call(lambda c: c.customers.retrieve("42"))

    assert result.id == "42"
    assert len(h.requests) == 3
    assert h.sleeps == [0.5, 1.0]


async def test_gives_up_after_max_retries(make: MakeHarness) -> None:
    h = make(sequence(*[json_response(503)] * 4), max_retries=3)

    with pytest.raises(InternalServerError):
        await h.call(lambda c: c.customers.retrieve("42"))

    assert len(h.requests) == 4
    assert h.sleeps == [0.5, 1.0, 2.0]


async def test_500_is_not_retried(make: MakeHarness) -> None:
    h = make(sequence(json_response(500), OK))

    with pytest.raises(InternalServerError):
        await h.call(lambda c: c.customers.retrieve("42"))

    assert len(h.requests) == 1
    assert h.sleeps == []


async def test_retry_after_seconds_is_honoured(make: MakeHarness) -> None:
    h = make(sequence(json_response(429, None, **{"Retry-After": "7"}), OK))

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.sleeps == [7.0]


async def test_retry_after_http_date_is_honoured(make: MakeHarness) -> None:
    date = email.utils.formatdate(NOW + 12, usegmt=True)
    h = make(sequence(json_response(503, None, **{"Retry-After": date}), OK))

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.sleeps == [12.0]


async def test_retry_after_is_capped(make: MakeHarness) -> None:
    h = make(sequence(json_response(429, None, **{"Retry-After": "3600"}), OK))

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.sleeps == [60.0]


async def test_connection_errors_and_timeouts_are_retried(make: MakeHarness) -> None:
    h = make(sequence(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), OK))

    result = await h.call(lambda c: c.customers.retrieve("42"))

    assert result.name == "Customer 42"
    assert h.sleeps == [0.5, 1.0]


async def test_connection_error_after_retries_is_raised(make: MakeHarness) -> None:
    h = make(sequence(*[httpx.ConnectError("refused")] * 3))

    with pytest.raises(APIConnectionError):
        await h.call(lambda c: c.customers.retrieve("42"))

    assert len(h.requests) == 3
    assert h.sleeps == [0.5, 1.0]


async def test_delete_is_retried(make: MakeHarness) -> None:
    h = make(sequence(json_response(502), httpx.Response(204)))

    assert await h.call(lambda c: c.customers.delete("42")) is None

    assert [r.method for r in h.requests] == ["DELETE", "DELETE"]


async def test_post_is_not_retried_by_default(make: MakeHarness) -> None:
    h = make(sequence(json_response(503), json_response(201, customer())))

    with pytest.raises(InternalServerError):
        await h.call(lambda c: c.customers.create(body={"name": "x"}))

    assert len(h.requests) == 1
    assert h.sleeps == []


async def test_post_connection_error_is_not_retried_by_default(make: MakeHarness) -> None:
    h = make(sequence(httpx.ConnectError("refused"), json_response(201, customer())))

    with pytest.raises(APIConnectionError):
        await h.call(lambda c: c.customers.create(body={"name": "x"}))

    assert len(h.requests) == 1


async def test_patch_is_not_retried_by_default(make: MakeHarness) -> None:
    h = make(sequence(json_response(429), OK))

    with pytest.raises(RateLimitError):
        await h.call(lambda c: c.customers.update("42", patch={"name": "x"}))

    assert len(h.requests) == 1


async def test_post_is_retried_when_asked(make: MakeHarness) -> None:
    h = make(sequence(json_response(503), json_response(201, customer())))

    result = await h.call(
        lambda c: c.customers.create(body={"name": "x"}, options={"retryable": True})
    )

    assert result.id == "42"
    assert [r.method for r in h.requests] == ["POST", "POST"]
    assert h.requests[1].content == b'{"name":"x"}'
    assert h.sleeps == [0.5]


async def test_core_request_retryable_flag(make: MakeHarness) -> None:
    h = make(sequence(httpx.ConnectError("refused"), json_response(200, customer())))

    result = await h.call(
        lambda c: c._request("POST", "/customer/42/refresh", cast_to=dict, retryable=True)
    )

    assert result["id"] == "42"
    assert len(h.requests) == 2


async def test_get_retry_can_be_disabled_per_call(make: MakeHarness) -> None:
    h = make(sequence(json_response(503), OK))

    with pytest.raises(InternalServerError):
        await h.call(lambda c: c.customers.retrieve("42", options={"retryable": False}))

    assert len(h.requests) == 1


async def test_max_retries_per_call(make: MakeHarness) -> None:
    h = make(sequence(*[json_response(503)] * 6), max_retries=5)

    with pytest.raises(InternalServerError):
        await h.call(lambda c: c.customers.retrieve("42", options={"max_retries": 1}))

    assert len(h.requests) == 2
    assert h.sleeps == [0.5]
