"""One behaviour, two transports: what REST creates, messages retrieve, patch and delete, and
the other way round; and ``tmf629-mock --broker ... --channel-prefix ...`` serving both."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.messaging.conftest import MOON, NATS_URL, RABBIT_URL, Stack, require_broker
from tmf629 import APIStatusError, AsyncTmf629Client, AsyncTmf629CommandClient, NotFoundError
from tmf629_mock.testing import free_port


async def test_rest_created_customer_over_messages(stack: Stack) -> None:
    created = await stack.rest.customers.create(body=MOON)
    fetched = await stack.commands.customers.retrieve(created.id)
    assert fetched == created

    patched = await stack.commands.customers.update(created.id, patch={"status": "Active"})
    assert patched.status == "Active"
    assert (await stack.rest.customers.retrieve(created.id)) == patched

    listed = await stack.commands.customers.list(filter={"status": "Active"})
    assert [c.id for c in listed] == [created.id]

    await stack.commands.customers.delete(created.id)
    with pytest.raises(NotFoundError):
        await stack.rest.customers.retrieve(created.id)


async def test_message_created_customer_over_rest(stack: Stack) -> None:
    created = await stack.commands.customers.create(body=MOON)
    assert created.href is not None
    assert created.href.startswith("http://testserver/tmf-api/")
    fetched = await stack.rest.customers.retrieve(created.id)
    assert fetched == created

    patched = await stack.rest.customers.update(created.id, patch={"name": "over REST"})
    assert (await stack.commands.customers.retrieve(created.id)) == patched

    page = await stack.rest.customers.list(fields=["name"])
    assert [c.name for c in page] == ["over REST"]

    await stack.rest.customers.delete(created.id)
    with pytest.raises(NotFoundError):
        await stack.commands.customers.retrieve(created.id)
    with pytest.raises(NotFoundError):
        await stack.commands.customers.delete(created.id)


async def test_same_errors_over_both_transports(stack: Stack) -> None:
    async def retrieve(client: Any) -> Any:
        return await client.customers.retrieve("missing")

    async def create(client: Any) -> Any:
        return await client.customers.create(body={"@type": "Customer", "name": "x"})

    async def update(client: Any) -> Any:
        return await client.customers.update("missing", patch={"name": "x"})

    for call in (retrieve, create, update):
        with pytest.raises(APIStatusError) as over_rest:
            await call(stack.rest)
        with pytest.raises(APIStatusError) as over_messages:
            await call(stack.commands)
        assert type(over_messages.value) is type(over_rest.value)
        assert over_messages.value.status_code == over_rest.value.status_code


@contextlib.contextmanager
def cli_server(broker: str, prefix: str) -> Iterator[str]:
    """``tmf629-mock --broker ... --channel-prefix ...`` on a free port; yields the API root."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tmf629_mock.cli",
        "--port",
        str(port),
        "--broker",
        broker,
        "--channel-prefix",
        prefix,
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    root = f"http://127.0.0.1:{port}/tmf-api/customerManagement/v5"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(root + "/customer", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield root
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.services
@pytest.mark.parametrize("broker", [NATS_URL, RABBIT_URL], ids=["nats", "rabbitmq"])
async def test_cli_serves_rest_and_messages_at_once(broker: str) -> None:
    require_broker(broker)
    prefix = "cli" + uuid.uuid4().hex[:8]
    with cli_server(broker, prefix) as root:
        async with (
            AsyncTmf629Client(base_url=root) as rest,
            AsyncTmf629CommandClient(broker, channel_prefix=prefix, timeout=5) as commands,
        ):
            created = await rest.customers.create(body=MOON)
            assert (await commands.customers.retrieve(created.id)) == created
            over_messages = await commands.customers.create(body=MOON)
            assert over_messages.href == f"{root}/customer/{over_messages.id}"
            assert (await rest.customers.retrieve(over_messages.id)) == over_messages
            await commands.customers.delete(created.id)
            assert len(await rest.customers.list()) == 1
