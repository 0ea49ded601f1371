"""A hand-written stand-in for a generated TMF API module, showing the generator's contract.

A generated module (one per API, e.g. ``tmf629.customer_management``) defines:

1. Pydantic models (``Customer``, ``CustomerFVO`` for create, ``CustomerMVO`` for merge patch,
   event models, ``EventSubscription``...). JSON names are aliases (``@type`` ->
   ``field_type``), ``populate_by_name=True``; request bodies are dumped by the runtime with
   ``by_alias=True, exclude_unset=True, mode="json"``, so a model field explicitly set to
   ``None`` is sent as ``null`` while an unset field is omitted.
2. Per resource path, a ``SyncAPIResource`` subclass whose public methods (``list``, ``iter``,
   ``retrieve``, ``create``, ``update``, ``delete``, plus any others in the spec) have fully
   typed keyword-only parameters, a docstring from the spec, and a one-line body delegating to
   the matching ``self._list/_iter/_retrieve/_create/_update/_delete`` helper (or to
   ``self._client._request(method, path, cast_to=..., params=..., json_body=...,
   retryable=...)`` for anything else). Paths are relative to the client's ``base_url``; path
   parameters go through ``format_path("/customer/{id}", id=id)`` so they are percent-encoded.
   Every method takes ``options: RequestOptions`` (extra headers/query, timeout, max_retries,
   retryable).
3. A ``<Resource>WithRawResponse`` class wrapping each non-iterator method with
   ``to_raw_response_wrapper`` and a ``with_raw_response`` cached property on the resource.
   A wrapped method must make exactly one request through the runtime (the wrapper makes that
   request return the ``APIResponse``; ``parse()`` then gives what the method would return).
4. Async twins of 2 and 3 (``AsyncAPIResource``, ``async_to_raw_response_wrapper``) with the
   same names prefixed ``Async``; ``iter`` stays a plain ``def`` returning an ``AsyncIterator``.
5. A client subclassing ``SyncAPIClient`` (and ``AsyncAPIClient``) with one cached property
   per resource and no ``__init__`` of its own (``with_options`` relies on that).
6. ``LISTENER_EVENTS``: listener path suffix -> event model, for ``NotificationListener``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tmf629.runtime import (
    AsyncAPIClient,
    AsyncAPIResource,
    FilterInput,
    JsonPatch,
    Page,
    RequestOptions,
    SyncAPIClient,
    SyncAPIResource,
    async_to_raw_response_wrapper,
    format_path,
    to_raw_response_wrapper,
)

# --- models ---------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class PartyRef(_Model):
    field_type: str = Field(alias="@type")
    id: str
    href: str | None = None
    name: str | None = None
    referred_type: str | None = Field(default=None, alias="@referredType")


class CreditProfile(_Model):
    field_type: str = Field(alias="@type")
    id: str
    credit_score: int | None = Field(default=None, alias="creditScore")


class Customer(_Model):
    field_type: str = Field(alias="@type")
    id: str
    href: str
    name: str
    status: str | None = None
    engaged_party: PartyRef | None = Field(default=None, alias="engagedParty")
    credit_profile: list[CreditProfile] | None = Field(default=None, alias="creditProfile")


class CustomerFVO(_Model):
    """Customer as sent to create one."""

    field_type: str = Field(default="Customer", alias="@type")
    name: str
    status: str | None = None
    engaged_party: PartyRef | None = Field(default=None, alias="engagedParty")


class CustomerMVO(_Model):
    """Customer as sent in a merge patch: every attribute optional."""

    field_type: str | None = Field(default=None, alias="@type")
    name: str | None = None
    status: str | None = None
    engaged_party: PartyRef | None = Field(default=None, alias="engagedParty")


class EventSubscription(_Model):
    id: str
    callback: str
    query: str | None = None


class EventSubscriptionInput(_Model):
    callback: str
    query: str | None = None


class CustomerCreateEventPayload(_Model):
    customer: Customer


class CustomerCreateEvent(_Model):
    field_type: str = Field(default="CustomerCreateEvent", alias="@type")
    event_id: str = Field(alias="eventId")
    event_time: str = Field(alias="eventTime")
    event_type: str = Field(default="CustomerCreateEvent", alias="eventType")
    event: CustomerCreateEventPayload


LISTENER_EVENTS: Mapping[str, type[BaseModel]] = {
    "/listener/customerCreateEvent": CustomerCreateEvent,
}

# --- sync resources -------------------------------------------------------------------------


class CustomersResource(SyncAPIResource):
    def list(
        self,
        *,
        fields: Sequence[str] | None = None,
        filter: FilterInput | None = None,
        sort: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> Page[Customer]:
        """List or find Customer objects."""
        return self._list(
            "/customer",
            model=Customer,
            fields=fields,
            filter=filter,
            sort=sort,
            offset=offset,
            limit=limit,
            options=options,
        )

    def iter(
        self,
        *,
        fields: Sequence[str] | None = None,
        filter: FilterInput | None = None,
        sort: Sequence[str] | None = None,
        page_size: int = 100,
        options: RequestOptions | None = None,
    ) -> Iterator[Customer]:
        """Iterate over every matching Customer, fetching page after page."""
        return self._iter(
            "/customer",
            model=Customer,
            fields=fields,
            filter=filter,
            sort=sort,
            page_size=page_size,
            options=options,
        )

    def retrieve(
        self,
        id: str,
        *,
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Retrieves a Customer by ID."""
        return self._retrieve(
            format_path("/customer/{id}", id=id), model=Customer, fields=fields, options=options
        )

    def create(
        self,
        *,
        body: CustomerFVO | Mapping[str, Any],
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Creates a Customer."""
        return self._create("/customer", body=body, model=Customer, fields=fields, options=options)

    def update(
        self,
        id: str,
        *,
        patch: CustomerMVO | Mapping[str, Any] | JsonPatch,
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Updates partially a Customer (merge patch, or JSON Patch)."""
        return self._update(
            format_path("/customer/{id}", id=id),
            patch=patch,
            model=Customer,
            fields=fields,
            options=options,
        )

    def delete(self, id: str, *, options: RequestOptions | None = None) -> None:
        """Deletes a Customer."""
        return self._delete(format_path("/customer/{id}", id=id), options=options)

    @cached_property
    def with_raw_response(self) -> CustomersResourceWithRawResponse:
        """The same operations, returning the raw ``APIResponse`` (status, headers, parse())."""
        return CustomersResourceWithRawResponse(self)


class CustomersResourceWithRawResponse:
    def __init__(self, resource: CustomersResource) -> None:
        self.list = to_raw_response_wrapper(resource.list)
        self.retrieve = to_raw_response_wrapper(resource.retrieve)
        self.create = to_raw_response_wrapper(resource.create)
        self.update = to_raw_response_wrapper(resource.update)
        self.delete = to_raw_response_wrapper(resource.delete)


class HubResource(SyncAPIResource):
    def register(
        self,
        *,
        body: EventSubscriptionInput | Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> EventSubscription:
        """Register a listener (callback URL) for notifications."""
        return self._create("/hub", body=body, model=EventSubscription, options=options)

    def unregister(self, id: str, *, options: RequestOptions | None = None) -> None:
        """Unregister a listener."""
        return self._delete(format_path("/hub/{id}", id=id), options=options)

    @cached_property
    def with_raw_response(self) -> HubResourceWithRawResponse:
        return HubResourceWithRawResponse(self)


class HubResourceWithRawResponse:
    def __init__(self, resource: HubResource) -> None:
        self.register = to_raw_response_wrapper(resource.register)
        self.unregister = to_raw_response_wrapper(resource.unregister)


class ExampleClient(SyncAPIClient):
    """Customer Management client; ``base_url`` includes the API base path."""

    @cached_property
    def customers(self) -> CustomersResource:
        return CustomersResource(self)

    @cached_property
    def hub(self) -> HubResource:
        return HubResource(self)


# --- async resources ------------------------------------------------------------------------


class AsyncCustomersResource(AsyncAPIResource):
    async def list(
        self,
        *,
        fields: Sequence[str] | None = None,
        filter: FilterInput | None = None,
        sort: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> Page[Customer]:
        """List or find Customer objects."""
        return await self._list(
            "/customer",
            model=Customer,
            fields=fields,
            filter=filter,
            sort=sort,
            offset=offset,
            limit=limit,
            options=options,
        )

    def iter(
        self,
        *,
        fields: Sequence[str] | None = None,
        filter: FilterInput | None = None,
        sort: Sequence[str] | None = None,
        page_size: int = 100,
        options: RequestOptions | None = None,
    ) -> AsyncIterator[Customer]:
        """Iterate (``async for``) over every matching Customer, fetching page after page."""
        return self._iter(
            "/customer",
            model=Customer,
            fields=fields,
            filter=filter,
            sort=sort,
            page_size=page_size,
            options=options,
        )

    async def retrieve(
        self,
        id: str,
        *,
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Retrieves a Customer by ID."""
        return await self._retrieve(
            format_path("/customer/{id}", id=id), model=Customer, fields=fields, options=options
        )

    async def create(
        self,
        *,
        body: CustomerFVO | Mapping[str, Any],
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Creates a Customer."""
        return await self._create(
            "/customer", body=body, model=Customer, fields=fields, options=options
        )

    async def update(
        self,
        id: str,
        *,
        patch: CustomerMVO | Mapping[str, Any] | JsonPatch,
        fields: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Customer:
        """Updates partially a Customer (merge patch, or JSON Patch)."""
        return await self._update(
            format_path("/customer/{id}", id=id),
            patch=patch,
            model=Customer,
            fields=fields,
            options=options,
        )

    async def delete(self, id: str, *, options: RequestOptions | None = None) -> None:
        """Deletes a Customer."""
        return await self._delete(format_path("/customer/{id}", id=id), options=options)

    @cached_property
    def with_raw_response(self) -> AsyncCustomersResourceWithRawResponse:
        """The same operations, returning the raw ``AsyncAPIResponse``."""
        return AsyncCustomersResourceWithRawResponse(self)


class AsyncCustomersResourceWithRawResponse:
    def __init__(self, resource: AsyncCustomersResource) -> None:
        self.list = async_to_raw_response_wrapper(resource.list)
        self.retrieve = async_to_raw_response_wrapper(resource.retrieve)
        self.create = async_to_raw_response_wrapper(resource.create)
        self.update = async_to_raw_response_wrapper(resource.update)
        self.delete = async_to_raw_response_wrapper(resource.delete)


class AsyncHubResource(AsyncAPIResource):
    async def register(
        self,
        *,
        body: EventSubscriptionInput | Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> EventSubscription:
        """Register a listener (callback URL) for notifications."""
        return await self._create("/hub", body=body, model=EventSubscription, options=options)

    async def unregister(self, id: str, *, options: RequestOptions | None = None) -> None:
        """Unregister a listener."""
        return await self._delete(format_path("/hub/{id}", id=id), options=options)

    @cached_property
    def with_raw_response(self) -> AsyncHubResourceWithRawResponse:
        return AsyncHubResourceWithRawResponse(self)


class AsyncHubResourceWithRawResponse:
    def __init__(self, resource: AsyncHubResource) -> None:
        self.register = async_to_raw_response_wrapper(resource.register)
        self.unregister = async_to_raw_response_wrapper(resource.unregister)


class AsyncExampleClient(AsyncAPIClient):
    """Async Customer Management client; ``base_url`` includes the API base path."""

    @cached_property
    def customers(self) -> AsyncCustomersResource:
        return AsyncCustomersResource(self)

    @cached_property
    def hub(self) -> AsyncHubResource:
        return AsyncHubResource(self)
