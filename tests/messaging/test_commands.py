"""The generated command client against the mock server's responder, over every broker."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.messaging.conftest import BROKERS, MOON, Recorder, Stack, open_stack, unique_prefix
from tmf629 import (
    APITimeoutError,
    AsyncTmf629CommandClient,
    BadRequestError,
    JsonPatch,
    MessageBus,
    NotFoundError,
    models,
    where,
)
from tmf629._commands import CHANNELS


async def test_create_retrieve_update_delete(stack: Stack) -> None:
    customers = stack.commands.customers
    created = await customers.create(body=MOON)
    assert isinstance(created, models.Customer)
    assert created.id
    assert created.href
    assert created.href.endswith(f"/customer/{created.id}")
    assert created.name == "Moon Football Club"

    fetched = await customers.retrieve(created.id)
    assert fetched == created

    partial = await customers.retrieve(created.id, fields=["name"])
    assert partial.name == "Moon Football Club"
    assert partial.engaged_party is None

    renamed = await customers.update(created.id, patch={"name": "Star FC"})
    assert renamed.name == "Star FC"
    suspended = await customers.update(
        created.id, patch=JsonPatch().replace("/name", "Sun FC").add("/status", "Suspended")
    )
    assert (suspended.name, suspended.status) == ("Sun FC", "Suspended")

    await customers.delete(created.id)
    with pytest.raises(NotFoundError) as caught:
        await customers.retrieve(created.id)
    assert caught.value.status_code == 404
    assert caught.value.error is not None
    assert caught.value.error.code == "404"


async def test_list_filters_paging_and_counts(stack: Stack) -> None:
    customers = stack.commands.customers
    for index in range(5):
        status = "Active" if index % 2 == 0 else "Suspended"
        await customers.create(body={**MOON, "name": f"club {index}", "status": status})

    page = await customers.list(filter={"status": "Active"}, limit=2)
    assert [c.name for c in page] == ["club 0", "club 2"]
    assert (page.total_count, page.result_count, page.offset) == (3, 2, 0)
    assert page.has_next_page()

    rest = await customers.list(filter=where("status") == "Active", offset=2, limit=2)
    assert [c.name for c in rest] == ["club 4"]
    assert not rest.has_next_page()

    names = await customers.list(fields=["name"], filter={"name": ["club 1", "club 3"]})
    assert sorted(c.name or "" for c in names) == ["club 1", "club 3"]

    empty = await customers.list(filter={"name": "nobody"})
    assert (list(empty), empty.total_count) == ([], 0)


async def test_typed_errors_match_the_rest_client(stack: Stack) -> None:
    customers = stack.commands.customers
    with pytest.raises(BadRequestError) as missing:
        await customers.create(body={"@type": "Customer", "name": "no party"})
    assert missing.value.error is not None
    assert "engagedParty" in (missing.value.error.message or "")

    created = await customers.create(body=MOON)
    with pytest.raises(BadRequestError) as not_patchable:
        await customers.update(created.id, patch={"id": "other"})
    with pytest.raises(BadRequestError) as rest_error:
        await stack.rest.customers.update(created.id, patch={"id": "other"})
    assert type(not_patchable.value) is type(rest_error.value)
    assert not_patchable.value.error == rest_error.value.error

    with pytest.raises(NotFoundError):
        await customers.delete("no-such-id")
    with pytest.raises(NotFoundError):
        await customers.update("no-such-id", patch={"name": "x"})


async def test_concurrent_requests_get_their_own_replies(stack: Stack) -> None:
    customers = stack.commands.customers
    created = [await customers.create(body={**MOON, "name": f"c{i}"}) for i in range(10)]
    fetched = await asyncio.gather(*(customers.retrieve(c.id) for c in created * 3))
    assert [c.name for c in fetched] == [c.name for c in created * 3]


async def test_replies_to_other_requests_are_ignored(stack: Stack) -> None:
    """A stranger's reply on the same reply channel (other correlation id) is skipped."""
    customers = stack.commands.customers
    created = await customers.create(body=MOON)
    reply = stack.address(CHANNELS["retrieveCustomer.commandReply"])
    request = stack.address(CHANNELS["retrieveCustomer.commandRequest"])
    recorder = Recorder()
    await stack.bus.subscribe(request, recorder)

    async def stranger() -> None:
        await recorder.wait_for(1)
        body = json.dumps({**MOON, "id": "imposter", "href": "http://x/imposter"}).encode()
        headers = {
            "X-Correlation-Id": "someone-else",
            "Status-Code": "200",
            "X-Request-Channel": request,
        }
        await stack.bus.publish(reply, body, headers)

    task = asyncio.create_task(stranger())
    fetched = await customers.retrieve(created.id)
    await task
    assert fetched.id == created.id


async def test_timeout_without_responder(broker_url: str) -> None:
    async for stack in open_stack(broker_url, unique_prefix()):
        # Nobody answers on this prefix: the request times out, cleanly and quickly.
        async with AsyncTmf629CommandClient(
            stack.bus, channel_prefix="nobody-listens", timeout=0.3
        ) as lonely:
            with pytest.raises(APITimeoutError) as caught:
                await lonely.customers.retrieve("42")
            assert "nobody-listens.customerManagement.v5.retrieveCustomer" in str(caught.value)
            assert not lonely._pending
        # The same bus still works for the real responder.
        created = await stack.commands.customers.create(body=MOON, timeout=5)
        assert (await stack.commands.customers.retrieve(created.id)).id == created.id


async def test_no_prefix_uses_the_bare_channel_names(broker_url: str) -> None:
    async for stack in open_stack(broker_url, None):
        recorder = Recorder()
        await stack.bus.subscribe("customerManagement.v5.createCustomer.commandReply", recorder)
        await stack.commands.customers.create(body=MOON)
        [reply] = await recorder.wait_for(1)
        assert reply.headers["Status-Code"] == "201"
        assert reply.headers["X-Request-Channel"] == (
            "customerManagement.v5.createCustomer.commandRequest"
        )


async def test_prefixed_server_ignores_unprefixed_requests() -> None:
    async for stack in open_stack("memory://", "acme"):
        assert stack.address(CHANNELS["listCustomer.commandRequest"]) == (
            "acme.customerManagement.v5.listCustomer.commandRequest"
        )
        async with AsyncTmf629CommandClient(stack.bus, timeout=0.2) as unprefixed:
            with pytest.raises(APITimeoutError):
                await unprefixed.customers.list()
        assert list(await stack.commands.customers.list()) == []


@pytest.mark.parametrize("real_broker", BROKERS[1:])
async def test_client_owning_its_bus(real_broker: str) -> None:
    """A client given a URL opens (and closes) its own connection to the real broker."""
    async for stack in open_stack(real_broker, "own"):
        async with AsyncTmf629CommandClient(real_broker, channel_prefix="own") as client:
            created = await client.customers.create(body=MOON)
            assert (await stack.commands.customers.retrieve(created.id)).name == MOON["name"]


def test_bad_urls_and_prefixes() -> None:
    with pytest.raises(ValueError, match="unsupported broker URL"):
        MessageBus("http://localhost")
    with pytest.raises(ValueError, match="invalid channel prefix"):
        AsyncTmf629CommandClient(channel_prefix="a*b")


async def test_unreachable_broker_is_a_connection_error() -> None:
    from tmf629 import APIConnectionError

    bus = MessageBus("nats://127.0.0.1:1", connect_timeout=0.5)
    client = AsyncTmf629CommandClient(bus, timeout=1)
    with pytest.raises(APIConnectionError, match="cannot connect"):
        async with client:
            pass


@pytest.mark.parametrize("real_broker", BROKERS[1:])
async def test_a_stopped_responder_no_longer_answers(real_broker: str) -> None:
    """On a shared bus (FastStream's in-memory test broker keeps routing to it regardless)."""
    async for stack in open_stack(real_broker, unique_prefix()):
        await stack.commands.customers.list()
        await stack.messaging.stop()
        with pytest.raises(APITimeoutError):
            await stack.commands.customers.list(timeout=0.2)
