"""The intermediate model: what the templates, the SDK and the mock server know of a TMF API.

It is deliberately small and made only of plain data (strings, tuples, dataclasses), so that it
can be rendered into a Python literal (the generated ``_metadata.py``), rebuilt from that literal
with :func:`api_from_dict`, and compared for equality in tests.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Api",
    "Channel",
    "Event",
    "Operation",
    "OperationKind",
    "Parameter",
    "Resource",
    "Response",
    "api_from_dict",
    "api_to_dict",
]

OperationKind = Literal[
    "list",
    "retrieve",
    "create",
    "patch",
    "delete",
    "hub_create",
    "hub_retrieve",
    "hub_delete",
    "listener",
    "other",
]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Literal["path", "query", "header"]
    required: bool
    json_type: str
    description: str = ""


@dataclass(frozen=True)
class Response:
    status: int
    schema: str | None
    """Schema name of the body, ``None`` when there is none; for arrays see ``is_array``."""
    is_array: bool = False
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    kind: OperationKind
    resource: str | None
    """Name of the resource the operation acts on (``Customer``); ``None`` for hub and others."""
    summary: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    request_schemas: tuple[tuple[str, str], ...] = ()
    """(media type, schema name) pairs of the request body, in spec order."""
    request_is_array: tuple[str, ...] = ()
    """Media types whose body is an array of the named schema."""
    responses: tuple[Response, ...] = ()
    event: str | None = None
    """For listener operations: the event schema name they receive."""


@dataclass(frozen=True)
class Event:
    name: str
    """Schema name, e.g. ``CustomerCreateEvent``."""
    resource: str
    kind: Literal["create", "attribute_value_change", "state_change", "delete", "other"]
    payload_key: str
    """Key under ``event`` holding the resource, e.g. ``customer``."""
    listener_path: str | None = None
    listener_operation_id: str | None = None


@dataclass(frozen=True)
class Resource:
    name: str
    """Schema name of the resource, e.g. ``Customer``."""
    path: str
    """Collection path relative to the base path, e.g. ``/customer`` or ``/a/{aId}/b``."""
    item_path: str | None
    id_parameter: str | None
    parent_parameters: tuple[str, ...]
    """Path parameters before the item id (sub-resource collections)."""
    attribute: str
    """Python attribute name on the client (``customers``)."""
    create_schema: str | None
    update_schema: str | None
    operations: tuple[tuple[str, str], ...]
    """(kind, operationId) pairs, e.g. ("list", "listCustomer")."""
    properties: tuple[str, ...]
    """First-level attribute names of the resource schema, inherited ones included."""
    required: tuple[str, ...]
    mandatory_on_create: tuple[str, ...]
    patchable: tuple[str, ...]
    non_patchable: tuple[str, ...]
    patch_media_types: tuple[str, ...]
    state_attribute: str | None
    events: tuple[str, ...]
    """Names of the events this resource raises."""
    discriminator_values: tuple[str, ...] = ()
    """Accepted ``@type`` values (the resource itself and its mapped subclasses)."""
    description: str = ""

    @property
    def read_only(self) -> bool:
        kinds = {kind for kind, _ in self.operations}
        return not kinds & {"create", "patch", "delete"}


@dataclass(frozen=True)
class Channel:
    name: str
    """Channel id in the AsyncAPI document, e.g. ``retrieveCustomer.commandRequest``."""
    address: str
    """Address template, e.g. ``{prefix}.customerManagement.v5.retrieveCustomer.commandRequest``."""
    role: Literal["command_request", "command_reply", "event"]
    operation: str | None
    """For command channels: the REST operationId it mirrors (``retrieveCustomer``)."""
    message: str
    payload_schema: str | None
    headers: tuple[tuple[str, bool], ...] = ()
    """(header name, required) pairs."""
    parameter_headers: tuple[tuple[str, bool], ...] = ()
    """Members of the ``Parameters`` header: (name, required)."""
    status_codes: tuple[int, ...] = ()
    header_types: tuple[tuple[str, str], ...] = ()
    """(header name, JSON type) pairs; ``Parameters`` members as ``Parameters.<name>``."""


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    package: str
    base_path: str
    spec_file: str
    spec_sha256: str
    asyncapi_file: str | None = None
    asyncapi_sha256: str | None = None
    resources: tuple[Resource, ...] = ()
    operations: tuple[Operation, ...] = ()
    events: tuple[Event, ...] = ()
    channels: tuple[Channel, ...] = ()
    hub_path: str | None = None
    schemas: tuple[str, ...] = field(default=())
    """Every component schema name, in spec order."""

    def resource(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(name)

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)


def api_to_dict(api: Api) -> dict[str, Any]:
    """Plain, JSON-compatible form (tuples become lists)."""
    plain: dict[str, Any] = _plain(dataclasses.asdict(api))
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    nested: dict[str, type[Any]] = {
        "resources": Resource,
        "operations": Operation,
        "events": Event,
        "channels": Channel,
        "parameters": Parameter,
        "responses": Response,
    }
    kwargs: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(cls)}
    for key, value in data.items():
        if key not in names:
            continue
        if key in nested and isinstance(value, list) and cls is not Resource:
            kwargs[key] = tuple(_build(nested[key], item) for item in value)
        else:
            kwargs[key] = _tuples(value)
    return cls(**kwargs)


def api_from_dict(data: dict[str, Any]) -> Api:
    """Inverse of :func:`api_to_dict`."""
    api: Api = _build(Api, data)
    return api
