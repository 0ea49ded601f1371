"""The intermediate model built from the specs: what the SDK and the mock server rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmf629_codegen.build import load_api, package_name
from tmf629_codegen.ir import Api, api_from_dict, api_to_dict

ROOT = Path(__file__).parents[2]
WIDGET = ROOT / "tests" / "golden" / "widget" / "widget.openapi.yaml"
OPENAPI = ROOT / "specs" / "tmf629-customer-management.openapi.yaml"
ASYNCAPI = ROOT / "specs" / "tmf629-customer-management.asyncapi.yaml"


@pytest.fixture(scope="module")
def customer_api() -> Api:
    return load_api(OPENAPI, ASYNCAPI, "tmf629")


def test_widget_resource_rules() -> None:
    api = load_api(WIDGET)
    widget = api.resource("Widget")
    assert api.base_path == "/tmf-api/widgetManagement/v5"
    assert widget.path == "/widget"
    assert widget.item_path == "/widget/{id}"
    assert widget.attribute == "widgets"
    assert widget.mandatory_on_create == ("@type", "name")
    assert set(widget.non_patchable) == {"@type", "id", "href"}
    assert "name" in widget.patchable
    assert widget.discriminator_values == ("Widget", "SpecialWidget")
    assert widget.state_attribute == "status"
    assert not widget.read_only
    kinds = {op.operation_id: (op.kind, op.resource) for op in api.operations}
    assert kinds["deleteWidget"] == ("delete", "Widget")
    assert kinds["createHub"] == ("hub_create", None)
    assert kinds["widgetCreateEvent"] == ("listener", None)
    (event,) = api.events
    assert (event.name, event.kind, event.payload_key) == ("WidgetCreateEvent", "create", "widget")


def test_ir_round_trips_through_plain_data() -> None:
    api = load_api(WIDGET)
    assert api_from_dict(api_to_dict(api)) == api


@pytest.mark.parametrize(
    ("title", "package"),
    [("Customer Management", "customer_management"), ("5G Slice", "api_5g_slice")],
)
def test_package_name(title: str, package: str) -> None:
    assert package_name(title) == package


def test_customer_rules_follow_the_conformance_profile(customer_api: Api) -> None:
    customer = customer_api.resource("Customer")
    assert customer_api.base_path == "/tmf-api/customerManagement/v5"
    assert set(customer.mandatory_on_create) == {"@type", "name", "engagedParty"}
    assert set(customer.non_patchable) == {"@type", "id", "href"}
    assert {"name", "status", "engagedParty", "contactMedium", "characteristic"} <= set(
        customer.patchable
    )
    assert customer.patch_media_types == (
        "application/merge-patch+json",
        "application/json",
        "application/json-patch+json",
    )
    assert {kind for kind, _ in customer.operations} == {
        "list",
        "retrieve",
        "create",
        "patch",
        "delete",
    }
    assert customer.state_attribute == "status"
    assert set(customer.events) == {
        "CustomerCreateEvent",
        "CustomerAttributeValueChangeEvent",
        "CustomerStateChangeEvent",
        "CustomerDeleteEvent",
    }


def test_customer_channels(customer_api: Api) -> None:
    requests = {c.operation: c for c in customer_api.channels if c.role == "command_request"}
    replies = {c.operation: c for c in customer_api.channels if c.role == "command_reply"}
    operations = {f"{op}Customer" for op in ("retrieve", "list", "create", "patch", "delete")}
    assert set(requests) == operations
    assert set(replies) == operations
    retrieve = requests["retrieveCustomer"]
    assert retrieve.address == "{prefix}.customerManagement.v5.retrieveCustomer.commandRequest"
    assert ("X-Correlation-Id", True) in retrieve.headers
    assert ("Reply-Channel", True) in retrieve.headers
    assert ("id", True) in retrieve.parameter_headers
    assert ("Status-Code", True) in replies["retrieveCustomer"].headers
    assert len([c for c in customer_api.channels if c.role == "event"]) == 4


def test_committed_metadata_matches_the_spec(customer_api: Api) -> None:
    from tmf629._metadata import METADATA

    assert api_from_dict(METADATA) == customer_api
