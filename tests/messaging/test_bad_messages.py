"""Bad requests get a reply with the right Status-Code and a TMF Error payload whenever a reply
channel is known; otherwise they are logged. The responder never dies, and never acknowledges
a message it failed to process."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.messaging.conftest import MOON, Recorder, Stack
from tmf629._commands import CHANNELS
from tmf629.runtime import IncomingMessage


def _request(stack: Stack, operation: str) -> str:
    return stack.address(CHANNELS[f"{operation}.commandRequest"])


def _reply(stack: Stack, operation: str) -> str:
    return stack.address(CHANNELS[f"{operation}.commandReply"])


async def _ask(
    stack: Stack, operation: str, headers: dict[str, str], body: bytes = b""
) -> IncomingMessage:
    recorder = Recorder()
    reply = headers.get("Reply-Channel") or _reply(stack, operation)
    await stack.bus.subscribe(reply, recorder)
    await stack.bus.publish(_request(stack, operation), body, headers)
    [answer] = await recorder.wait_for(1)
    return answer


def _error(message: IncomingMessage) -> dict[str, Any]:
    body = json.loads(message.body)
    assert body["@type"] == "Error"
    assert body["status"] == message.headers["Status-Code"]
    assert body["code"]
    assert body["reason"]
    assert body["message"]
    return dict(body)


def _headers(stack: Stack, operation: str, parameters: Any = None) -> dict[str, str]:
    return {
        "X-Correlation-Id": f"cid-{operation}",
        "Reply-Channel": _reply(stack, operation),
        "Parameters": json.dumps(parameters or {}),
    }


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name": NaN}',
        b'{"n": 1' + b"0" * 400 + b"}",
    ],
    ids=["not-json", "deep", "nan", "huge-number"],
)
async def test_payload_not_json(stack: Stack, body: bytes) -> None:
    answer = await _ask(stack, "createCustomer", _headers(stack, "createCustomer"), body)
    assert answer.headers["Status-Code"] == "400"
    assert answer.headers["X-Correlation-Id"] == "cid-createCustomer"
    assert answer.headers["X-Request-Channel"] == _request(stack, "createCustomer")
    assert _error(answer)["reason"] == "Malformed JSON payload"


async def test_missing_correlation_id(stack: Stack) -> None:
    headers = _headers(stack, "retrieveCustomer", {"id": "1"})
    del headers["X-Correlation-Id"]
    answer = await _ask(stack, "retrieveCustomer", headers)
    assert answer.headers["Status-Code"] == "400"
    assert "X-Correlation-Id" not in answer.headers
    assert "X-Correlation-Id" in _error(answer)["message"]


async def test_schema_invalid_payload(stack: Stack) -> None:
    body = json.dumps({**MOON, "validFor": {"startDateTime": "yesterday"}}).encode()
    answer = await _ask(stack, "createCustomer", _headers(stack, "createCustomer"), body)
    assert answer.headers["Status-Code"] == "400"
    assert "validFor" in _error(answer)["message"]

    body = json.dumps({**MOON, "name": 42}).encode()
    answer = await _ask(stack, "createCustomer", _headers(stack, "createCustomer"), body)
    assert answer.headers["Status-Code"] == "400"

    patch = json.dumps([{"op": "jump", "path": "/name"}]).encode()
    headers = _headers(stack, "patchCustomer", {"id": "1"})
    answer = await _ask(stack, "patchCustomer", headers, patch)
    assert answer.headers["Status-Code"] == "400"


async def test_unknown_id(stack: Stack) -> None:
    for operation in ("retrieveCustomer", "deleteCustomer"):
        headers = _headers(stack, operation, {"id": "no-such-customer"})
        answer = await _ask(stack, operation, headers)
        assert answer.headers["Status-Code"] == "404"
        assert "no-such-customer" in _error(answer)["message"]


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (None, "Missing mandatory header 'Parameters'"),
        ("[1]", "JSON text of an object"),
        ("{oops", "JSON text of an object"),
        ("{}", "Missing mandatory parameter 'id'"),
        ('{"id": 7}', "must be of type string"),
        ('{"id": "1", "colour": "red"}', "Unknown member 'colour'"),
    ],
)
async def test_bad_parameters_header(stack: Stack, parameters: str | None, expected: str) -> None:
    headers = _headers(stack, "retrieveCustomer")
    if parameters is None:
        del headers["Parameters"]
    else:
        headers["Parameters"] = parameters
    answer = await _ask(stack, "retrieveCustomer", headers)
    assert answer.headers["Status-Code"] == "400"
    assert expected in _error(answer)["message"]


async def test_missing_reply_channel_uses_the_documented_one(stack: Stack) -> None:
    created = await stack.commands.customers.create(body=MOON)
    headers = _headers(stack, "retrieveCustomer", {"id": created.id})
    del headers["Reply-Channel"]
    answer = await _ask(stack, "retrieveCustomer", headers)
    assert answer.headers["Status-Code"] == "200"
    assert json.loads(answer.body)["id"] == created.id


async def test_custom_reply_channel(stack: Stack) -> None:
    headers = _headers(stack, "listCustomer", {"limit": 1})
    headers["Reply-Channel"] = stack.address("{prefix}.private.inbox")
    answer = await _ask(stack, "listCustomer", headers)
    assert answer.headers["Status-Code"] == "200"
    assert answer.headers["X-Total-Count"] == "0"


async def test_unusable_reply_channel_is_logged_and_the_responder_goes_on(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    headers = _headers(stack, "retrieveCustomer", {"id": "1"})
    headers["Reply-Channel"] = "bad.*.channel"
    with caplog.at_level(logging.WARNING, logger="tmf629_mock.messaging"):
        await stack.bus.publish(_request(stack, "retrieveCustomer"), b"", headers)
        created = await stack.commands.customers.create(body=MOON)  # still answering
    assert (await stack.commands.customers.retrieve(created.id)).id == created.id
    assert any("unusable Reply-Channel" in record.getMessage() for record in caplog.records)


class _Settled:
    """A stand-in for a delivered message that records how it was settled."""

    def __init__(self, address: str, headers: dict[str, str], body: bytes = b"") -> None:
        self.message = IncomingMessage(address, body, headers, self)
        self.settled: list[str] = []

    async def ack(self) -> None:
        self.settled.append("ack")

    async def reject(self) -> None:
        self.settled.append("reject")

    async def nack(self) -> None:
        self.settled.append("nack")


async def test_settlement(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.messaging.conftest import open_stack

    async for stack in open_stack("memory://", "settle"):
        messaging = stack.messaging
        route = next(r for r in messaging.routes if r.operation.kind == "retrieve")
        handle = messaging._handler(route)
        address = _request(stack, "retrieveCustomer")

        answered = _Settled(address, _headers(stack, "retrieveCustomer", {"id": "nope"}))
        await handle(answered.message)
        assert answered.settled == ["ack"]  # a 404 is a processed request

        no_reply = _Settled(address, {**_headers(stack, "retrieveCustomer"), "Reply-Channel": "#"})
        await handle(no_reply.message)
        assert no_reply.settled == ["reject"]

        async def broken(*_: Any, **__: Any) -> Any:
            raise RuntimeError("store on fire")

        monkeypatch.setattr(messaging.service, "retrieve", broken)
        failed = _Settled(address, _headers(stack, "retrieveCustomer", {"id": "1"}))
        recorder = Recorder()
        await stack.bus.subscribe(_reply(stack, "retrieveCustomer"), recorder)
        await handle(failed.message)
        assert failed.settled == ["reject"]  # answered 500, never acknowledged
        [answer] = await recorder.wait_for(1)
        assert answer.headers["Status-Code"] == "500"

        async def unpublishable(*_: Any, **__: Any) -> None:
            raise ConnectionError("broker gone")

        monkeypatch.setattr(messaging.bus, "publish", unpublishable)
        lost = _Settled(address, _headers(stack, "retrieveCustomer", {"id": "1"}))
        await handle(lost.message)
        assert lost.settled == ["nack"]  # the reply could not be sent: redeliver
