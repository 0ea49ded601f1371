"""From validated spec documents to the intermediate model (:mod:`.ir`)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import SpecError, pointer
from .ir import Api, Channel, Event, Operation, OperationKind, Parameter, Resource, Response
from .loader import Document, load_asyncapi, load_openapi
from .schemas import SchemaIndex, ref_name

__all__ = ["build_api", "load_api", "package_name"]

_METHODS = ("get", "post", "put", "patch", "delete")
_EVENT_KINDS = (
    ("AttributeValueChangeEvent", "attribute_value_change"),
    ("StateChangeEvent", "state_change"),
    ("CreateEvent", "create"),
    ("DeleteEvent", "delete"),
)
_STATE_ATTRIBUTES = ("state", "status", "lifecycleStatus")
_DISCRIMINATOR = "@type"
_IDENTITY = ("id", "href")


def load_api(openapi: Path, asyncapi: Path | None = None, package: str | None = None) -> Api:
    """Load, validate and model an OpenAPI document and, optionally, its AsyncAPI twin."""
    document = load_openapi(openapi)
    async_document = load_asyncapi(asyncapi) if asyncapi is not None else None
    return build_api(document, async_document, package)


def package_name(title: str) -> str:
    """Package name from a title (``Customer Management`` -> ``customer_management``)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", title).strip("_").lower()
    return name if name and not name[0].isdigit() else f"api_{name}"


def build_api(document: Document, async_document: Document | None, package: str | None) -> Api:
    data = document.data
    info = data.get("info") or {}
    index = SchemaIndex(document)
    operations = tuple(_operations(document))
    events = tuple(_events(index, operations))
    resources = tuple(_resources(document, index, operations, events))
    owner = {op_id: r.name for r in resources for _, op_id in r.operations}
    operations = tuple(
        dataclasses.replace(op, resource=owner.get(op.operation_id, op.resource))
        for op in operations
    )
    hub_paths = [op.path for op in operations if op.kind == "hub_create"]
    return Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        package=package or package_name(str(info.get("title", "api"))),
        base_path=_base_path(data),
        spec_file=document.path.name,
        spec_sha256=document.sha256,
        asyncapi_file=async_document.path.name if async_document else None,
        asyncapi_sha256=async_document.sha256 if async_document else None,
        resources=resources,
        operations=operations,
        events=events,
        channels=tuple(_channels(async_document)) if async_document else (),
        hub_path=hub_paths[0] if hub_paths else None,
        schemas=tuple(index.schemas),
    )


def _base_path(data: dict[str, Any]) -> str:
    servers = data.get("servers") or [{"url": "/"}]
    url = re.sub(r"\{[^}]*\}", "", str(servers[0].get("url", "/")))
    path = urlparse(url).path if "://" in url else url
    return "/" + path.strip("/") if path.strip("/") else ""


def _is_item_path(path: str) -> bool:
    return path.rstrip("/").endswith("}")


def _kind(method: str, path: str) -> OperationKind:
    segments = [s for s in path.split("/") if s]
    if segments and segments[0] == "listener" and method == "post":
        return "listener"
    if segments and segments[0] == "hub":
        hub_kinds: dict[tuple[str, bool], OperationKind] = {
            ("post", False): "hub_create",
            ("get", True): "hub_retrieve",
            ("delete", True): "hub_delete",
        }
        return hub_kinds.get((method, _is_item_path(path)), "other")
    kinds: dict[tuple[str, bool], OperationKind] = {
        ("get", False): "list",
        ("post", False): "create",
        ("get", True): "retrieve",
        ("patch", True): "patch",
        ("delete", True): "delete",
    }
    return kinds.get((method, _is_item_path(path)), "other")


def _operations(document: Document) -> list[Operation]:
    found: list[Operation] = []
    for path, path_item in (document.data.get("paths") or {}).items():
        path_item = document.deref(path_item)
        shared = path_item.get("parameters") or []
        for method in _METHODS:
            op = path_item.get(method)
            if not isinstance(op, dict):
                continue
            where = pointer("paths", path, method)
            operation_id = op.get("operationId")
            if not isinstance(operation_id, str):
                raise SpecError(document.path, where, "operation has no operationId")
            kind = _kind(method, path)
            request = _request_schemas(document, op, where)
            responses = _responses(document, op)
            found.append(
                Operation(
                    operation_id=operation_id,
                    method=method.upper(),
                    path=path,
                    kind=kind,
                    resource=_operation_resource(kind, responses),
                    summary=str(op.get("summary", "")).strip(),
                    description=str(op.get("description", "")).strip(),
                    parameters=tuple(
                        _parameters(document, [*shared, *(op.get("parameters") or [])])
                    ),
                    request_schemas=tuple((media, name) for media, name, _ in request),
                    request_is_array=tuple(media for media, _, is_array in request if is_array),
                    responses=responses,
                    event=request[0][1] if kind == "listener" and request else None,
                )
            )
    return found


def _schema_ref(document: Document, schema: Any) -> tuple[str | None, bool]:
    """(component schema name, is an array of it) of a media type's schema."""
    name = ref_name(schema)
    if name is not None:
        target = document.deref(schema)
        if isinstance(target, dict) and target.get("type") == "array":
            return ref_name(target.get("items")) or name, False
        return name, False
    if isinstance(schema, dict) and schema.get("type") == "array":
        return ref_name(schema.get("items")), True
    return None, False


def _request_schemas(
    document: Document, op: dict[str, Any], where: str
) -> list[tuple[str, str, bool]]:
    body = op.get("requestBody")
    if body is None:
        return []
    body = document.deref(body)
    found: list[tuple[str, str, bool]] = []
    for media, content in (body.get("content") or {}).items():
        schema = (content or {}).get("schema")
        target = document.deref(schema) if schema is not None else None
        name, is_array = _schema_ref(document, schema)
        whole = (
            ref_name(schema) if isinstance(target, dict) and target.get("type") == "array" else name
        )
        if whole is None:
            raise SpecError(
                document.path,
                where + pointer("requestBody", "content", media, "schema"),
                "request body schema must be a $ref to a component schema (or an array of one)",
            )
        found.append((media, whole, is_array))
    return found


def _responses(document: Document, op: dict[str, Any]) -> tuple[Response, ...]:
    found: list[Response] = []
    for status, response in (op.get("responses") or {}).items():
        if not str(status).isdigit():
            continue
        response = document.deref(response)
        content = response.get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None)
        name, is_array = _schema_ref(document, (media or {}).get("schema"))
        found.append(
            Response(
                status=int(status),
                schema=name,
                is_array=is_array,
                headers=tuple(response.get("headers") or {}),
            )
        )
    return tuple(found)


def _operation_resource(kind: OperationKind, responses: tuple[Response, ...]) -> str | None:
    if kind in ("list", "retrieve", "create", "patch"):
        for response in responses:
            if 200 <= response.status < 300 and response.schema:
                return response.schema
    return None


def _parameters(document: Document, raw: list[Any]) -> list[Parameter]:
    found: dict[tuple[str, str], Parameter] = {}
    for node in raw:
        param = document.deref(node)
        schema = document.deref(param.get("schema") or {})
        found[(param["name"], param["in"])] = Parameter(
            name=param["name"],
            location=param["in"],
            required=bool(param.get("required", False)),
            json_type=str(schema.get("type", "string")),
            description=" ".join(str(param.get("description", "")).split()),
        )
    return list(found.values())


def _events(index: SchemaIndex, operations: tuple[Operation, ...]) -> list[Event]:
    found: list[Event] = []
    for op in operations:
        if op.kind != "listener" or not op.event:
            continue
        resource, kind = _event_resource(op.event)
        payload = index.properties(op.event).get("event")
        payload_name = ref_name(payload)
        keys = list(index.properties(payload_name)) if payload_name else []
        found.append(
            Event(
                name=op.event,
                resource=resource,
                kind=kind,
                payload_key=keys[0] if keys else resource[:1].lower() + resource[1:],
                listener_path=op.path,
                listener_operation_id=op.operation_id,
            )
        )
    return found


def _event_resource(name: str) -> tuple[str, Any]:
    for suffix, kind in _EVENT_KINDS:
        if name.endswith(suffix):
            return name[: -len(suffix)], kind
    return name.removesuffix("Event"), "other"


def _resources(
    document: Document,
    index: SchemaIndex,
    operations: tuple[Operation, ...],
    events: tuple[Event, ...],
) -> list[Resource]:
    collections: dict[str, list[Operation]] = {}
    for op in operations:
        if op.kind in ("list", "retrieve", "create", "patch", "delete"):
            collection = op.path.rsplit("/", 1)[0] if _is_item_path(op.path) else op.path
            collections.setdefault(collection, []).append(op)
    found: list[Resource] = []
    for path, ops in collections.items():
        name = next((op.resource for op in ops if op.resource), None)
        if name is None:
            raise SpecError(
                document.path,
                pointer("paths", path),
                "cannot tell which schema this collection holds",
            )
        item_ops = [op for op in ops if _is_item_path(op.path)]
        item_path = item_ops[0].path if item_ops else None
        by_kind = {op.kind: op for op in ops}
        create = by_kind.get("create")
        patch = by_kind.get("patch")
        properties = list(index.properties(name))
        create_schema = _json_schema(create) if create else None
        update_schema = _json_schema(patch) if patch else None
        patchable_source = list(index.properties(update_schema)) if update_schema else []
        non_patchable = [
            p
            for p in properties
            if p in _IDENTITY or p == _DISCRIMINATOR or p not in patchable_source
        ]
        non_patchable += [p for p in index.read_only(name) if p not in non_patchable]
        mapping = index.discriminator_mapping(name)
        state = next((a for a in _STATE_ATTRIBUTES if a in properties), None)
        found.append(
            Resource(
                name=name,
                path=path,
                item_path=item_path,
                id_parameter=_last_parameter(item_path) if item_path else None,
                parent_parameters=tuple(re.findall(r"\{([^}]+)\}", path)),
                attribute=_attribute(path),
                create_schema=create_schema,
                update_schema=update_schema,
                operations=tuple((op.kind, op.operation_id) for op in ops),
                properties=tuple(properties),
                required=tuple(index.required(name)),
                mandatory_on_create=tuple(index.required(create_schema)) if create_schema else (),
                patchable=tuple(p for p in patchable_source if p not in non_patchable),
                non_patchable=tuple(non_patchable),
                patch_media_types=tuple(media for media, _ in patch.request_schemas)
                if patch
                else (),
                state_attribute=state,
                events=tuple(e.name for e in events if e.resource == name),
                discriminator_values=tuple(mapping) if mapping else (name,),
                description=" ".join(str(index.get(name).get("description", "")).split()),
            )
        )
    return found


def _json_schema(op: Operation) -> str | None:
    for media, name in op.request_schemas:
        if (
            media in ("application/json", "application/merge-patch+json")
            and media not in op.request_is_array
        ):
            return name
    return op.request_schemas[0][1] if op.request_schemas else None


def _last_parameter(path: str) -> str:
    return path.rstrip("/").rsplit("{", 1)[-1].rstrip("}")


def _attribute(path: str) -> str:
    """Client attribute of a collection: ``/customer`` -> ``customers``."""
    words = [s for s in path.split("/") if s and not s.startswith("{")]
    snake = "_".join(re.sub(r"(?<!^)(?=[A-Z])", "_", w).lower() for w in words)
    return _plural(snake)


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _channels(document: Document) -> list[Channel]:
    found: list[Channel] = []
    for channel_id, channel in (document.data.get("channels") or {}).items():
        channel = document.deref(channel)
        address = str(channel.get("address") or channel_id)
        if address.endswith(".commandRequest"):
            role: Any = "command_request"
        elif address.endswith(".commandReply"):
            role = "command_reply"
        else:
            role = "event"
        messages = channel.get("messages") or {}
        message_name, message = next(iter(messages.items()), ("", {}))
        message = document.deref(message)
        headers = document.deref(message.get("headers") or {})
        header_props = headers.get("properties") or {}
        required = set(headers.get("required") or [])
        parameters = document.deref(header_props.get("Parameters") or {})
        parameter_required = set(parameters.get("required") or [])
        segments = address.split(".")
        found.append(
            Channel(
                name=str(channel_id),
                address=address,
                role=role,
                operation=segments[-2] if role != "event" and len(segments) > 1 else None,
                message=str(message.get("name") or message_name),
                payload_schema=_payload_name(message.get("payload")),
                headers=tuple((h, h in required) for h in header_props),
                parameter_headers=tuple(
                    (p, p in parameter_required) for p in (parameters.get("properties") or {})
                ),
                status_codes=tuple(int(c) for c in message.get("x-status-codes") or ()),
                header_types=_header_types(document, header_props, parameters),
            )
        )
    return found


def _header_types(
    document: Document, headers: dict[str, Any], parameters: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    def json_type(schema: Any) -> str:
        kind = document.deref(schema or {}).get("type", "string")
        return str(kind) if isinstance(kind, str) else "string"

    found = [(name, json_type(schema)) for name, schema in headers.items()]
    found += [
        (f"Parameters.{name}", json_type(schema))
        for name, schema in (parameters.get("properties") or {}).items()
    ]
    return tuple(found)


def _payload_name(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    name = ref_name(payload)
    if name:
        return name
    for member in payload.get("oneOf") or []:
        candidate = ref_name(member) or ref_name((member or {}).get("items"))
        if candidate and candidate != "Error":
            return candidate
    if payload.get("type") == "array":
        return ref_name(payload.get("items"))
    return None
