"""The SDK's view of the intermediate model: client classes, resource groups, typed methods."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ir import Api, Channel, Operation
from .models import class_name

__all__ = [
    "Command",
    "CommandGroup",
    "HeaderField",
    "HeaderModel",
    "Method",
    "ResourceGroup",
    "Surface",
    "command_surface",
    "sdk_surface",
]

# Collection kinds in the order methods appear on a resource class.
_COLLECTION_METHODS = (
    ("list", "list"),
    ("list", "iter"),
    ("retrieve", "retrieve"),
    ("create", "create"),
    ("patch", "update"),
    ("delete", "delete"),
)
_HUB_METHODS = (("hub_create", "create"), ("hub_retrieve", "retrieve"), ("hub_delete", "delete"))


@dataclass(frozen=True)
class Method:
    name: str
    """Python method name; also the runtime helper it delegates to (``_list``...)."""
    operation_id: str
    doc: str
    path: str
    path_args: tuple[tuple[str, str], ...]
    """(Python name, spec name) of each path parameter; the last is the item id, if any."""
    model: str | None
    """Class of the response body."""
    body_model: str | None
    """Class of the request body (create) or merge patch (update)."""
    has_fields: bool
    has_paging: bool

    @property
    def id_arg(self) -> str | None:
        return self.path_args[-1][0] if self.path_args and self.path.endswith("}") else None

    @property
    def parent_args(self) -> tuple[tuple[str, str], ...]:
        return self.path_args[:-1] if self.id_arg else self.path_args


@dataclass(frozen=True)
class ResourceGroup:
    attribute: str
    cls: str
    doc: str
    methods: tuple[Method, ...]


@dataclass(frozen=True)
class Surface:
    client_class: str
    groups: tuple[ResourceGroup, ...]
    models: tuple[str, ...]
    """Every model class the resources name, sorted."""
    listener_events: tuple[tuple[str, str], ...]
    """(listener path, event class)."""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def _doc(op: Operation) -> str:
    return op.summary or op.description or op.operation_id


def _method(op: Operation, name: str) -> Method:
    query = {p.name for p in op.parameters if p.location == "query"}
    success = [r for r in op.responses if 200 <= r.status < 300 and r.schema]
    body = next(
        (schema for media, schema in op.request_schemas if media not in op.request_is_array),
        None,
    )
    doc = _doc(op)
    if name == "iter":
        doc = f"Iterate over every result of {op.operation_id}, fetching page after page."
    return Method(
        name=name,
        operation_id=op.operation_id,
        doc=doc,
        path=op.path,
        path_args=tuple((_snake(p), p) for p in re.findall(r"\{([^}]+)\}", op.path)),
        model=class_name(success[0].schema) if success and success[0].schema else None,
        body_model=class_name(body) if body else None,
        has_fields="fields" in query,
        has_paging=bool(query & {"offset", "limit"}),
    )


def sdk_surface(api: Api) -> Surface:
    groups: list[ResourceGroup] = []
    for resource in api.resources:
        by_kind = {kind: api.operation(op_id) for kind, op_id in resource.operations}
        methods = tuple(
            _method(by_kind[kind], name) for kind, name in _COLLECTION_METHODS if kind in by_kind
        )
        groups.append(
            ResourceGroup(
                attribute=resource.attribute,
                cls=_pascal(resource.attribute) + "Resource",
                doc=resource.description or f"Operations on {resource.name} resources.",
                methods=methods,
            )
        )
    hub_ops = {op.kind: op for op in api.operations if op.kind.startswith("hub_")}
    if hub_ops:
        methods = tuple(_method(hub_ops[k], name) for k, name in _HUB_METHODS if k in hub_ops)
        groups.append(
            ResourceGroup(
                attribute="hub",
                cls="HubResource",
                doc="Registration of listeners for event notifications.",
                methods=methods,
            )
        )
    used = {
        name
        for group in groups
        for method in group.methods
        for name in (method.model, method.body_model)
        if name
    }
    listeners = tuple(
        (op.path, class_name(op.event))
        for op in api.operations
        if op.kind == "listener" and op.event
    )
    used.update(event for _, event in listeners)
    return Surface(
        client_class=_pascal(api.package.strip("_")) + "Client",
        groups=tuple(groups),
        models=tuple(sorted(used)),
        listener_events=listeners,
    )


# -- the command client (AsyncAPI command channels) ---------------------------------------------

_COMMAND_NAMES = {"list": "list", "retrieve": "retrieve", "create": "create", "patch": "update"}
_COMMAND_NAMES["delete"] = "delete"
_PY_TYPES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}


def _py_type(json_type: str | None) -> str:
    return _PY_TYPES.get(json_type or "string", "str")


@dataclass(frozen=True)
class HeaderField:
    name: str
    """Python attribute name."""
    alias: str
    """Header (or ``Parameters`` member) name on the wire."""
    type: str
    required: bool


@dataclass(frozen=True)
class HeaderModel:
    cls: str
    doc: str
    fields: tuple[HeaderField, ...]
    parameters_cls: str | None = None
    """Class of the ``Parameters`` header, if the message has one."""


@dataclass(frozen=True)
class Command:
    name: str
    kind: str
    operation_id: str
    doc: str
    request_channel: str
    reply_channel: str
    request_headers: HeaderModel
    parameters: HeaderModel | None
    reply_headers: HeaderModel
    model: str | None
    """Class of the reply payload on success (``None``: no payload)."""
    body_model: str | None
    status_codes: tuple[int, ...]

    def has_parameter(self, name: str) -> bool:
        return self.parameters is not None and any(
            field.alias == name for field in self.parameters.fields
        )

    @property
    def has_filters(self) -> bool:
        return any(field.alias == "Query-Filters" for field in self.request_headers.fields)


@dataclass(frozen=True)
class CommandGroup:
    attribute: str
    cls: str
    doc: str
    commands: tuple[Command, ...]


def _header_model(base: str, doc: str, channel: Channel) -> HeaderModel:
    cls = base + "Headers"
    types = dict(channel.header_types)
    fields = tuple(
        HeaderField(
            name=_snake(name),
            alias=name,
            type=(base + "Parameters") if name == "Parameters" else _py_type(types.get(name)),
            required=required,
        )
        for name, required in channel.headers
    )
    has_parameters = any(name == "Parameters" for name, _ in channel.headers)
    return HeaderModel(cls, doc, fields, base + "Parameters" if has_parameters else None)


def _parameters_model(cls: str, channel: Channel) -> HeaderModel:
    types = dict(channel.header_types)
    fields = tuple(
        HeaderField(
            name=_snake(name),
            alias=name,
            type=_py_type(types.get(f"Parameters.{name}")),
            required=required,
        )
        for name, required in channel.parameter_headers
    )
    return HeaderModel(cls, f"Members of the Parameters header of {channel.message}.", fields)


def command_surface(api: Api) -> tuple[CommandGroup, ...]:
    """Command methods per resource, from the command channels of the AsyncAPI document."""
    requests = {c.operation: c for c in api.channels if c.role == "command_request"}
    replies = {c.operation: c for c in api.channels if c.role == "command_reply"}
    groups: list[CommandGroup] = []
    for resource in api.resources:
        commands: list[Command] = []
        for kind, operation_id in resource.operations:
            request, reply = requests.get(operation_id), replies.get(operation_id)
            if kind not in _COMMAND_NAMES or request is None or reply is None:
                continue
            op = api.operation(operation_id)
            request_cls = class_name(request.message)
            reply_cls = class_name(reply.message)
            request_headers = _header_model(
                request_cls, f"Headers of the {request.message} message.", request
            )
            commands.append(
                Command(
                    name=_COMMAND_NAMES[kind],
                    kind=kind,
                    operation_id=operation_id,
                    doc=_doc(op),
                    request_channel=request.address,
                    reply_channel=reply.address,
                    request_headers=request_headers,
                    parameters=(
                        _parameters_model(request_headers.parameters_cls, request)
                        if request_headers.parameters_cls
                        else None
                    ),
                    reply_headers=_header_model(
                        reply_cls, f"Headers of the {reply.message} message.", reply
                    ),
                    model=class_name(reply.payload_schema) if reply.payload_schema else None,
                    body_model=class_name(request.payload_schema)
                    if request.payload_schema
                    else None,
                    status_codes=reply.status_codes,
                )
            )
        if commands:
            order = list(_COMMAND_NAMES.values())
            commands.sort(key=lambda command: order.index(command.name))
            groups.append(
                CommandGroup(
                    attribute=resource.attribute,
                    cls="Async" + _pascal(resource.attribute) + "Commands",
                    doc=f"{resource.name} operations over the command channels.",
                    commands=tuple(commands),
                )
            )
    return tuple(groups)
