"""Transport-independent TMF operations: create, retrieve, list, patch, delete, and the hub.

Results are plain :class:`Result` values (status, body, headers); failures are raised as
:class:`~tmf629_mock.errors.TmfError`. The HTTP handlers are thin wrappers around this module,
and a messaging transport can reuse it as is. Nothing here is specific to one API: the resources,
their mandatory/non-patchable attributes, state attribute and events come from the
:class:`~tmf629_mock.ir.Api` model.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tmf629_mock import events as event_builder
from tmf629_mock.errors import TmfError, bad_request, not_found
from tmf629_mock.fields import parse_fields, select_fields
from tmf629_mock.hub import Hub
from tmf629_mock.ids import random_uuid
from tmf629_mock.ir import Api, Resource
from tmf629_mock.jsonbody import encode_json
from tmf629_mock.patching import apply_patch, patch_kind
from tmf629_mock.query import parse_filter, parse_sort
from tmf629_mock.schemas import SchemaRegistry, descends_below_primitive, fill_missing_ids
from tmf629_mock.store import Document, Store, copy_document

__all__ = ["Result", "Service"]

logger = logging.getLogger(__name__)

Documents = list[Document]  # (``list`` is shadowed inside Service by the operation)


@dataclass
class Result:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    encoded: bytes | None = None
    """``body`` already encoded as JSON."""
    accepted_by: Any = None
    """A validator that accepted ``body`` just before it was encoded into ``encoded``."""


def _parent_resource(api: Api, path: str, parameter: str) -> Resource | None:
    """The resource whose item path is ``path`` up to ``{parameter}`` (``/a/{id}`` for ``aId``)."""
    marker = "{" + parameter + "}"
    if marker not in path:
        return None
    prefix = _path_shape(path[: path.index(marker) + len(marker)])
    return next(
        (r for r in api.resources if r.item_path and _path_shape(r.item_path) == prefix), None
    )


def _path_shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))


def _check_mandatory(resource: Resource, document: Mapping[str, Any]) -> None:
    for name in resource.mandatory_on_create:
        if _blank(document.get(name)):
            raise TmfError(
                400,
                f"Missing mandatory attribute {name!r}: it must be supplied, not blank or null",
                reason="Missing mandatory attribute",
            )


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict | list):
        return not value
    return False


class Service:
    def __init__(
        self,
        api: Api,
        store: Store,
        *,
        schemas: SchemaRegistry | None = None,
        hub: Hub | None = None,
        deterministic_ids: bool = False,
    ) -> None:
        self.api = api
        self.store = store
        self.schemas = schemas
        self.hub = hub or Hub(api, store)
        self.deterministic_ids = deterministic_ids
        self.seed_data: Any = None
        self.event_sinks: list[Callable[[list[dict[str, Any]]], None]] = []
        """Called with the event bodies of each write, like the hub (e.g. a message bus)."""
        self._opened = False
        self._starting: asyncio.Lock | None = None

    async def ready(self, *, base_url: str | None = None) -> None:
        """Open the store on first use; load pending seed data once a base URL is known."""
        if self._opened and (self.seed_data is None or base_url is None):
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if not self._opened:
                await self.store.open()
                self._opened = True
            if self.seed_data is not None and base_url is not None:
                await self.seed(self.seed_data, base_url=base_url)
                self.seed_data = None

    # -- helpers -------------------------------------------------------------------------------

    def resource(self, name: str) -> Resource:
        try:
            return self.api.resource(name)
        except KeyError:
            raise TmfError(501, f"Unknown resource {name!r}") from None

    @staticmethod
    def collection(resource: Resource, parents: Mapping[str, str] | None = None) -> str:
        if not resource.parent_parameters:
            return resource.name
        values = [f"{name}={(parents or {}).get(name, '')}" for name in resource.parent_parameters]
        return resource.name + "|" + "&".join(values)

    @staticmethod
    def collection_path(resource: Resource, parents: Mapping[str, str] | None = None) -> str:
        path = resource.path
        for name, value in (parents or {}).items():
            path = path.replace("{" + name + "}", value)
        return path

    async def _check_parents(self, resource: Resource, parents: Mapping[str, str] | None) -> None:
        """A sub-resource collection (``/a/{aId}/b``) exists only under an existing parent."""
        values = [(parents or {}).get(name, "") for name in resource.parent_parameters]
        for position, name in enumerate(resource.parent_parameters):
            parent = _parent_resource(self.api, resource.path, name)
            if parent is None:
                continue
            owner = dict(zip(parent.parent_parameters, values[:position], strict=False))
            if await self.store.get(self.collection(parent, owner), values[position]) is None:
                raise not_found(parent.name, values[position][:64])

    async def _new_id(self, collection: str) -> str:
        if self.deterministic_ids:
            return str(await self.store.next_sequence(collection))
        return random_uuid()

    def _complete(self, resource: Resource, document: Document) -> None:
        """Generate the ids of contained entities the resource schema requires."""
        if self.schemas is not None:
            schema = self.schemas.schema(resource.name)
            fill_missing_ids(schema, document, random_uuid)

    def _validate(self, resource: Resource, document: Document) -> None:
        if self.schemas is not None:
            self.schemas.validate(resource.name, document, what=resource.name)

    def _written(
        self,
        status: int,
        resource: Resource,
        document: Document,
        encoded: bytes | None = None,
        **extra: Any,
    ) -> Result:
        """The result of a write that returns the whole resource, which :meth:`_validate` has
        just accepted: encoded at once (unless the store has, as ``encoded``), with that
        validator, so that response validation need not run the same check on the same bytes
        again."""
        accepted_by = self.schemas.validator(resource.name) if self.schemas else None
        if encoded is None:
            encoded = encode_json(document)
        return Result(status, document, encoded=encoded, accepted_by=accepted_by, **extra)

    def _publish(self, make: Callable[[], event_builder.WriteEvents]) -> None:
        """Hand the events ``make`` gives to the hub and the sinks, if any of them listens."""
        to_hub = self.hub.wants_events()
        if not to_hub and not self.event_sinks:
            return
        events = make()
        if to_hub:
            try:
                self.hub.publish(events)
            except Exception:  # pragma: no cover - events never fail the API call
                logger.exception("could not publish events")
        for sink in self.event_sinks:
            try:
                sink(events.bodies())
            except Exception:  # pragma: no cover - events never fail the API call
                logger.exception("could not publish events")

    # -- operations ----------------------------------------------------------------------------

    async def create(
        self,
        resource_name: str,
        body: Any,
        *,
        base_url: str,
        fields: str | None = None,
        parents: Mapping[str, str] | None = None,
    ) -> Result:
        """``base_url`` is ``{scheme}://{host}{base_path}``; the href is built from it. The
        service takes ``body`` over: nested objects may be completed in place."""
        await self.ready()
        resource = self.resource(resource_name)
        if not isinstance(body, dict):
            raise bad_request(f"The {resource.name} body must be a JSON object")
        _check_mandatory(resource, body)
        kind = body.get("@type")
        if resource.discriminator_values and kind not in resource.discriminator_values:
            allowed = ", ".join(resource.discriminator_values)
            raise TmfError(
                400,
                f"Invalid '@type' {kind!r}: expected one of {allowed}",
                reason="Invalid attribute value",
            )
        if resource.parent_parameters:
            await self._check_parents(resource, parents)
        collection = self.collection(resource, parents)
        # The body is the caller's to give: completing it (ids of contained entities) needs
        # no copy, the store keeps its own.
        if "id" in body or "href" in body:
            body = {key: value for key, value in body.items() if key not in ("id", "href")}
        prefix = f"{base_url.rstrip('/')}{self.collection_path(resource, parents)}/"
        for _ in range(1000):
            ident = await self._new_id(collection)
            document: Document = {"id": ident, "href": prefix + ident, **body}
            self._complete(resource, document)
            self._validate(resource, document)
            try:
                with _storable:
                    encoded = await self.store.insert(collection, document)
            except KeyError:
                continue  # the id is taken (seeded data): draw the next one
            break
        else:  # pragma: no cover
            raise TmfError(500, "Could not allocate an id")
        self._publish(lambda: event_builder.events_after_create(self.api, resource, document))
        headers = {"Location": document["href"]}
        selection = parse_fields(fields)
        if selection is None:
            return self._written(201, resource, document, encoded, headers=headers)
        return Result(201, select_fields(document, selection), headers)

    async def retrieve(
        self,
        resource_name: str,
        ident: str,
        *,
        fields: str | None = None,
        parents: Mapping[str, str] | None = None,
    ) -> Result:
        await self.ready()
        resource = self.resource(resource_name)
        _check_ident(resource.name, ident)
        # Only encoded into the response: the store's own copy may be handed out.
        found = await self.store.view_json(self.collection(resource, parents), ident)
        if found is None:
            raise not_found(resource.name, ident)
        document, encoded = found
        selection = parse_fields(fields)
        if selection is None:
            return Result(200, document, encoded=encoded)
        return Result(200, select_fields(document, selection))

    async def list(
        self,
        resource_name: str,
        query: Iterable[tuple[str, str]],
        *,
        parents: Mapping[str, str] | None = None,
    ) -> Result:
        await self.ready()
        resource = self.resource(resource_name)
        pairs = list(query)
        single: dict[str, str] = {}
        for name, value in pairs:
            if name in ("offset", "limit", "fields", "sort"):
                if name in single:
                    raise bad_request(f"Parameter {name!r} given more than once")
                single[name] = value
        offset = _non_negative(single.get("offset"), "offset", 0)
        limit_value = single.get("limit")
        limit = None if limit_value in (None, "") else _non_negative(limit_value, "limit", 0)
        known = set(resource.properties) | {"id", "href", "@type", "@baseType", "@schemaLocation"}
        filter_ = parse_filter(pairs, known_attributes=known)
        if self.schemas is not None:
            schema = self.schemas.schema(resource.name)
            for condition in filter_.conditions:
                wrong = descends_below_primitive(schema, condition.path)
                if wrong is not None:
                    raise bad_request(
                        f"Invalid operator or attribute {wrong!r} in filter "
                        f"{'.'.join(condition.path)!r}: operators are eq, ne, gt, gte, lt, lte, "
                        "regex",
                        reason="Invalid filter",
                    )
        sort = parse_sort(single.get("sort"), known_attributes=known)
        await self._check_parents(resource, parents)
        with _storable:
            page = await self.store.query(
                self.collection(resource, parents), filter_, sort, offset, limit
            )
        selection = parse_fields(single.get("fields"))
        items = [select_fields(document, selection) for document in page.items]
        status = 206 if len(items) < page.total else 200
        headers = {"X-Total-Count": str(page.total), "X-Result-Count": str(len(items))}
        return Result(status, items, headers)

    async def patch(
        self,
        resource_name: str,
        ident: str,
        body: Any,
        *,
        content_type: str | None,
        fields: str | None = None,
        parents: Mapping[str, str] | None = None,
    ) -> Result:
        await self.ready()
        resource = self.resource(resource_name)
        kind = patch_kind(content_type)
        media = (content_type or "application/json").split(";")[0].strip().lower()
        if resource.patch_media_types and media not in resource.patch_media_types:
            raise TmfError(415, f"Unsupported patch media type {media!r}")
        before: list[Document] = []

        def change(document: Document) -> Document:
            before.append(copy_document(document))
            updated = apply_patch(document, body, kind, resource.non_patchable)
            # What is mandatory on create stays so: a patch may change it, not remove it.
            _check_mandatory(resource, updated)
            self._complete(resource, updated)
            self._validate(resource, updated)
            return updated

        _check_ident(resource.name, ident)
        with _storable:
            updated = await self.store.update(self.collection(resource, parents), ident, change)
        if updated is None:
            raise not_found(resource.name, ident)
        self._publish(
            lambda: event_builder.events_after_patch(self.api, resource, before[-1], updated)
        )
        selection = parse_fields(fields)
        if selection is None:
            return self._written(200, resource, updated)
        return Result(200, select_fields(updated, selection))

    async def delete(
        self, resource_name: str, ident: str, *, parents: Mapping[str, str] | None = None
    ) -> Result:
        await self.ready()
        resource = self.resource(resource_name)
        _check_ident(resource.name, ident)
        document = await self.store.delete(self.collection(resource, parents), ident)
        if document is None:
            raise not_found(resource.name, ident)
        self._publish(lambda: event_builder.events_after_delete(self.api, resource, document))
        return Result(204)

    # -- hub -----------------------------------------------------------------------------------

    async def create_hub(self, body: Any, *, hub_url: str) -> Result:
        await self.ready()
        with _storable:
            subscription = await self.hub.subscribe(body)
        return Result(
            201, subscription, {"Location": f"{hub_url.rstrip('/')}/{subscription['id']}"}
        )

    async def retrieve_hub(self, ident: str) -> Result:
        await self.ready()
        _check_ident("Hub", ident)
        return Result(200, await self.hub.get(ident))

    async def delete_hub(self, ident: str) -> Result:
        await self.ready()
        _check_ident("Hub", ident)
        await self.hub.unsubscribe(ident)
        return Result(204)

    # -- administration ------------------------------------------------------------------------

    async def reset(self) -> None:
        await self.ready()
        await self.hub.reset()
        await self.store.clear()

    def seed_documents(self, data: Any) -> dict[str, Documents]:
        """Normalise and check seed data (``ValueError`` naming the bad entry).

        ``data`` is a list (resources of the API's first resource) or
        ``{resource name: [...]}``; entries get contained-entity ids and are validated against
        the resource schema (with placeholder ``id``/``href`` where they are missing).
        """
        if isinstance(data, list):
            data = {self.api.resources[0].name: data} if self.api.resources else {}
        if not isinstance(data, dict):
            raise ValueError("seed data must be a list or an object of lists")
        result: dict[str, Documents] = {}
        for name, documents in data.items():
            try:
                resource = self.api.resource(name)
            except KeyError:
                raise ValueError(f"seed: unknown resource {name!r}") from None
            if not isinstance(documents, list):
                raise ValueError(f"seed: {name} must be a list")
            checked: Documents = []
            for index, item in enumerate(documents):
                if not isinstance(item, dict):
                    raise ValueError(f"seed: {name}[{index}] must be an object")
                document = copy.deepcopy(item)
                self._complete(resource, document)
                probe = {"id": "seed", "href": "http://seed/x", **document}
                try:
                    self._validate(resource, probe)
                except TmfError as exc:
                    raise ValueError(f"seed: {name}[{index}]: {exc.message}") from exc
                checked.append(document)
            result[name] = checked
        return result

    async def seed(self, data: Any, *, base_url: str) -> int:
        """Load seed data (see :meth:`seed_documents`); existing ids are left alone."""
        if not self._opened:
            await self.store.open()
            self._opened = True
        count = 0
        for name, documents in self.seed_documents(data).items():
            resource = self.resource(name)
            collection = self.collection(resource, None)
            for document in documents:
                if "id" not in document:
                    document["id"] = await self._new_id(collection)
                document["id"] = str(document["id"])
                document.setdefault(
                    "href", f"{base_url.rstrip('/')}{resource.path}/{document['id']}"
                )
                try:
                    await self.store.insert(collection, document)
                except KeyError:
                    continue  # already there (persistent store, restarted server)
                count += 1
        return count


_CONTROL = re.compile(r"[\x00-\x1f]")


def _check_ident(what: str, ident: str) -> None:
    """Ids are opaque, but ones no store could hold are simply not found."""
    if not ident or len(ident) > 256 or _CONTROL.search(ident):
        raise not_found(what, ident[:64])


class _Storable:
    """A value the backend cannot represent (e.g. NUL characters) is a client error. A class:
    a generator-based context manager costs more than the memory store's whole insert."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, ValueError):
            raise bad_request(
                f"Unsupported value: {error}", reason="Invalid attribute value"
            ) from error


_storable = _Storable()


def _non_negative(value: str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"{name!r} must be a non-negative integer, not {value!r}") from None
    if number < 0:
        raise bad_request(f"{name!r} must be a non-negative integer, not {value!r}")
    return number
