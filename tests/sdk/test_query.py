from __future__ import annotations

import datetime
import enum

import pytest

from tmf629.runtime import Filter, where
from tmf629.runtime._query import build_list_params, filter_params

from .conftest import MakeHarness, json_response, query_items, sequence


class Status(enum.Enum):
    ACTIVE = "Active"


def test_equality_and_every_operator() -> None:
    assert (where("status") == "Active").to_params() == [("status", "Active")]
    assert (where("status") != "Closed").to_params() == [("status.ne", "Closed")]
    assert where("name").eq("Moon").to_params() == [("name.eq", "Moon")]
    assert where("name").ne("Moon").to_params() == [("name.ne", "Moon")]
    assert where("creditProfile.creditScore").gt(3).to_params() == [
        ("creditProfile.creditScore.gt", "3")
    ]
    assert where("creditProfile.creditScore").gte(3).to_params() == [
        ("creditProfile.creditScore.gte", "3")
    ]
    assert where("score").lt(2.5).to_params() == [("score.lt", "2.5")]
    assert where("score").lte(10).to_params() == [("score.lte", "10")]
    assert where("name").regex(r"^Moon.*$").to_params() == [("name.regex", "^Moon.*$")]
    assert where("name").regex(r"^M{1,2}").to_params() == [("name.regex", "^M{1,2}")]


def test_in_renders_comma_separated_or() -> None:
    assert where("status").in_(["Active", "Pending"]).to_params() == [("status", "Active,Pending")]


def test_dotted_paths_and_and_combination() -> None:
    combined = (
        (where("contactMedium.characteristic.city") == "Paris")
        & where("creditProfile.creditScore").gte(3)
        & where("status").in_(["Active", "Pending"])
    )
    assert isinstance(combined, Filter)
    assert combined.to_params() == [
        ("contactMedium.characteristic.city", "Paris"),
        ("creditProfile.creditScore.gte", "3"),
        ("status", "Active,Pending"),
    ]


def test_value_rendering() -> None:
    moment = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
    assert (where("flag") == True).to_params() == [("flag", "true")]  # noqa: E712
    assert (where("flag") == False).to_params() == [("flag", "false")]  # noqa: E712
    assert where("validFor.startDateTime").gte(moment).to_params() == [
        ("validFor.startDateTime.gte", "2024-05-01T12:30:00+00:00")
    ]
    assert (where("day") == datetime.date(2024, 5, 1)).to_params() == [("day", "2024-05-01")]
    assert (where("status") == Status.ACTIVE).to_params() == [("status", "Active")]


@pytest.mark.parametrize(
    "build",
    [
        lambda: where("name") == "Moon, Inc",
        lambda: where("status").in_(["Active", "A,B"]),
        lambda: filter_params({"name": "Moon, Inc"}),
        lambda: filter_params({"name": ["ok", "not,ok"]}),
    ],
)
def test_commas_in_values_are_rejected(build: object) -> None:
    with pytest.raises(ValueError, match="comma"):
        build()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "invalid attribute path"),
        ("a..b", "invalid attribute path"),
        (".a", "invalid attribute path"),
        ("a.", "invalid attribute path"),
        ("fields", "reserved"),
        ("sort.x", "reserved"),
        ("limit", "reserved"),
        ("expand", "reserved"),
        ("a,b", "invalid character"),
        ("a=b", "invalid character"),
    ],
)
def test_invalid_paths_are_rejected(path: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        where(path)


def test_in_needs_values() -> None:
    with pytest.raises(ValueError, match="at least one"):
        where("status").in_([])


def test_mapping_filters() -> None:
    assert filter_params(
        {"status": ["Active", "Pending"], "name": "Moon", "creditScore.gte": 3, "vip": True}
    ) == [
        ("status", "Active,Pending"),
        ("name", "Moon"),
        ("creditScore.gte", "3"),
        ("vip", "true"),
    ]
    with pytest.raises(ValueError, match="reserved"):
        filter_params({"offset": 3})


def test_list_params_fields_sort_offset_limit() -> None:
    assert build_list_params(
        fields=["name", "status"],
        filter=where("status") == "Active",
        sort=["name", "-creditScore"],
        offset=20,
        limit=10,
    ) == [
        ("fields", "name,status"),
        ("status", "Active"),
        ("sort", "name,-creditScore"),
        ("offset", "20"),
        ("limit", "10"),
    ]
    assert build_list_params(fields="name", sort="-name") == [
        ("fields", "name"),
        ("sort", "-name"),
    ]
    assert build_list_params() == []
    with pytest.raises(ValueError, match="one attribute name per item"):
        build_list_params(fields="name,status")
    with pytest.raises(ValueError, match="one attribute name per item"):
        build_list_params(sort=["name", ""])


async def test_list_sends_the_query(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, [])))

    await h.call(
        lambda c: c.customers.list(
            filter=where("status").in_(["Active", "Pending"]) & where("name").regex("^Moon"),
            sort=["-name"],
            limit=5,
        )
    )

    request = h.requests[0]
    assert request.url.path == "/tmf-api/customerManagement/v5/customer"
    assert query_items(request) == [
        ("status", "Active,Pending"),
        ("name.regex", "^Moon"),
        ("sort", "-name"),
        ("limit", "5"),
    ]


async def test_list_accepts_a_mapping_filter(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, [])))

    await h.call(lambda c: c.customers.list(filter={"engagedParty.id": "p1", "status": "Active"}))

    assert query_items(h.requests[0]) == [("engagedParty.id", "p1"), ("status", "Active")]
