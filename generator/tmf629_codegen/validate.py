"""Spec checks: the documents themselves, and every example in them against its schema.

``python -m tmf629_codegen.validate OPENAPI [ASYNCAPI]`` prints one line per problem and exits
1 when there is any (2 when a document cannot be loaded at all).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecError, pointer
from .loader import Document, load_asyncapi, load_openapi

__all__ = ["Example", "check_examples", "iter_examples", "main"]


@dataclass(frozen=True)
class Example:
    """One example value and the schema it must satisfy, both located in their document."""

    document: Path
    location: str
    value: Any
    schema_uri: str
    """Absolute ``file://...#/pointer`` of the schema."""


def _media_examples(
    document: Document, media: dict[str, Any], where: tuple[str | int, ...]
) -> Iterator[Example]:
    schema_where = (*where, "schema")
    schema = media.get("schema")
    if schema is None:
        return
    schema_uri = _schema_uri(document, schema, schema_where)
    if "example" in media:
        yield Example(document.path, pointer(*where, "example"), media["example"], schema_uri)
    for name, example in (media.get("examples") or {}).items():
        example = document.deref(example)
        if isinstance(example, dict) and "value" in example:
            location = pointer(*where, "examples", name, "value")
            yield Example(document.path, location, example["value"], schema_uri)


def _schema_uri(document: Document, schema: Any, where: tuple[str | int, ...]) -> str:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        file, fragment, _ = document.resolve(schema["$ref"])
        return f"{file.as_uri()}#{fragment}"
    return f"{document.path.as_uri()}#{pointer(*where)}"


def _located(
    document: Document, node: Any, at: tuple[str | int, ...]
) -> tuple[Any, tuple[str | int, ...]]:
    """Follow a local ``$ref``: the target node and where it stands."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        _, fragment, node = document.resolve(node["$ref"])
        at = tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment.split("/")[1:])
    return node, at


def iter_examples(document: Document) -> Iterator[Example]:
    """Examples of an OpenAPI or AsyncAPI document: bodies, messages and component schemas."""
    data = document.data
    for path, item in (data.get("paths") or {}).items():
        for method, op in document.deref(item).items():
            if not isinstance(op, dict):
                continue
            where: tuple[str | int, ...] = ("paths", path, method, "requestBody")
            body, at = _located(document, op.get("requestBody") or {}, where)
            for media_type, media in (body.get("content") or {}).items():
                yield from _media_examples(document, media, (*at, "content", media_type))
            for status, raw in (op.get("responses") or {}).items():
                where = ("paths", path, method, "responses", status)
                response, at = _located(document, raw, where)
                for media_type, media in (response.get("content") or {}).items():
                    yield from _media_examples(document, media, (*at, "content", media_type))
    components = data.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict) and "example" in schema:
            uri = f"{document.path.as_uri()}#{pointer('components', 'schemas', name)}"
            location = pointer("components", "schemas", name, "example")
            yield Example(document.path, location, schema["example"], uri)
    for name, message in (components.get("messages") or {}).items():
        message = document.deref(message)
        payload = message.get("payload")
        if payload is None:
            continue
        uri = _schema_uri(document, payload, ("components", "messages", name, "payload"))
        for index, example in enumerate(message.get("examples") or []):
            if "payload" in example:
                location = pointer("components", "messages", name, "examples", index, "payload")
                yield Example(document.path, location, example["payload"], uri)


def check_examples(documents: Sequence[Document]) -> list[str]:
    """One message per example that does not satisfy its schema."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    validator_class = _validator_class()
    registry: Registry[Any] = Registry()
    for document in documents:
        for path, data in document.loaded().items():
            resource = Resource.from_contents(data, default_specification=DRAFT4)
            registry = registry.with_resource(path.as_uri(), resource)
    problems: list[str] = []
    for document in documents:
        for example in iter_examples(document):
            validator = validator_class({"$ref": example.schema_uri}, registry=registry)
            for error in validator.iter_errors(example.value):
                where = f"{example.document.name}#{example.location}{pointer(*error.absolute_path)}"
                problems.append(f"{where}: {' '.join(error.message.split())[:300]}")
    return problems


def _validator_class() -> Any:
    """OpenAPI 3.0 validation as TMF specs need it.

    The stock validator follows a discriminator mapping in place of ``allOf``, which loops on
    TMF's bases that map their own name to themselves: ``allOf`` stays plain here (the
    discriminator still picks the branch of a ``oneOf``/``anyOf``). AsyncAPI payloads may say
    ``type: null``, which OpenAPI 3.0 lacks.
    """
    from jsonschema import validators
    from jsonschema._keywords import allOf
    from openapi_schema_validator import OAS30Validator

    types = OAS30Validator.TYPE_CHECKER.redefine("null", lambda _, value: value is None)
    return validators.extend(  # type: ignore[no-untyped-call]
        OAS30Validator, {"allOf": allOf}, type_checker=types
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m tmf629_codegen.validate OPENAPI [ASYNCAPI]", file=sys.stderr)
        return 2
    try:
        documents = [load_openapi(Path(args[0]))]
        documents += [load_asyncapi(Path(arg)) for arg in args[1:]]
        for document in documents[1:]:
            document.check_refs()
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problems = check_examples(documents)
    for problem in problems:
        print(problem)
    count = sum(1 for document in documents for _ in iter_examples(document))
    names = ", ".join(document.path.name for document in documents)
    print(f"{names}: valid; {count} examples checked, {len(problems)} invalid")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
