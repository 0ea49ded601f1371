from __future__ import annotations

import json
from collections.abc import Generator

import httpx
import pytest

from tmf629.runtime import DEFAULT_TIMEOUT, format_path

from .conftest import BASE_URL, MakeHarness, customer, json_response, sequence
from .example_api import AsyncExampleClient, CustomerFVO, ExampleClient, PartyRef


async def test_create_sends_model_by_alias_without_unset(make: MakeHarness) -> None:
    h = make(sequence(json_response(201, customer())))
    body = CustomerFVO(name="Moon", engaged_party=PartyRef(field_type="Individual", id="p1"))

    result = await h.call(lambda c: c.customers.create(body=body))

    request = h.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}/customer"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "name": "Moon",
        "engagedParty": {"@type": "Individual", "id": "p1"},
    }
    assert result.href == f"{BASE_URL}/customer/42"


async def test_create_sends_dict_as_is(make: MakeHarness) -> None:
    h = make(sequence(json_response(201, customer())))

    await h.call(lambda c: c.customers.create(body={"@type": "Customer", "name": "Moon"}))

    assert h.requests[0].content == b'{"@type":"Customer","name":"Moon"}'


async def test_path_parameters_are_quoted(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer("a/b c")), httpx.Response(204)))

    await h.call(lambda c: c.customers.retrieve("a/b c"))
    await h.call(lambda c: c.customers.delete("a/b c"))

    assert [r.url.raw_path for r in h.requests] == [
        b"/tmf-api/customerManagement/v5/customer/a%2Fb%20c"
    ] * 2
    with pytest.raises(ValueError, match="non-empty"):
        await h.call(lambda c: c.customers.retrieve(""))


@pytest.mark.parametrize("base_url", [BASE_URL, BASE_URL + "/"])
async def test_base_url_with_or_without_slash(make: MakeHarness, base_url: str) -> None:
    h = make(sequence(json_response(200, customer())), base_url=base_url)

    await h.call(lambda c: c.customers.retrieve("42"))

    assert str(h.requests[0].url) == f"{BASE_URL}/customer/42"


async def test_bearer_token(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())), bearer_token="s3cret")

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.requests[0].headers["authorization"] == "Bearer s3cret"


async def test_api_key_with_custom_header(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())), api_key="k1", api_key_header="X-Key")

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.requests[0].headers["x-key"] == "k1"
    assert "x-api-key" not in h.requests[0].headers


async def test_api_key_default_header(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())), api_key="k1")

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.requests[0].headers["x-api-key"] == "k1"


class StampAuth(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Stamp"] = "stamped"
        yield request


async def test_httpx_auth(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer())), auth=StampAuth())

    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.requests[0].headers["x-stamp"] == "stamped"


async def test_default_and_extra_headers_and_query(make: MakeHarness) -> None:
    h = make(
        sequence(json_response(200, customer())),
        default_headers={"X-Tenant": "t1", "Accept": "application/json;v=5"},
    )

    await h.call(
        lambda c: c.customers.retrieve(
            "42",
            options={"extra_headers": {"X-Request-Id": "r1"}, "extra_query": {"debug": "1"}},
        )
    )

    request = h.requests[0]
    assert request.headers["x-tenant"] == "t1"
    assert request.headers["accept"] == "application/json;v=5"
    assert request.headers["x-request-id"] == "r1"
    assert dict(request.url.params) == {"debug": "1"}
    assert "content-type" not in request.headers


async def test_per_request_headers_do_not_stick(make: MakeHarness) -> None:
    h = make(sequence(*[json_response(200, customer())] * 3))

    await h.call(lambda c: c.customers.create(body={"name": "Moon"}))
    await h.call(
        lambda c: c.customers.retrieve("42", options={"extra_headers": {"X-Request-Id": "r1"}})
    )
    await h.call(lambda c: c.customers.retrieve("42"))

    assert h.requests[0].headers["content-type"] == "application/json"
    assert h.requests[1].headers["x-request-id"] == "r1"
    assert "content-type" not in h.requests[1].headers
    assert "content-type" not in h.requests[2].headers
    assert "x-request-id" not in h.requests[2].headers
    assert h.client.default_headers == {"Accept": "application/json"}


async def test_timeouts(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customer()), json_response(200, customer())))

    await h.call(lambda c: c.customers.retrieve("42"))
    await h.call(lambda c: c.customers.retrieve("42", options={"timeout": 3.0}))

    assert h.requests[0].extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()
    assert h.requests[0].extensions["timeout"]["connect"] == 5.0
    assert h.requests[0].extensions["timeout"]["read"] == 60.0
    assert h.requests[1].extensions["timeout"] == httpx.Timeout(3.0).as_dict()


async def test_with_options_overrides_and_shares_connections(make: MakeHarness) -> None:
    h = make(sequence(*[json_response(200, customer())] * 2), bearer_token="a")
    copy = h.client.with_options(bearer_token="b", default_headers={"X-Copy": "1"})

    await h.call(lambda c: copy.customers.retrieve("42"))
    await h.call(lambda c: c.customers.retrieve("42"))

    assert type(copy) is type(h.client)
    assert copy._client is h.client._client
    assert h.requests[0].headers["authorization"] == "Bearer b"
    assert h.requests[0].headers["x-copy"] == "1"
    assert h.requests[1].headers["authorization"] == "Bearer a"
    assert "x-copy" not in h.requests[1].headers


def test_injected_client_is_not_closed_and_keeps_its_settings() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, customer())

    http_client = httpx.Client(
        transport=httpx.MockTransport(handler),
        timeout=7.0,
        headers={"X-From-Injected": "yes"},
        auth=StampAuth(),
    )
    with ExampleClient(base_url=BASE_URL, http_client=http_client) as client:
        client.customers.retrieve("42")

    assert not http_client.is_closed
    assert seen[0].headers["x-from-injected"] == "yes"
    assert seen[0].headers["x-stamp"] == "stamped"
    assert seen[0].extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    http_client.close()


def test_injected_client_params_are_merged_with_the_query() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, [])

    http_client = httpx.Client(transport=httpx.MockTransport(handler), params={"tenant": "t1"})
    with ExampleClient(base_url=BASE_URL, http_client=http_client) as client:
        client.customers.list()
        client.customers.list(limit=5)

    assert [dict(request.url.params) for request in seen] == [
        {"tenant": "t1"},
        {"tenant": "t1", "limit": "5"},
    ]
    http_client.close()


async def test_async_injected_client_is_not_closed() -> None:
    http_client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    async with AsyncExampleClient(base_url=BASE_URL, http_client=http_client) as client:
        await client.customers.delete("42")

    assert not http_client.is_closed
    await http_client.aclose()


def test_owned_client_is_closed() -> None:
    client = ExampleClient(base_url=BASE_URL)
    client.close()
    assert client._client.is_closed


async def test_async_owned_client_is_closed() -> None:
    async with AsyncExampleClient(base_url=BASE_URL) as client:
        pass
    assert client._client.is_closed


def test_http_client_and_transport_are_exclusive() -> None:
    with pytest.raises(ValueError, match="not both"):
        ExampleClient(
            base_url=BASE_URL,
            http_client=httpx.Client(),
            transport=httpx.MockTransport(lambda r: httpx.Response(204)),
        )


async def test_core_request_for_custom_operations(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, [customer("1"), customer("2")])))

    result = await h.call(
        lambda c: c._request(
            "POST",
            "/customer/search",
            cast_to=list[dict[str, str]],
            params={"q": "moon"},
            json_body={"name": "Moon"},
            content_type="application/vnd.search+json",
        )
    )

    assert [item["id"] for item in result] == ["1", "2"]
    request = h.requests[0]
    assert request.headers["content-type"] == "application/vnd.search+json"
    assert dict(request.url.params) == {"q": "moon"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a/b", "/customer/a%2Fb"),
        (".", "/customer/%2E"),
        ("..", "/customer/%2E%2E"),
        ("a.b", "/customer/a.b"),
    ],
)
def test_path_parameters_cannot_leave_their_segment(value: str, expected: str) -> None:
    assert format_path("/customer/{id}", id=value) == expected
