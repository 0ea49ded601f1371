from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from tmf629.runtime import APIResponseValidationError, partial_model

from .conftest import MakeHarness, customer, json_response, query_items, sequence
from .example_api import Customer


class Constrained(BaseModel):
    code: str = Field(min_length=3)
    label: str


def test_partial_model_is_a_cached_subclass() -> None:
    partial = partial_model(Customer)
    assert partial is partial_model(Customer)
    assert issubclass(partial, Customer)
    assert partial.model_fields["field_type"].alias == "@type"


def test_partial_model_keeps_constraints() -> None:
    partial = partial_model(Constrained)
    assert partial.model_validate({"label": "x"}).model_fields_set == {"label"}
    with pytest.raises(ValueError, match="at least 3 characters"):
        partial.model_validate({"code": "ab"})


async def test_retrieve_with_fields_allows_missing_required(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, {"name": "Moon", "status": "Active"})))

    result = await h.call(lambda c: c.customers.retrieve("42", fields=["name", "status"]))

    assert query_items(h.requests[0]) == [("fields", "name,status")]
    assert isinstance(result, Customer)
    assert result.name == "Moon"
    assert result.status == "Active"
    assert result.model_fields_set == {"name", "status"}
    assert result.model_dump(by_alias=True, exclude_unset=True) == {
        "name": "Moon",
        "status": "Active",
    }


async def test_fields_still_validate_requested_attributes(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, {"name": 12})))

    with pytest.raises(APIResponseValidationError, match="name"):
        await h.call(lambda c: c.customers.retrieve("42", fields=["name"]))


async def test_without_fields_required_attributes_are_enforced(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, {"name": "Moon"})))

    with pytest.raises(APIResponseValidationError, match="id"):
        await h.call(lambda c: c.customers.retrieve("42"))


async def test_list_with_fields_uses_partial_items(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, [{"id": "1"}, {"id": "2", "status": "Active"}])))

    page = await h.call(lambda c: c.customers.list(fields=["id", "status"]))

    assert [item.id for item in page] == ["1", "2"]
    assert [item.model_fields_set for item in page] == [{"id"}, {"id", "status"}]


async def test_create_and_update_send_fields(make: MakeHarness) -> None:
    h = make(sequence(json_response(201, {"id": "42"}), json_response(200, {"id": "42"})))

    created = await h.call(lambda c: c.customers.create(body={"name": "x"}, fields=["id"]))
    updated = await h.call(lambda c: c.customers.update("42", patch={"name": "y"}, fields=["id"]))

    assert created.id == updated.id == "42"
    assert [query_items(r) for r in h.requests] == [[("fields", "id")], [("fields", "id")]]


def test_full_model_is_unchanged() -> None:
    assert Customer.model_validate(customer()).name == "Customer 42"
