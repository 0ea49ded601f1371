"""Connexion's JSON body and parameter validators, as this server uses them.

* Every schema gets one cached validator with a fast path for valid documents
  (:mod:`tmf629_mock.fastschema`) instead of a new jsonschema validator per request.
* Responses under ``fields`` may omit mandatory attributes; PATCH bodies (merge semantics) may
  hold ``null`` members; a discriminated ``oneOf`` is read by its discriminator
  (:func:`tmf629_mock.schemas.discriminated`).
* A request body is parsed strictly (:mod:`tmf629_mock.jsonbody`) and handed on to the handler
  (:mod:`tmf629_mock.dispatch`); a response value the handler just encoded is validated as the
  value, not decoded again.
* Parameters of a request without a query string are checked without building a request object
  and parsing an empty query: every query parameter is simply absent.

The errors raised are Connexion's own, with its messages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, ValidationError
from starlette.types import Scope

from tmf629_mock.dispatch import remember_request, response_accepted_by, response_body
from tmf629_mock.fastschema import CachedValidator, cached_validator, same_verdicts
from tmf629_mock.formats import FORMAT_CHECKER
from tmf629_mock.jsonbody import MalformedBody, parse_json_body
from tmf629_mock.patching import MERGE_PATCH_TYPES, strip_nulls
from tmf629_mock.schemas import discriminated, relax_required

__all__ = [
    "CachedParameterValidator",
    "FieldsAwareResponseValidator",
    "MergePatchAwareRequestValidator",
]


class FieldsAwareResponseValidator(JSONResponseBodyValidator):  # type: ignore[misc]
    """Response body validator that tolerates missing mandatory attributes under ``fields``."""

    def __init__(self, scope: Scope, *, schema: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(scope, schema=self._effective(scope, schema), **kwargs)

    @staticmethod
    def _effective(scope: Scope, schema: dict[str, Any]) -> Any:
        schema = discriminated(schema)
        query_string = scope.get("query_string", b"")
        if b"fields" in query_string or b"%" in query_string:
            query = parse_qs(query_string.decode("latin-1"))
            if any(value.strip() for value in query.get("fields", [])):
                schema = _relaxed(schema)
        return schema

    @staticmethod
    def _checker(schema: Any) -> CachedValidator:
        # Built once per schema, with a compiled fast path (tmf629_mock.fastschema).
        return cached_validator(schema, Draft4ResponseValidator, Draft4Validator.FORMAT_CHECKER)

    @property
    def validator(self) -> Any:
        return self._checker(self._schema)

    @classmethod
    def trusts(cls, scope: Scope, schema: dict[str, Any], body: bytes) -> bool:
        """Whether the validator made for ``scope`` and ``schema`` would take ``body`` on trust
        (see :meth:`_validate`), told without making one."""
        return cls._trusted(scope, cls._effective(scope, schema), body)

    @classmethod
    def _trusted(cls, scope: Scope, effective: Any, body: bytes) -> bool:
        # The handler's validator accepted these very bytes' value against an equal schema:
        # running the same pure check again cannot answer otherwise.
        accepted_by = response_accepted_by(scope, body)
        return accepted_by is not None and same_verdicts(accepted_by, cls._checker(effective))

    _trusted_body = False

    def _parse(self, stream: Any) -> Any:
        body = b"".join(stream)
        sent = response_body(self._scope, body)
        self._trusted_body = self._trusted(self._scope, self._schema, body)
        return sent if sent is not None else super()._parse(iter((body,)))

    def _validate(self, body: Any) -> Any:
        if self._trusted_body:
            return None
        return super()._validate(body)


_RELAXED: dict[int, tuple[Any, Any]] = {}


def _relaxed(schema: Any) -> Any:
    """:func:`relax_required` of ``schema``, made once per schema object."""
    found = _RELAXED.get(id(schema))
    if found is None or found[0] is not schema:
        found = _RELAXED[id(schema)] = (schema, relax_required(schema))
    return found[1]


class MergePatchAwareRequestValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    """JSON body validator; in a merge patch ``null`` members (removals) are not type errors."""

    _merge_patch = False

    @property
    def _validator(self) -> Any:
        # Draft 4 formats plus ``uri`` (unchecked by jsonschema without optional packages).
        # Built once per schema, with a compiled fast path (tmf629_mock.fastschema).
        return cached_validator(discriminated(self._schema), Draft4RequestValidator, FORMAT_CHECKER)

    async def _parse(self, stream: Any, scope: Scope) -> Any:
        return self.parse_bytes(b"".join([chunk async for chunk in stream]), scope)

    def parse_bytes(self, raw: bytes, scope: Scope) -> Any:
        """:meth:`_parse` of a body already read."""
        if scope.get("method") == "PATCH":
            content_type = next(
                (value for key, value in scope["headers"] if key.lower() == b"content-type"), b""
            )
            media = content_type.decode("latin-1").split(";")[0].strip().lower()
            self._merge_patch = (media or "application/json") in MERGE_PATCH_TYPES
        try:
            body = parse_json_body(raw, self._encoding)
        except MalformedBody as exc:  # a client error, never a 500
            raise BadRequestProblem(detail=str(exc)) from exc
        if body is not None and self._encoding.lower() in ("utf-8", "utf8"):
            # What the handler's request.json() would decode: DirectDispatch passes it on.
            remember_request(scope, body)
        return body

    def _validate(self, body: Any) -> Any:
        if self._merge_patch:
            body = strip_nulls(body)
        return super()._validate(body)


_KEYWORDS = frozenset(Draft4Validator.VALIDATORS)


class CachedParameterValidator(ParameterValidator):  # type: ignore[misc]
    """Connexion's parameter validator without a deep copy of the parameter and a new
    jsonschema validator per parameter and request: one cached validator per schema."""

    def __init__(self, parameters: Any, uri_parser: Any, **kwargs: Any) -> None:
        super().__init__(parameters, uri_parser, **kwargs)
        self._only_query_and_path = not self.parameters.get("header") and not self.parameters.get(
            "cookie"
        )
        path = self.parameters.get("path", ())
        # Every path parameter a non-nullable string: Connexion's URI parser hands it on as is.
        self._plain_path = all(
            param.get("schema", param).get("type") == "string"
            and not is_nullable(param.get("schema", param))
            for param in path
        )
        # ... and constrained by nothing else: any string passes.
        self._any_string_path = self._plain_path and all(
            set(param.get("schema", param)) & _KEYWORDS == {"type"} for param in path
        )
        # What an absent query parameter gets (the same for every request): the required ones'
        # errors, in order.
        self._absent_query_errors = [
            error
            for param in self.parameters.get("query", ())
            if (error := self.validate_parameter("query", None, param))
        ]

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            schema = param.get("schema", param)
            try:
                cached_validator(schema, Draft4Validator, Draft4Validator.FORMAT_CHECKER).validate(
                    value
                )
            except ValidationError as exception:
                return str(exception)
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None

    def validate(self, scope: Scope) -> None:
        if scope.get("query_string") or self.strict_validation or not self._only_query_and_path:
            super().validate(scope)
            return
        # No query string: what ConnexionRequest would give, without building one.
        if self._absent_query_errors:
            raise BadRequestProblem(detail=self._absent_query_errors[0])
        path_params = scope.get("path_params") or {}
        if not self._plain_path:
            path_params = self.uri_parser.resolve_path(path_params)
        for param in self.parameters.get("path", ()):
            value = path_params.get(param["name"].replace("-", "_"))
            if self._any_string_path and type(value) is str:
                continue  # a schema that is only {"type": "string"} accepts every string
            error = self.validate_parameter("path", value, param)
            if error:
                raise BadRequestProblem(detail=error)
