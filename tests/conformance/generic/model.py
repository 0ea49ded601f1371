"""What the generic suite knows of the API under test: its intermediate model and its examples.

Everything comes from the OpenAPI document given with ``--spec``: the resources, their paths,
mandatory-on-create and non-patchable attributes and patch media types from the intermediate
model (:class:`tmf629_codegen.ir.Api`, built by ``tmf629_mock.cli.load_model``); the request
bodies from the spec's own examples (a create body is the mandatory attributes of the create
operation's request-body example; a patch value comes from the patch operation's examples, else
from an optional attribute of a create example); the seed of read-only resources from their
response examples.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tmf629_mock.cli import default_spec, load_model
from tmf629_mock.ir import Api, Resource

__all__ = [
    "ALWAYS_RETURNED",
    "JSON_PATCH",
    "MERGE_PATCH",
    "ApiSpec",
    "load_spec",
]

ALWAYS_RETURNED = ("id", "href", "@type")
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
SEED_COPIES = 3
"""Copies (distinct ids) of each example of a read-only resource in the seed: paging needs 2+."""


def _kinds(resource: Resource) -> set[str]:
    return {kind for kind, _ in resource.operations}


@dataclass(frozen=True)
class ApiSpec:
    path: Path
    api: Api
    document: dict[str, Any]

    # -- the document ------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follow local ``$ref``s until a node without one."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            pointer = node["$ref"]
            if not pointer.startswith("#/"):
                break
            target: Any = self.document
            for part in pointer[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node, seen = target, seen + 1
        return node

    def _operation(self, operation_id: str) -> dict[str, Any]:
        for item in (self.document.get("paths") or {}).values():
            for operation in (item or {}).values():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return operation
        return {}

    def _examples(self, content: Any, media_types: tuple[str, ...] | None) -> Iterator[Any]:
        for media_type, entry in (self.resolve(content) or {}).items():
            if media_types is not None and media_type not in media_types:
                continue
            entry = self.resolve(entry) or {}
            if "example" in entry:
                yield copy.deepcopy(entry["example"])
            for example in (entry.get("examples") or {}).values():
                example = self.resolve(example) or {}
                if "value" in example:
                    yield copy.deepcopy(example["value"])

    def request_examples(
        self, operation_id: str, media_types: tuple[str, ...] | None = None
    ) -> list[Any]:
        """The request-body examples of an operation (``media_types``: only those)."""
        body = self.resolve(self._operation(operation_id).get("requestBody")) or {}
        return list(self._examples(body.get("content"), media_types))

    def response_examples(self, operation_id: str) -> list[Any]:
        """The examples of an operation's 2xx responses."""
        found: list[Any] = []
        for status, response in (self._operation(operation_id).get("responses") or {}).items():
            if str(status).startswith("2"):
                content = (self.resolve(response) or {}).get("content")
                found += self._examples(content, ("application/json",))
        return found

    def operation_id(self, resource: Resource, kind: str) -> str | None:
        return next((op_id for k, op_id in resource.operations if k == kind), None)

    # -- resources ---------------------------------------------------------------------------

    def resource(self, name: str) -> Resource:
        return self.api.resource(name)

    def with_kind(self, *kinds: str) -> list[Resource]:
        return [r for r in self.api.resources if set(kinds) <= _kinds(r)]

    def read_only(self) -> list[Resource]:
        return [r for r in self.api.resources if r.read_only]

    def parent(self, resource: Resource, parameter: str) -> Resource | None:
        """The resource whose item path ends where ``{parameter}`` is (sub-resources)."""
        marker = "/{" + parameter + "}"
        if marker not in resource.path:
            return None
        prefix = resource.path[: resource.path.index(marker)]
        return next((r for r in self.api.resources if r.path == prefix), None)

    def create_examples(self, resource: Resource) -> list[dict[str, Any]]:
        operation_id = self.operation_id(resource, "create")
        if operation_id is None:
            return []
        return [e for e in self.request_examples(operation_id) if isinstance(e, dict)]

    def minimal_body(self, resource: Resource) -> dict[str, Any] | None:
        """The mandatory-on-create attributes, valued from the create example that holds them
        all (the smallest such example); ``None`` when no example does."""
        mandatory = resource.mandatory_on_create
        examples = [e for e in self.create_examples(resource) if all(m in e for m in mandatory)]
        if not examples:
            return None
        example = min(examples, key=len)
        return {name: copy.deepcopy(example[name]) for name in mandatory}

    def patch_value(self, resource: Resource, current: dict[str, Any]) -> tuple[str, Any] | None:
        """A patchable attribute and a value from the spec's examples that differs from
        ``current``: the patch operation's merge-patch examples first, then the attributes of the
        create examples that the minimal body leaves out."""
        candidates: list[tuple[str, Any]] = []
        operation_id = self.operation_id(resource, "patch")
        if operation_id is not None:
            for example in self.request_examples(operation_id, (MERGE_PATCH, "application/json")):
                if isinstance(example, dict):
                    candidates += example.items()
        for example in self.create_examples(resource):
            candidates += [(k, v) for k, v in example.items() if k not in current]
        for name, value in candidates:
            if (
                name in resource.patchable
                and name not in resource.non_patchable
                and name not in ALWAYS_RETURNED
                and value is not None
                and value != current.get(name)
            ):
                return name, copy.deepcopy(value)
        return None

    def changed_value(self, resource: Resource, name: str, current: Any) -> Any:
        """A new value for a non-patchable attribute (``None``: no sensible one)."""
        if name == "@type":
            others = [
                r.name for r in self.api.resources if r.name not in resource.discriminator_values
            ]
            return others[0] if others else f"{resource.name}Changed"
        for example in self.create_examples(resource):
            if name in example and example[name] not in (None, current):
                return copy.deepcopy(example[name])
        if isinstance(current, str):
            return f"{current}-changed"
        return None

    def seed_data(self) -> dict[str, list[dict[str, Any]]]:
        """Documents for ``tmf629-mock --seed``: each top-level read-only resource's response
        examples (list and retrieve), each example :data:`SEED_COPIES` times with distinct ids,
        ``href`` left to the server."""
        data: dict[str, list[dict[str, Any]]] = {}
        for resource in self.read_only():
            if resource.parent_parameters:
                continue
            documents: dict[str, dict[str, Any]] = {}
            for kind in ("list", "retrieve"):
                operation_id = self.operation_id(resource, kind)
                for example in self.response_examples(operation_id) if operation_id else []:
                    for item in example if isinstance(example, list) else [example]:
                        if isinstance(item, dict) and item.get("id") is not None:
                            documents.setdefault(str(item["id"]), item)
            seeded = []
            for ident, document in documents.items():
                for copy_number in range(1, SEED_COPIES + 1):
                    entry = {k: v for k, v in copy.deepcopy(document).items() if k != "href"}
                    entry["id"] = ident if copy_number == 1 else f"{ident}-{copy_number}"
                    seeded.append(entry)
            if seeded:
                data[resource.name] = seeded
        return data

    def write_seed(self, folder: Path) -> Path | None:
        data = self.seed_data()
        if not data:
            return None
        target = folder / "generic-seed.json"
        target.write_text(json.dumps(data, indent=1), encoding="utf-8")
        return target

    @property
    def is_default(self) -> bool:
        return self.path.resolve() == default_spec().resolve()


@functools.cache
def load_spec(path: Path | None = None) -> ApiSpec:
    """The spec at ``path`` (default: the shipped TMF629 spec) with its model."""
    spec = (path or default_spec()).resolve()
    with spec.open(encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    return ApiSpec(spec, load_model(spec), document)
