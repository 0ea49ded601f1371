"""Generated header models and channel addresses, without a broker."""

from __future__ import annotations

import pydantic
import pytest

from tmf629 import _commands
from tmf629._commands import (
    CHANNELS,
    ListCustomerReplyHeaders,
    ListCustomerRequestHeaders,
    RetrieveCustomerRequestHeaders,
    RetrieveCustomerRequestParameters,
)
from tmf629.runtime import channel_address


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (None, "customerManagement.v5.retrieveCustomer.commandRequest"),
        ("", "customerManagement.v5.retrieveCustomer.commandRequest"),
        ("acme", "acme.customerManagement.v5.retrieveCustomer.commandRequest"),
        ("acme.emea", "acme.emea.customerManagement.v5.retrieveCustomer.commandRequest"),
    ],
)
def test_channel_address_with_and_without_prefix(prefix: str | None, expected: str) -> None:
    assert channel_address(CHANNELS["retrieveCustomer.commandRequest"], prefix) == expected


@pytest.mark.parametrize("prefix", ["a b", "a*", ">", "a..b", "#"])
def test_bad_prefixes(prefix: str) -> None:
    with pytest.raises(ValueError, match="invalid channel prefix"):
        channel_address(CHANNELS["retrieveCustomer.commandRequest"], prefix)


def test_every_command_has_typed_headers() -> None:
    operations = ("retrieve", "list", "create", "patch", "delete")
    for operation in operations:
        for part in ("Request", "Reply"):
            model = getattr(_commands, f"{operation.title()}Customer{part}Headers")
            assert issubclass(model, pydantic.BaseModel)
        assert f"{operation}Customer.commandRequest" in CHANNELS
    assert len([name for name in CHANNELS if name.startswith("event.")]) == 4


def test_request_headers_round_trip_as_strings() -> None:
    headers = ListCustomerRequestHeaders.model_validate(
        {
            "X-Correlation-Id": "c1",
            "Reply-Channel": "acme.customerManagement.v5.listCustomer.commandReply",
            "Parameters": {"fields": "name", "offset": 0, "limit": 10},
            "Query-Filters": "status=Active",
        }
    )
    wire = headers.to_wire()
    assert wire == {
        "X-Correlation-Id": "c1",
        "Reply-Channel": "acme.customerManagement.v5.listCustomer.commandReply",
        "Parameters": '{"fields":"name","offset":0,"limit":10}',
        "Query-Filters": "status=Active",
    }
    again = ListCustomerRequestHeaders.from_wire({**wire, "content-type": "application/json"})
    assert again == headers
    assert again.parameters.limit == 10


def test_reply_headers_parse_decimal_strings() -> None:
    reply = ListCustomerReplyHeaders.from_wire(
        {
            "X-Correlation-Id": "c1",
            "Status-Code": "200",
            "X-Total-Count": "12",
            "X-Result-Count": "10",
            "X-Request-Channel": "customerManagement.v5.listCustomer.commandRequest",
        }
    )
    assert (reply.status_code, reply.x_total_count, reply.x_result_count) == (200, 12, 10)


def test_header_models_reject_what_the_spec_forbids() -> None:
    with pytest.raises(pydantic.ValidationError):  # id is mandatory for retrieve
        RetrieveCustomerRequestHeaders.from_wire(
            {"X-Correlation-Id": "c", "Reply-Channel": "r", "Parameters": "{}"}
        )
    with pytest.raises(pydantic.ValidationError):  # unknown parameter
        RetrieveCustomerRequestParameters.model_validate({"id": "1", "colour": "red"})
    with pytest.raises(pydantic.ValidationError):  # Status-Code must be an integer
        ListCustomerReplyHeaders.from_wire(
            {"X-Correlation-Id": "c", "Status-Code": "OK", "X-Request-Channel": "x"}
        )


def test_sdk_import_does_not_load_faststream() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tmf629; tmf629.AsyncTmf629CommandClient; "
        "from tmf629._commands import AsyncTmf629CommandClient as C; C('nats://x:1'); "
        "assert 'faststream' not in sys.modules, 'faststream imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_header_types_come_from_the_asyncapi_document() -> None:
    from tmf629._metadata import METADATA

    channels = {channel["name"]: channel for channel in METADATA["channels"]}
    request = dict(map(tuple, channels["listCustomer.commandRequest"]["header_types"]))
    reply = dict(map(tuple, channels["listCustomer.commandReply"]["header_types"]))
    assert request["Parameters"] == "object"
    assert request["Parameters.offset"] == "integer"
    assert request["Parameters.fields"] == "string"
    assert reply["Status-Code"] == "integer"
    assert reply["X-Total-Count"] == "integer"


@pytest.mark.parametrize(
    ("url", "kind", "broker_class"),
    [
        ("nats://127.0.0.1:4222", "nats", "NatsBroker"),
        ("amqp://guest:guest@127.0.0.1:5672/?exchange=tmf", "rabbit", "RabbitBroker"),
        ("kafka://127.0.0.1:9092", "kafka", "KafkaBroker"),
        ("memory://", "memory", "NatsBroker"),
    ],
)
def test_broker_chosen_by_url(url: str, kind: str, broker_class: str) -> None:
    from tmf629.runtime import MessageBus

    bus = MessageBus(url)
    assert bus.kind == kind
    assert "guest" not in bus.display_url
    assert type(bus._make_broker()).__name__ == broker_class
    if kind == "rabbit":
        assert bus.exchange == "tmf"
