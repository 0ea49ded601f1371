"""The prepared middleware stack (``tmf629_mock.pipeline``) and the parameter fast path answer
what Connexion's own classes answer; only work repeated per request was moved to start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from connexion import utils as connexion_utils
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import (
    BadRequestProblem,
    NonConformingResponseBody,
    NonConformingResponseHeaders,
)
from connexion.json_schema import Draft4ResponseValidator
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import (
    ResponseValidationMiddleware,
    ResponseValidationOperation,
)
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.uri_parsing import OpenAPIURIParser
from connexion.validators import ParameterValidator
from jsonschema import Draft4Validator

from tests.mockserver.conftest import BASE, ORIGIN, AppFactory
from tests.mockserver.helpers import customer_body
from tmf629_mock.app import create_app
from tmf629_mock.dispatch import remember_response
from tmf629_mock.fastschema import CachedValidator, cached_validator, same_verdicts
from tmf629_mock.ir import Api
from tmf629_mock.jsonbody import encode_json
from tmf629_mock.pipeline import (
    LeanExceptionMiddleware,
    PreparedRequestValidation,
    PreparedResponseValidation,
    ScopedSwaggerUI,
    _MediaTypes,
    _PreparedResponseOperation,
    middleware_stack,
)
from tmf629_mock.validators import CachedParameterValidator, FieldsAwareResponseValidator


def test_the_stack_is_connexions_with_four_classes_replaced() -> None:
    replaced = {
        ExceptionMiddleware: LeanExceptionMiddleware,
        SwaggerUIMiddleware: ScopedSwaggerUI,
        RequestValidationMiddleware: PreparedRequestValidation,
        ResponseValidationMiddleware: PreparedResponseValidation,
    }
    expected = [replaced.get(kind, kind) for kind in ConnexionMiddleware.default_middlewares]
    assert middleware_stack() == expected
    for original, prepared in replaced.items():
        assert issubclass(prepared, original)


def test_middleware_placed_before_the_swagger_ui_comes_right_before_it() -> None:
    class Front:
        pass

    stack = middleware_stack(before_swagger=[Front])
    assert stack.index(Front) + 1 == stack.index(ScopedSwaggerUI)
    assert [kind for kind in stack if kind is not Front] == middleware_stack()


@pytest.mark.parametrize("consumes", [["application/json"], []])
def test_content_types_are_read_as_connexion_reads_them(consumes: list[str]) -> None:
    media_types = _MediaTypes(consumes)
    values = [
        b"application/json",
        b"application/json; charset=latin-1",
        b"Application/JSON;charset=UTF-8",
        b"text/plain; q=1; charset=utf-16",
        b"",
    ]
    for _twice in range(2):  # the second time from memory
        for headers in [[], *([(b"content-type", value)] for value in values)]:
            mime_type, encoding = connexion_utils.split_content_type(
                connexion_utils.extract_content_type(headers)
            )
            default = consumes[0] if consumes else "application/octet-stream"
            expected = (
                default if mime_type is None else mime_type,
                "utf-8" if encoding is None else encoding,
            )
            assert media_types.content_type(headers) == expected, headers


async def test_swagger_ui_and_documents_are_still_served(client: httpx.AsyncClient) -> None:
    ui = await client.get("/ui/")
    assert ui.status_code == 200
    assert "swagger" in ui.text.lower()
    document = await client.get("/openapi.json")
    assert document.status_code == 200
    assert document.json()["openapi"].startswith("3.")
    assert (await client.get("/openapi.yaml")).status_code == 200


async def test_swagger_ui_behind_a_root_path(api: Api, spec_path: Path) -> None:
    app = create_app(api, spec_path)
    transport = httpx.ASGITransport(app=app, root_path="/proxy")
    async with httpx.AsyncClient(transport=transport, base_url=f"{ORIGIN}/proxy{BASE}") as client:
        assert (await client.get("/ui/")).status_code == 200
        created = await client.post("/customer", json=customer_body())
        assert created.status_code == 201, created.text


async def test_a_media_type_the_operation_does_not_consume_is_415(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(
        "/customer", content=b"<customer/>", headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 415, answer.text
    assert answer.json()["@type"] == "Error"
    assert "application/xml" in answer.json()["message"]


async def test_charset_and_parameters_of_the_content_type_are_honoured(
    client: httpx.AsyncClient,
) -> None:
    body = httpx.Request("POST", "http://x", json=customer_body()).content
    created = await client.post(
        "/customer", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert created.status_code == 201, created.text
    latin = await client.post(
        "/customer",
        content='{"name": "Zo\u00eb"}'.encode("utf-16"),
        headers={"content-type": "application/json; charset=ascii"},
    )
    assert latin.status_code == 400
    assert latin.json()["@type"] == "Error"


async def test_a_response_that_breaks_the_spec_is_still_caught(make_client: AppFactory) -> None:
    client = await make_client()
    created = (await client.post("/customer", json=customer_body())).json()
    store = client.app.tmf_mock.store  # type: ignore[attr-defined]
    broken = {**created, "name": 42}
    await store.update("Customer", created["id"], lambda _document: broken)
    answer = await client.get(f"/customer/{created['id']}")
    assert answer.status_code == 500, answer.text
    assert answer.json()["@type"] == "Error"


async def _never_called(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("only the checks are used")


def _created_operation(required: list[str]) -> Any:
    """The operation of a one-path spec whose 201 answer requires the ``required`` headers."""
    from connexion.resolver import Resolver
    from connexion.spec import Specification

    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/thing": {
                "post": {
                    "operationId": "create",
                    "responses": {
                        "201": {
                            "description": "created",
                            "headers": {
                                name: {"required": True, "schema": {"type": "string"}}
                                for name in required
                            },
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            }
        },
    }
    specification = Specification.load(document)
    return specification.operation_cls.from_spec(
        specification, path="/thing", method="post", resolver=Resolver(lambda _id: print)
    )


@pytest.mark.parametrize("required", [["Location"], ["Location", "X-Trace"], ["X-\u00c9tat"]])
@pytest.mark.parametrize(
    "names",
    [
        [],
        [b"location"],
        [b"Location", b"x-trace"],
        [b"LOCATION", b"X-TRACE"],
        [b"x-\xc9tat"],
        [b"x-\xe9tat", b"location"],
    ],
)
def test_required_response_headers_are_judged_as_by_connexion(
    required: list[str], names: list[bytes]
) -> None:
    operation = _created_operation(required)
    prepared = _PreparedResponseOperation(
        _never_called, operation=operation, validator_map={"response": MediaTypeDict({})}
    )
    headers = [(b"content-type", b"application/json"), *((name, b"v") for name in names)]

    def outcome(check: Any) -> str | None:
        try:
            check()
        except NonConformingResponseHeaders as exc:
            return str(exc.detail).split(": ")[0]  # the list of names comes in set order
        return None

    definition = operation.response_definition("201", "application/json")
    expected = outcome(
        lambda: ResponseValidationOperation.validate_required_headers(headers, definition)
    )
    assert outcome(lambda: prepared.start_validator({}, 201, headers)) == expected


PARAMETERS: list[dict[str, Any]] = [
    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "count", "in": "path", "required": True, "schema": {"type": "integer"}},
    {"name": "fields", "in": "query", "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}},
]


def _outcome(validator: ParameterValidator, scope: dict[str, Any]) -> str | None:
    try:
        validator.validate(scope)
    except BadRequestProblem as exc:
        return str(exc.detail)
    return None


@pytest.mark.parametrize(
    ("path_params", "query_string"),
    [
        ({"id": "a", "count": "3"}, b""),
        ({"id": "a", "count": "x"}, b""),
        ({"id": "a", "count": "3"}, b"limit=2"),
        ({"id": "a", "count": "3"}, b"limit=two"),
        ({"id": "a"}, b""),
        ({"count": "3"}, b"limit=1&fields=name"),
    ],
)
def test_parameters_without_a_query_string_are_judged_as_by_connexion(
    path_params: dict[str, str], query_string: bytes
) -> None:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "headers": [],
        "query_string": query_string,
        "path_params": path_params,
    }
    parser = OpenAPIURIParser(PARAMETERS, {})
    ours = CachedParameterValidator(PARAMETERS, uri_parser=parser)
    theirs = ParameterValidator(PARAMETERS, uri_parser=parser)
    assert _outcome(ours, dict(scope)) == _outcome(theirs, dict(scope))


STRING_PATH: list[dict[str, Any]] = [
    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "minLength": 3}},
]


@pytest.mark.parametrize(
    "path_params", [{"id": "a", "code": "abc"}, {"id": "a", "code": "ab"}, {"code": "abc"}, {}]
)
def test_string_path_parameters_are_judged_as_by_connexion(path_params: dict[str, str]) -> None:
    scope = {"type": "http", "headers": [], "query_string": b"", "path_params": path_params}
    parser = OpenAPIURIParser(STRING_PATH, {})
    ours = CachedParameterValidator(STRING_PATH, uri_parser=parser)
    theirs = ParameterValidator(STRING_PATH, uri_parser=parser)
    assert _outcome(ours, dict(scope)) == _outcome(theirs, dict(scope))


def test_header_parameters_take_connexions_way() -> None:
    parameters = [
        {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}
    ]
    parser = OpenAPIURIParser(parameters, {})
    scope = {"type": "http", "headers": [], "query_string": b"", "path_params": {}}
    assert _outcome(CachedParameterValidator(parameters, uri_parser=parser), scope) == (
        "Missing header parameter 'X-Tenant'"
    )


class _Boom(Exception):
    pass


async def _run(app: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    await app(scope, receive, send)
    return sent


async def test_the_lean_exception_middleware_handles_as_starlette_does() -> None:
    from connexion.lifecycle import ConnexionResponse

    async def failing(scope: Any, receive: Any, send: Any) -> None:
        raise _Boom("no")

    async def late(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise _Boom("late")

    def handler(_request: Any, exc: Exception) -> ConnexionResponse:
        return ConnexionResponse(
            status_code=418, body=f"handled {exc}".encode(), mimetype="text/plain"
        )

    async def outcome(kind: Any, app: Any, with_handler: bool) -> Any:
        middleware = kind(app)
        if with_handler:
            middleware.add_exception_handler(_Boom, handler)
        try:
            sent = await _run(middleware)
        except Exception as exc:
            return type(exc), str(exc)
        return [(m.get("status"), m.get("body")) for m in sent]

    for app in (failing, late):
        for with_handler in (True, False):
            ours = await outcome(LeanExceptionMiddleware, app, with_handler)
            assert ours == await outcome(ExceptionMiddleware, app, with_handler)
    assert await outcome(LeanExceptionMiddleware, failing, True) == [
        (418, None),
        (None, b"handled no"),
    ]


_NAMED = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}


def _response_check(accepted_by: CachedValidator | None, schema: Any, sent: bytes) -> str:
    """What response validation makes of ``{"name": 42}`` recorded as accepted by
    ``accepted_by`` when ``sent`` goes out: trusted, or checked (and refused)."""
    value = {"name": 42}
    scope: dict[str, Any] = {"type": "http", "query_string": b""}
    remember_response(scope, encode_json(value), value, accepted_by)
    validator = FieldsAwareResponseValidator(scope, schema=schema, encoding="utf-8")
    # The fast lane asks before making a validator; both must answer alike.
    trusted = FieldsAwareResponseValidator.trusts(scope, schema, sent)
    try:
        validator._validate(validator._parse(iter((sent,))))
    except NonConformingResponseBody:
        assert not trusted
        return "checked"
    assert trusted
    return "trusted"


def test_a_response_is_trusted_only_for_the_bytes_an_equal_check_accepted() -> None:
    # Connexion hands response validation the schema with the spec's components attached.
    attached = {**_NAMED, "components": {"schemas": {"Other": {"type": "string"}}}}
    sent = encode_json({"name": 42})
    same = CachedValidator(_NAMED, Draft4ResponseValidator, Draft4Validator.FORMAT_CHECKER)
    assert same_verdicts(same, cached_validator(attached, Draft4ResponseValidator))
    # The premise is the handler's word that its validator accepted these bytes: here it is
    # false on purpose, to see where the check is skipped.
    assert _response_check(same, attached, sent) == "trusted"
    assert _response_check(same, attached, sent + b" ") == "checked"
    assert _response_check(None, attached, sent) == "checked"
    looser = CachedValidator({**_NAMED, "properties": {}}, Draft4ResponseValidator)
    assert _response_check(looser, attached, sent) == "checked"
    plain = CachedValidator(_NAMED, Draft4Validator, Draft4Validator.FORMAT_CHECKER)
    assert _response_check(plain, attached, sent) == "checked"
    referring = {
        "type": "object",
        "properties": {"name": {"$ref": "#/components/schemas/Other"}},
        "components": {"schemas": {"Other": {"type": "string"}}},
    }
    bare = {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Other"}}}
    bare_validator = CachedValidator(bare, Draft4ResponseValidator, Draft4Validator.FORMAT_CHECKER)
    assert not same_verdicts(bare_validator, cached_validator(referring, Draft4ResponseValidator))


async def test_a_created_or_patched_resource_is_taken_on_trust_and_sent_as_stored(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts: list[bool] = []

    def recorded(first: CachedValidator, second: CachedValidator) -> bool:
        verdicts.append(same_verdicts(first, second))
        return verdicts[-1]

    # TMF629's Customer: the service's check and the 201/200 response check are equal.
    monkeypatch.setattr("tmf629_mock.validators.same_verdicts", recorded)
    created = await client.post("/customer", json=customer_body())
    assert created.status_code == 201, created.text
    assert verdicts == [True]
    service = client.app.tmf_mock.service  # type: ignore[attr-defined]
    result = await service.retrieve("Customer", created.json()["id"])
    assert created.json() == result.body
    patched = await client.patch(
        f"/customer/{created.json()['id']}",
        json={"name": "Renamed"},
        headers={"content-type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Renamed"
    assert verdicts == [True, True]
    selected = await client.post("/customer", params={"fields": "name"}, json=customer_body())
    assert selected.status_code == 201, selected.text
    assert verdicts == [True, True]  # under fields: nothing recorded, validated in full


def test_cyclic_schemas_are_never_taken_for_equal() -> None:
    cyclic: dict[str, Any] = {"type": "object", "properties": {}}
    cyclic["properties"]["self"] = cyclic
    twin: dict[str, Any] = {"type": "object", "properties": {}}
    twin["properties"]["self"] = twin
    first = CachedValidator(cyclic, Draft4ResponseValidator)
    second = CachedValidator({**twin, "components": {}}, Draft4ResponseValidator)
    assert not same_verdicts(first, second)
    assert same_verdicts(first, first)
