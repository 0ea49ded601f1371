"""The SDK's view of the intermediate model: client classes, resource groups, typed methods."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ir import Api, Operation
from .models import class_name

__all__ = ["Method", "ResourceGroup", "Surface", "sdk_surface"]

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


def _method(api: Api, op: Operation, name: str) -> Method:
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
            _method(api, by_kind[kind], name)
            for kind, name in _COLLECTION_METHODS
            if kind in by_kind
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
        methods = tuple(_method(api, hub_ops[k], name) for k, name in _HUB_METHODS if k in hub_ops)
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
