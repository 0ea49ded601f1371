"""Cached JSON Schema validators with a compiled fast path for valid documents.

jsonschema walks a schema keyword by keyword and builds an evolved validator per sub-schema and
instance; on TMF's deep ``allOf`` hierarchies that is about a millisecond per resource. Here a
schema is compiled once into nested Python closures that only answer "valid or not" for the
keywords TMF documents use (``type`` with OpenAPI ``nullable``, ``properties``, ``required``,
``allOf``, ``items``, ``format``). A sub-schema using any other keyword that the jsonschema
validator class knows is checked by a jsonschema validator built for it once; keywords that
class does not know are ignored, as jsonschema ignores them. When the fast path says "invalid"
(or the schema still has a ``$ref``), the ordinary jsonschema validator - built once per schema -
runs and raises exactly the :class:`~jsonschema.exceptions.ValidationError` it always raised,
so error messages are unchanged; it is the authority whenever the two disagree.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

__all__ = ["CachedValidator", "cached_validator", "compile_check"]

Check = Callable[[Any], bool]

_FAST_KEYWORDS = frozenset({"type", "properties", "required", "allOf", "items", "format"})


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


# Draft 4 type semantics (jsonschema's draft4_type_checker): bools are not numbers, and 1.0 is
# not an integer.
_TYPE_CHECKS: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _is_integer,
    "number": _is_number,
}


class _Compiler:
    def __init__(self, validator_class: Any, format_checker: Any) -> None:
        self.validator_class = validator_class
        self.format_checker = format_checker
        self.known = frozenset(validator_class.VALIDATORS)
        self.memo: dict[int, Check] = {}
        self.keep: list[Any] = []  # schemas whose id() is a memo key stay alive
        self.formats: dict[tuple[str, str], bool] = {}

    def conforms(self, value: Any, name: str) -> bool:
        """``format_checker.conforms``, remembered for short strings (dates, e-mails, URIs
        repeat from document to document; format checks are pure functions)."""
        if type(value) is not str or len(value) > 64:
            return bool(self.format_checker.conforms(value, name))
        key = (name, value)
        known = self.formats.get(key)
        if known is None:
            if len(self.formats) >= 4096:
                self.formats.clear()
            known = self.formats[key] = bool(self.format_checker.conforms(value, name))
        return known

    def delegate(self, schema: Any) -> Check:
        validator = self.validator_class(schema, format_checker=self.format_checker)
        is_valid: Check = validator.is_valid
        return is_valid

    def compile(self, schema: Any) -> Check:
        key = id(schema)
        found = self.memo.get(key)
        if found is not None:
            return found
        cell: list[Check] = []

        def pending(value: Any) -> bool:  # a cycle: resolved when the outer call returns
            return cell[0](value)

        self.memo[key] = pending
        self.keep.append(schema)
        check = self._compile(schema)
        cell.append(check)
        self.memo[key] = check
        return check

    def _compile(self, schema: Any) -> Check:
        parts = _Parts()
        if not self._gather(schema, parts, 0):
            return self.delegate(schema)
        return self._assemble(parts)

    def _gather(self, schema: Any, parts: _Parts, depth: int) -> bool:
        """Add the checks of ``schema`` to ``parts`` (``allOf`` parts inlined); ``False`` when
        ``schema`` must be delegated to jsonschema as a whole."""
        if not isinstance(schema, dict) or depth > 32:
            return False
        keywords = [key for key in schema if key in self.known]
        if any(key not in _FAST_KEYWORDS for key in keywords):
            return False
        if "type" in schema:
            types = self._types(schema)
            if types is None:
                return False
            parts.types.append(types)
        if "items" in schema:
            if not isinstance(schema["items"], dict):
                return False
            parts.items.append(self.compile(schema["items"]))
        checkers = self.format_checker.checkers if self.format_checker is not None else {}
        if "format" in schema and schema["format"] in checkers:
            parts.formats.append(schema["format"])
        if "properties" in schema:
            if not isinstance(schema["properties"], dict):
                return False
            for name, subschema in schema["properties"].items():
                parts.properties.setdefault(name, []).append(self.compile(subschema))
        if "required" in schema:
            if not isinstance(schema["required"], list):
                return False
            parts.required.extend(schema["required"])
        if "allOf" in schema:
            if not isinstance(schema["allOf"], list):
                return False
            for part in schema["allOf"]:
                if id(part) in self.memo or not self._gather(part, parts, depth + 1):
                    parts.others.append(self.compile(part))
        return True

    def _types(self, schema: dict[str, Any]) -> Check | None:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        known = _TYPE_CHECKS
        if not names or any(not isinstance(name, str) or name not in known for name in names):
            return None
        checks = [_TYPE_CHECKS[name] for name in names]
        # connexion.json_schema.allow_nullable
        nullable = schema.get("x-nullable") is True or bool(schema.get("nullable"))
        if len(checks) == 1 and not nullable:
            return checks[0]

        def check(value: Any) -> bool:
            return (nullable and value is None) or any(one(value) for one in checks)

        return check

    def _assemble(self, parts: _Parts) -> Check:
        conforms = self.conforms if self.format_checker is not None else None
        types = _all_of(parts.types)
        items = _all_of(parts.items)
        formats = tuple(parts.formats)
        properties = {name: _all_of(checks) for name, checks in parts.properties.items()}
        needs = tuple(dict.fromkeys(parts.required))
        rest = tuple(parts.others)

        if not formats and not properties and not needs and items is None and not rest:
            return types if types is not None else _anything
        plain = not properties and not needs and not rest
        if types is not None and plain and items is None and len(formats) == 1 and conforms:
            type_check = types
            name = formats[0]

            def check_format(value: Any) -> bool:
                return type_check(value) and conforms(value, name)

            return check_format
        if types is not None and plain and items is not None and not formats:
            type_check = types
            item_check = items

            def check_array(value: Any) -> bool:
                if not type_check(value):
                    return False
                if isinstance(value, list):
                    for item in value:
                        if not item_check(item):
                            return False
                return True

            return check_array
        lookup = properties.get

        def check(value: Any) -> bool:
            if types is not None and not types(value):
                return False
            if formats and conforms is not None:
                for name in formats:
                    if not conforms(value, name):
                        return False
            if isinstance(value, dict):
                for name in needs:
                    if name not in value:
                        return False
                if properties:
                    for key, item in value.items():
                        one = lookup(key)
                        if one is not None and not one(item):
                            return False
            elif items is not None and isinstance(value, list):
                for item in value:
                    if not items(item):
                        return False
            return all(other(value) for other in rest) if rest else True

        return check


class _Parts:
    def __init__(self) -> None:
        self.types: list[Check] = []
        self.formats: list[str] = []
        self.properties: dict[str, list[Check]] = {}
        self.required: list[str] = []
        self.items: list[Check] = []
        self.others: list[Check] = []


def _all_of(checks: list[Check]) -> Check | None:
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    every = tuple(checks)

    def check(value: Any) -> bool:
        return all(one(value) for one in every)

    return check


def _anything(_value: Any) -> bool:
    return True


def _has_ref(node: Any, seen: set[int]) -> bool:
    if id(node) in seen:
        return False
    seen.add(id(node))
    if isinstance(node, dict):
        if "$ref" in node:
            return True
        return any(_has_ref(value, seen) for key, value in node.items() if key != "components")
    if isinstance(node, list):
        return any(_has_ref(value, seen) for value in node)
    return False


def compile_check(
    schema: Any,
    validator_class: Any = Draft4Validator,
    format_checker: Any = Draft4Validator.FORMAT_CHECKER,
) -> Check | None:
    """A predicate equivalent to ``validator_class(schema).is_valid``; ``None`` when the schema
    still has references (jsonschema must resolve them against the whole document)."""
    if _has_ref(schema, set()):
        return None
    return _Compiler(validator_class, format_checker).compile(schema)


class CachedValidator:
    """``validate``/``is_valid`` of a jsonschema validator class, compiled fast path first."""

    def __init__(
        self,
        schema: Any,
        validator_class: Any = Draft4Validator,
        format_checker: Any = Draft4Validator.FORMAT_CHECKER,
    ) -> None:
        self.schema = schema
        self.full = validator_class(schema, format_checker=format_checker)
        self.fast = compile_check(schema, validator_class, format_checker)

    def is_valid(self, instance: Any) -> bool:
        if self.fast is not None and self.fast(instance):
            return True
        return bool(self.full.is_valid(instance))

    def validate(self, instance: Any) -> None:
        """Raise the first :class:`ValidationError` of jsonschema, as ``validator.validate``."""
        if self.fast is not None and self.fast(instance):
            return
        error: ValidationError
        for error in self.full.iter_errors(instance):
            raise error


_CACHE: dict[tuple[int, int, int], tuple[Any, CachedValidator]] = {}


def cached_validator(
    schema: Any,
    validator_class: Any = Draft4Validator,
    format_checker: Any = Draft4Validator.FORMAT_CHECKER,
) -> CachedValidator:
    """One :class:`CachedValidator` per schema object (the schema is kept alive with it)."""
    key = (id(schema), id(validator_class), id(format_checker))
    found = _CACHE.get(key)
    if found is not None and found[0] is schema:
        return found[1]
    validator = CachedValidator(schema, validator_class, format_checker)
    _CACHE[key] = (schema, validator)
    return validator
