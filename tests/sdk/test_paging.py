from __future__ import annotations

import httpx
import pytest

from tmf629.runtime import Page

from .conftest import MakeHarness, customer, json_response, params_of, sequence


def customers(*ids: int) -> list[dict[str, str]]:
    return [customer(str(i)) for i in ids]


def test_page_next_offset_rules() -> None:
    assert Page([1, 2], offset=0, limit=2).next_offset == 2
    assert Page([1], offset=0, limit=2).next_offset is None
    assert Page([1], offset=0, limit=2, partial=True).next_offset == 1
    assert Page([], offset=4, limit=2, partial=True).next_offset is None
    assert Page([1, 2], offset=4, limit=2, total_count=6).next_offset is None
    assert Page([1, 2], offset=2, limit=2, total_count=6).next_offset == 4
    assert Page([1, 2], offset=0, limit=None).has_next_page() is False
    assert list(Page([1, 2], offset=0, limit=2)) == [1, 2]
    assert len(Page([1, 2, 3], offset=0, limit=None)) == 3


async def test_list_reads_paging_headers(make: MakeHarness) -> None:
    h = make(
        sequence(
            json_response(206, customers(3, 4), **{"X-Total-Count": "9", "X-Result-Count": "2"})
        )
    )

    page = await h.call(lambda c: c.customers.list(offset=2, limit=2))

    assert [c.id for c in page] == ["3", "4"]
    assert page.total_count == 9
    assert page.result_count == 2
    assert page.partial is True
    assert page.offset == 2
    assert page.limit == 2
    assert page.has_next_page() is True
    assert page.next_offset == 4
    assert params_of(h.requests) == [{"offset": "2", "limit": "2"}]


async def test_list_without_headers(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customers(1))))

    page = await h.call(lambda c: c.customers.list())

    assert (page.total_count, page.result_count, page.partial, page.offset) == (
        None,
        None,
        False,
        0,
    )
    assert page.has_next_page() is False


async def test_iter_stops_on_empty_page(make: MakeHarness) -> None:
    h = make(
        sequence(
            json_response(206, customers(1, 2)),
            json_response(206, customers(3, 4)),
            json_response(200, []),
        )
    )

    items = await h.collect(lambda c: c.customers.iter(page_size=2))

    assert [c.id for c in items] == ["1", "2", "3", "4"]
    assert params_of(h.requests) == [
        {"offset": "0", "limit": "2"},
        {"offset": "2", "limit": "2"},
        {"offset": "4", "limit": "2"},
    ]


async def test_iter_stops_on_short_complete_page(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, customers(1, 2)), json_response(200, customers(3))))

    items = await h.collect(lambda c: c.customers.iter(page_size=2))

    assert [c.id for c in items] == ["1", "2", "3"]
    assert len(h.requests) == 2


async def test_iter_continues_on_short_partial_page(make: MakeHarness) -> None:
    # 206 with fewer items than asked for: the server capped the page size.
    h = make(
        sequence(
            json_response(206, customers(1)),
            json_response(206, customers(2)),
            json_response(200, []),
        )
    )

    items = await h.collect(lambda c: c.customers.iter(page_size=5))

    assert [c.id for c in items] == ["1", "2"]
    assert [p["offset"] for p in params_of(h.requests)] == ["0", "1", "2"]


async def test_iter_stops_at_total_count(make: MakeHarness) -> None:
    h = make(
        sequence(
            json_response(206, customers(1, 2), **{"X-Total-Count": "4"}),
            json_response(206, customers(3, 4), **{"X-Total-Count": "4"}),
        )
    )

    items = await h.collect(lambda c: c.customers.iter(page_size=2))

    assert [c.id for c in items] == ["1", "2", "3", "4"]
    assert len(h.requests) == 2


async def test_iter_stops_when_server_ignores_offset(make: MakeHarness) -> None:
    # A finite sequence so that a broken guard fails instead of looping forever.
    h = make(sequence(*[json_response(206, customers(1, 2))] * 3))

    items = await h.collect(lambda c: c.customers.iter(page_size=2))

    assert [c.id for c in items] == ["1", "2"]
    assert len(h.requests) == 2


async def test_iter_passes_filter_fields_and_sort(make: MakeHarness) -> None:
    h = make(sequence(json_response(200, [{"id": "1"}])))

    items = await h.collect(
        lambda c: c.customers.iter(
            fields=["id"], filter={"status": "Active"}, sort=["-id"], page_size=10
        )
    )

    assert [c.model_fields_set for c in items] == [{"id"}]
    assert list(h.requests[0].url.params.multi_items()) == [
        ("fields", "id"),
        ("status", "Active"),
        ("sort", "-id"),
        ("offset", "0"),
        ("limit", "10"),
    ]


async def test_iter_rejects_non_positive_page_size(make: MakeHarness) -> None:
    h = make(lambda request: httpx.Response(500))

    with pytest.raises(ValueError, match="page_size"):
        await h.collect(lambda c: c.customers.iter(page_size=0))
    assert h.requests == []


async def test_iter_is_lazy(make: MakeHarness) -> None:
    h = make(lambda request: httpx.Response(500))

    iterator = h.client.customers.iter()

    assert h.requests == []
    del iterator
