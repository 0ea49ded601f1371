"""Cached JSON Schema validators with a compiled fast path for valid documents.

jsonschema walks a schema keyword by keyword in Python and builds an evolved validator per
sub-schema and instance; on TMF's deep ``allOf`` hierarchies that costs tens of microseconds per
resource, on every request and response. Here each schema is also compiled once by jsonschema-rs
(Rust) into a validator that answers "valid or not" in a few microseconds.

jsonschema stays the authority. The schema handed to jsonschema-rs is a plain Draft 4 rewrite
with exactly the meaning the jsonschema validator class gives the original: OpenAPI
``nullable``/``x-nullable`` become ``null`` in ``type`` and ``enum`` when the class (Connexion's
request and response validators) honours them, keywords the class does not know are dropped (it
ignores them too), and every ``format`` runs the class's own Python format check (a format it
does not check is dropped: it always passes), except ``date-time`` and ``email`` when the class
checks them with Draft 4's own functions: those become a ``pattern`` that matches exactly the
strings that function accepts, so that the compiled check need not call back into Python.
A schema using a keyword whose meaning could differ between the two (``pattern``: another
regular-expression dialect; Connexion's ``writeOnly``; ``multipleOf``; ``uniqueItems``;
``$ref``) gets no fast path. When the fast path says "invalid", or cannot take the value, the
jsonschema validator - built once per schema - runs and raises exactly the
:class:`~jsonschema.exceptions.ValidationError` it always raised, so messages are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs
from connexion.json_schema import NullableEnumValidator, NullableTypeValidator
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

__all__ = ["MEMO_LIMIT", "CachedValidator", "cached_validator", "compile_check", "same_verdicts"]

Check = Callable[[Any], bool]

# Draft 4 keywords whose jsonschema-rs meaning is jsonschema's, given the rewrite below.
_SUBSCHEMA = frozenset({"not", "additionalProperties", "additionalItems"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_LITERAL = frozenset(
    {
        "required",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    }
)
_STRUCTURAL = _SUBSCHEMA | _SUBSCHEMA_LISTS | {"properties", "items", "dependencies"}
_TYPES = frozenset({"string", "object", "array", "boolean", "null", "integer", "number"})


_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # not 0000
_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)"
    "|(?:0[13578]|1[02])-31)"
)
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_TIME = (
    "[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_DRAFT4_FORMATS = Draft4Validator.FORMAT_CHECKER.checkers

# Formats whose Python check (Draft 4's own function, identified by identity) accepts exactly
# the strings the pattern matches, so that the compiled check need not call back into Python.
# Exactly, not "at least": under ``not`` or ``oneOf`` a stricter check could turn a refusal into
# an acceptance. ``date-time`` is rfc3339-validator's expression on ``instance.upper()`` (only
# ``t`` and ``z`` upper-case into its alphabet), its day-of-month check spelt out, and the one
# trailing newline its ``$`` lets by.
_FORMAT_PATTERNS: dict[str, tuple[Any, str]] = {
    name: (_DRAFT4_FORMATS[name][0], pattern)
    for name, pattern in (
        ("date-time", f"^(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29){_TIME}\\n?$"),
        ("email", "@"),  # jsonschema: ``"@" in instance``
    )
    if name in _DRAFT4_FORMATS
}


class _Unsupported(Exception):
    """The schema needs something the fast path does not reproduce exactly."""


class _Rewriter:
    def __init__(self, validator_class: Any, format_checker: Any) -> None:
        validators = validator_class.VALIDATORS
        self.known = frozenset(validators)
        self.nullable_type = validators.get("type") is NullableTypeValidator
        self.nullable_enum = validators.get("enum") is NullableEnumValidator
        plain = Draft4Validator.VALIDATORS
        if not (self.nullable_type or validators.get("type") is plain["type"]):
            raise _Unsupported("type")
        if not (self.nullable_enum or validators.get("enum") is plain["enum"]):
            raise _Unsupported("enum")
        for keyword in self.known & (_STRUCTURAL | _LITERAL | {"format"}):
            if validators[keyword] is not plain.get(keyword):
                raise _Unsupported(keyword)
        checkers = format_checker.checkers if format_checker else {}
        self.checked_formats = frozenset(checkers)
        self.format_patterns = {
            name: pattern
            for name, (check, pattern) in _FORMAT_PATTERNS.items()
            if name in checkers and checkers[name][0] is check
        }
        self.format_names: set[str] = set()

    def rewrite(self, schema: Any, path: tuple[int, ...] = ()) -> Any:
        if not isinstance(schema, dict):
            raise _Unsupported("a schema that is not an object")
        if id(schema) in path or len(path) > 64:
            raise _Unsupported("a cycle")
        inner = (*path, id(schema))
        nullable = schema.get("x-nullable") is True or bool(schema.get("nullable"))
        plain: dict[str, Any] = {}
        for keyword, value in schema.items():
            if keyword not in self.known:
                continue  # the validator class ignores it
            if keyword == "type":
                names = value if isinstance(value, list) else [value]
                if not names or any(name not in _TYPES for name in names):
                    raise _Unsupported("type")
                if self.nullable_type and nullable and "null" not in names:
                    names = [*names, "null"]
                plain["type"] = names if len(names) > 1 else names[0]
            elif keyword == "enum":
                if not isinstance(value, list):
                    raise _Unsupported("enum")
                if self.nullable_enum and nullable and None not in value:
                    value = [*value, None]
                plain["enum"] = value
            elif keyword == "format":
                if not isinstance(value, str):
                    raise _Unsupported("format")
                if value in self.checked_formats:  # others pass in jsonschema: left out
                    pattern = self.format_patterns.get(value)
                    if pattern is not None:
                        plain["pattern"] = pattern
                    else:
                        self.format_names.add(value)
                        plain["format"] = value
            elif keyword == "properties":
                if not isinstance(value, dict):
                    raise _Unsupported("properties")
                plain["properties"] = {
                    name: self.rewrite(item, inner) for name, item in value.items()
                }
            elif keyword == "items":
                if isinstance(value, list):
                    plain["items"] = [self.rewrite(item, inner) for item in value]
                else:
                    plain["items"] = self.rewrite(value, inner)
            elif keyword in _SUBSCHEMA:
                plain[keyword] = value if isinstance(value, bool) else self.rewrite(value, inner)
            elif keyword in _SUBSCHEMA_LISTS:
                if not isinstance(value, list) or not value:
                    raise _Unsupported(keyword)
                plain[keyword] = [self.rewrite(item, inner) for item in value]
            elif keyword == "dependencies":
                if not isinstance(value, dict):
                    raise _Unsupported("dependencies")
                plain["dependencies"] = {
                    name: item if isinstance(item, list) else self.rewrite(item, inner)
                    for name, item in value.items()
                }
            elif keyword in _LITERAL:
                plain[keyword] = value
            else:
                raise _Unsupported(keyword)
        return plain


def _format_check(format_checker: Any, name: str) -> Callable[[str], bool]:
    """The Python check of format ``name`` for jsonschema-rs, remembered for short strings
    (dates, e-mails, URIs repeat from document to document; format checks are pure)."""
    known: dict[str, bool] = {}

    def conforms(value: str) -> bool:
        if len(value) > 64:
            return bool(format_checker.conforms(value, name))
        found = known.get(value)
        if found is None:
            if len(known) >= 4096:
                known.clear()
            found = known[value] = bool(format_checker.conforms(value, name))
        return found

    return conforms


def compile_check(
    schema: Any,
    validator_class: Any = Draft4Validator,
    format_checker: Any = Draft4Validator.FORMAT_CHECKER,
) -> Check | None:
    """A predicate that is ``True`` only for instances ``validator_class(schema)`` accepts, and
    for (almost) all of them; ``None`` when the schema needs keywords the fast path does not
    reproduce exactly (see the module docstring)."""
    try:
        rewriter = _Rewriter(validator_class, format_checker)
        plain = rewriter.rewrite(schema)
    except _Unsupported:
        return None
    formats = {name: _format_check(format_checker, name) for name in rewriter.format_names}
    try:
        compiled = jsonschema_rs.Draft4Validator(plain, formats=formats, validate_formats=True)
    except Exception:  # a malformed schema: jsonschema reports what it makes of it
        return None
    is_valid: Callable[[Any], bool] = compiled.is_valid

    def check(instance: Any) -> bool:
        try:
            return is_valid(instance)
        except Exception:  # a value jsonschema-rs cannot take (e.g. lone surrogates)
            return False

    return check


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

MEMO_LIMIT = 1024
"""Entries a per-schema memo keeps before it starts again: far more than a spec's schemas, so
that only schemas made per request (Connexion builds a fresh one for a media type of odd case
or shape) can fill it, and then they cannot make it grow without bound."""


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
    if len(_CACHE) >= MEMO_LIMIT:  # a client can make Connexion hand over fresh schemas
        _CACHE.clear()
    _CACHE[key] = (schema, validator)
    return validator


_SAME: dict[tuple[int, int], tuple[CachedValidator, CachedValidator, bool]] = {}


def same_verdicts(first: CachedValidator, second: CachedValidator) -> bool:
    """Whether the two validators accept exactly the same instances: one validator class, one
    format checker and equal schemas (validation is a function of those and the instance).
    Worked out once per pair."""
    if first is second:
        return True
    key = (id(first), id(second))
    found = _SAME.get(key)
    if found is None or found[0] is not first or found[1] is not second:
        try:
            same = (
                type(first.full) is type(second.full)
                and first.full.format_checker is second.full.format_checker
                and _meaning(first.schema) == _meaning(second.schema)
            )
        except RecursionError:  # a cyclic schema: equality cannot be told this way
            same = False
        found = _SAME[key] = (first, second, same)
    return found[2]


def _meaning(schema: Any) -> Any:
    """``schema`` without the ``components`` Connexion attaches to a resolved schema for its
    ``$ref`` resolution, when nothing in the rest refers to them."""
    if not isinstance(schema, dict) or "components" not in schema:
        return schema
    rest = {key: value for key, value in schema.items() if key != "components"}
    return schema if _refers(rest) else rest


def _refers(schema: Any) -> bool:
    seen: set[int] = set()
    pending = [schema]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if "$ref" in node:
                return True
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False
