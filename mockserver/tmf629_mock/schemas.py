"""JSON-schema validation of whole resources against the spec's component schemas.

The OpenAPI document is loaded unmodified and its ``$ref``s resolved (Connexion's resolver);
validators are Connexion's Draft 4 response validators (OpenAPI ``nullable``/``readOnly``
aware). Used to check a created resource and the result of a patch before storing it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from connexion.json_schema import Draft4ResponseValidator, format_error_with_path
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from tmf629_mock.errors import TmfError
from tmf629_mock.fastschema import MEMO_LIMIT, CachedValidator

__all__ = [
    "SchemaRegistry",
    "descends_below_primitive",
    "discriminated",
    "fill_missing_ids",
    "load_spec",
    "relax_required",
]


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def load_spec(path: Path) -> dict[str, Any]:
    """The parsed document (a fresh copy; parsing is cached by path, size and mtime)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    spec = _CACHE.get(key)
    if spec is None:
        with path.open(encoding="utf-8") as handle:
            loaded = yaml.load(handle, Loader=_Loader)
        if not isinstance(loaded, dict):
            raise ValueError(f"{path} is not an OpenAPI document")
        spec = _CACHE[key] = loaded
    return copy.deepcopy(spec)


class SchemaRegistry:
    def __init__(self, spec: dict[str, Any]) -> None:
        from connexion.json_schema import resolve_refs

        self._resolved: dict[str, Any] = resolve_refs(spec)
        self._validators: dict[str, Any] = {}

    def schema(self, name: str) -> dict[str, Any] | None:
        schemas = self._resolved.get("components", {}).get("schemas", {})
        schema = schemas.get(name)
        return schema if isinstance(schema, dict) else None

    def validator(self, name: str) -> CachedValidator | None:
        """The validator of schema ``name`` (``None`` when the spec has no such schema): the
        class and format checks Connexion's response validation uses."""
        validator = self._validators.get(name)
        if validator is None:
            schema = self.schema(name)
            if schema is None:
                return None
            validator = CachedValidator(
                discriminated(schema), Draft4ResponseValidator, Draft4Validator.FORMAT_CHECKER
            )
            self._validators[name] = validator
        return validator

    def validate(self, name: str, document: Any, *, what: str | None = None) -> None:
        """400 :class:`TmfError` naming the offending attribute if ``document`` is invalid."""
        validator = self.validator(name)
        if validator is None:
            return
        try:
            validator.validate(document)
        except ValidationError as exc:
            where = format_error_with_path(exc)
            raise TmfError(
                400,
                f"The resulting {what or name} would not be valid: {exc.message}{where}",
                reason="Invalid resource",
            ) from exc


_PRIMITIVES = frozenset({"string", "number", "integer", "boolean"})


def _branches(schema: Any, depth: int = 0) -> list[dict[str, Any]]:
    """``schema`` and its allOf/anyOf/oneOf parts, with arrays replaced by their items."""
    if not isinstance(schema, dict) or depth > 32:
        return []
    if schema.get("type") == "array" or "items" in schema:
        return _branches(schema.get("items"), depth + 1)
    found = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []) or []:
            found.extend(_branches(part, depth + 1))
    return found


def descends_below_primitive(schema: Any, path: tuple[str, ...]) -> str | None:
    """The first segment of ``path`` that goes below a primitive attribute, else ``None``.

    Unknown attributes are tolerated (a subclass selected by ``@type`` may define them).
    """
    current = _branches(schema)
    for index, segment in enumerate(path):
        if (
            index > 0
            and current
            and all(branch.get("type") in _PRIMITIVES for branch in current if "type" in branch)
            and any("type" in branch for branch in current)
            and not any("properties" in branch for branch in current)
        ):
            return segment
        following: list[dict[str, Any]] = []
        for branch in current:
            properties = branch.get("properties")
            if isinstance(properties, dict) and segment in properties:
                following.extend(_branches(properties[segment]))
        if not following:
            return None
        current = following
    return None


def _object_branches(schema: Any, depth: int = 0) -> list[dict[str, Any]]:
    if not isinstance(schema, dict) or depth > 32:
        return []
    found = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []) or []:
            found.extend(_object_branches(part, depth + 1))
    return found


_BRANCHES: dict[int, tuple[Any, list[dict[str, Any]]]] = {}


def _branches_of(schema: Any) -> list[dict[str, Any]]:
    """:func:`_object_branches`, computed once per schema object (schemas do not change)."""
    found = _BRANCHES.get(id(schema))
    if found is None or found[0] is not schema:
        found = _BRANCHES[id(schema)] = (schema, _object_branches(schema))
    return found[1]


def _selected_branches(schema: Any, value: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """:func:`_object_branches` of the ``oneOf``/``anyOf`` alternatives ``value`` selects: a
    discriminated alternative counts only when its own discriminator mapping names the value's
    tag (TMF: each class maps itself and its subclasses), so that the ``id`` an ``XRef``
    alternative requires is not forced onto an ``X`` given by value."""
    if not isinstance(schema, dict) or depth > 32:
        return []
    found = [schema]
    for part in schema.get("allOf", []) or []:
        found.extend(_selected_branches(part, value, depth + 1))
    for key in ("anyOf", "oneOf"):
        parts = [part for part in schema.get(key, []) or [] if isinstance(part, dict)]
        name = (schema.get("discriminator") or {}).get("propertyName")
        tag = value.get(name) if isinstance(name, str) else None
        if isinstance(tag, str):
            chosen = [
                part
                for part in parts
                if tag in ((part.get("discriminator") or {}).get("mapping") or {})
            ]
            parts = chosen or parts
        for part in parts:
            found.extend(_selected_branches(part, value, depth + 1))
    return found


def fill_missing_ids(schema: Any, value: Any, make_id: Callable[[], str], depth: int = 0) -> None:
    """Give an ``id`` to every nested object whose schema requires one but that has none.

    TMF ``_FVO`` schemas let clients omit the ids of contained entities (e.g. a credit profile)
    which the resource schema then requires: the server generates them. The top-level
    document is left alone (its id is assigned by the service). Parts of the document whose
    schema requires no id anywhere below are not visited.
    """
    if depth > 32:
        return
    plan = _id_plan(schema)
    if plan is not None:
        plan.fill(schema, value, make_id, depth)


# How a plan treats one attribute's schema (see _IdPlan.steps).
_NESTED = 0  # fill_missing_ids on the value
_OWN_ID = 1  # the value, an object, needs an id of its own and nothing below it does
_ITEM_IDS = 2  # the value, an array, holds objects that need an id and nothing below it does

_Step = tuple[str, int, Any]


class _IdPlan:
    """What :func:`fill_missing_ids` needs of one schema, worked out once; for a schema with
    alternatives, once per combination of the discriminator values that select them."""

    def __init__(self, schema: Any) -> None:
        branches = _branches_of(schema)
        self.choice = any("oneOf" in branch or "anyOf" in branch for branch in branches)
        self.requires_id = any("id" in (branch.get("required") or []) for branch in branches)
        self.children = _children(branches)
        self.items = tuple(
            branch["items"]
            for branch in branches
            if isinstance(branch.get("items"), dict) and _may_need_ids(branch["items"])
        )
        names = {
            branch["discriminator"].get("propertyName")
            for branch in branches
            if isinstance(branch.get("discriminator"), dict)
        }
        self.tag_names = tuple(sorted(name for name in names if isinstance(name, str)))
        self._steps: tuple[_Step, ...] | None = None
        self._selections: dict[tuple[str | None, ...], tuple[bool, tuple[_Step, ...]]] = {}

    @property
    def leaf(self) -> bool:
        """An object that needs an id, whatever its discriminator says, and nothing below."""
        return not self.choice and self.requires_id and not self.children and not self.items

    def steps(self) -> tuple[_Step, ...]:
        """:func:`_steps` of the children; made on first use (plans of cyclic schemas refer to
        each other)."""
        if self._steps is None:
            self._steps = _steps(self.children)
        return self._steps

    def fill(self, schema: Any, value: Any, make_id: Callable[[], str], depth: int) -> None:
        if isinstance(value, list):
            for items in self.items:
                for item in value:
                    fill_missing_ids(items, item, make_id, depth + 1)
            return
        if not isinstance(value, dict):
            return
        if self.choice:
            requires_id, steps = self.selected(schema, value)
        else:
            requires_id, steps = self.requires_id, self.steps()
        if depth > 0 and requires_id and "id" not in value:
            value["id"] = make_id()
        inline = depth < 31  # an inlined step acts at depth + 1 or + 2, within the limit
        for key, how, child in steps:  # usually fewer than the value's attributes
            item = value.get(key)
            if isinstance(item, dict):
                if how == _OWN_ID and inline:
                    if "id" not in item:
                        item["id"] = make_id()
                elif how == _NESTED or not inline:
                    fill_missing_ids(child, item, make_id, depth + 1)
            elif isinstance(item, list):
                if how == _ITEM_IDS and inline:
                    for element in item:
                        if isinstance(element, dict) and "id" not in element:
                            element["id"] = make_id()
                elif how == _NESTED or not inline:
                    fill_missing_ids(child, item, make_id, depth + 1)

    def selected(self, schema: Any, value: dict[str, Any]) -> tuple[bool, tuple[_Step, ...]]:
        """Whether ``value`` must have an id, and the steps for its children, by the
        alternatives its discriminator values select (:func:`_selected_branches` reads nothing
        else)."""
        tags = tuple(_tag(value.get(name)) for name in self.tag_names)
        found = self._selections.get(tags)
        if found is None:
            branches = _selected_branches(schema, value)
            requires_id = any("id" in (branch.get("required") or []) for branch in branches)
            found = (requires_id, _steps(_children(branches)))
            if len(self._selections) < 256:  # tags come from clients: keep the memo bounded
                self._selections[tags] = found
        return found


def _steps(children: dict[str, tuple[Any, ...]]) -> tuple[_Step, ...]:
    """One step per attribute schema that may need ids: an object or an array of objects that
    only need an id of their own is handled in place, anything else by recursion."""
    steps: list[_Step] = []
    for key, schemas in children.items():
        for child in schemas:
            plan = _id_plan(child)
            if plan is None:
                continue
            how = _NESTED
            if plan.leaf:
                how = _OWN_ID
            elif not plan.choice and not plan.requires_id and not plan.children and plan.items:
                item_plans = [_id_plan(items) for items in plan.items]
                if all(item is None or item.leaf for item in item_plans):
                    how = _ITEM_IDS
            steps.append((key, how, child))
    return tuple(steps)


def _tag(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _children(branches: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    """Per attribute, the schemas of its value (over all ``branches``) that may need ids."""
    children: dict[str, list[Any]] = {}
    for branch in branches:
        properties = branch.get("properties")
        if isinstance(properties, dict):
            for key, child in properties.items():
                if isinstance(child, dict) and _may_need_ids(child):
                    children.setdefault(key, []).append(child)
    return {key: tuple(found) for key, found in children.items()}


_PLANS: dict[int, tuple[Any, _IdPlan | None]] = {}
_MAY_NEED: dict[int, tuple[Any, bool]] = {}


def _id_plan(schema: Any) -> _IdPlan | None:
    """The plan of ``schema``, ``None`` when no object under it requires an id."""
    found = _PLANS.get(id(schema))
    if found is None or found[0] is not schema:
        plan = _IdPlan(schema) if _may_need_ids(schema) else None
        found = _PLANS[id(schema)] = (schema, plan)
    return found[1]


def _may_need_ids(schema: Any, visiting: frozenset[int] = frozenset()) -> bool:
    """Whether some schema reachable from ``schema`` (any branch, property or items) requires
    an ``id``; a cycle counts as "may" (the walk is then bounded by its depth limit)."""
    key = id(schema)
    found = _MAY_NEED.get(key)
    if found is not None and found[0] is schema:
        return found[1]
    if key in visiting:
        return True
    inner = visiting | {key}
    answer = False
    for branch in _branches_of(schema):
        if "id" in (branch.get("required") or []):
            answer = True
            break
        items = branch.get("items")
        if isinstance(items, dict) and _may_need_ids(items, inner):
            answer = True
            break
        properties = branch.get("properties")
        if isinstance(properties, dict) and any(
            isinstance(child, dict) and _may_need_ids(child, inner) for child in properties.values()
        ):
            answer = True
            break
    if not visiting or not answer:  # "may" reached through a cycle may be premature
        _MAY_NEED[key] = (schema, answer)
    return answer


def relax_required(schema: Any) -> Any:
    """A copy of ``schema`` without ``required`` at the top level (through allOf/anyOf/oneOf and
    array items): the response of an attribute selection legitimately omits mandatory attributes.
    """
    if not isinstance(schema, dict):
        return schema
    relaxed = {key: value for key, value in schema.items() if key != "required"}
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(relaxed.get(key), list):
            relaxed[key] = [relax_required(item) for item in relaxed[key]]
    if isinstance(relaxed.get("items"), dict):
        relaxed["items"] = relax_required(relaxed["items"])
    return relaxed


def discriminated(schema: Any) -> Any:
    """``schema`` with each discriminated ``oneOf`` read the way TMF means it: a value whose
    discriminator property (``@type``) is set must match the alternative whose own mapping names
    that tag, whatever the others say; a value without it still needs exactly one match.

    TMF's ``XRefOrValue`` alternatives overlap (a reference with its ``id`` is also a valid
    value), so plain ``oneOf`` refuses exactly the values the discriminator makes clear. Only a
    ``oneOf`` whose alternatives all carry their own discriminator mapping is rewritten (each
    TMF class maps itself and its subclasses); anything else is kept as it is. Made once per
    schema object; the schema itself is not changed, and comes back as it is when no ``oneOf``
    needed rewriting.
    """
    found = _DISCRIMINATED.get(id(schema))
    if found is None or found[0] is not schema:
        rewriting = _Discriminating()
        rewritten = rewriting.rewrite(schema)
        if len(_DISCRIMINATED) >= MEMO_LIMIT:
            _DISCRIMINATED.clear()
        found = _DISCRIMINATED[id(schema)] = (schema, rewritten if rewriting.changed else schema)
    return found[1]


_DISCRIMINATED: dict[int, tuple[Any, Any]] = {}
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_VALUES = ("items", "additionalProperties", "not")


class _Discriminating:
    def __init__(self) -> None:
        self.done: dict[int, Any] = {}
        self.keep: list[Any] = []  # originals whose id() is a key of ``done``
        self.changed = False

    def rewrite(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        found = self.done.get(id(node))
        if found is not None:
            return found
        new: dict[str, Any] = {}
        self.done[id(node)] = new  # before descending: schemas may be cyclic
        self.keep.append(node)
        for key, value in node.items():
            if key in _SCHEMA_LISTS and isinstance(value, list):
                new[key] = [self.rewrite(item) for item in value]
            elif key in _SCHEMA_VALUES:
                new[key] = self.rewrite(value)
            elif key == "properties" and isinstance(value, dict):
                new[key] = {name: self.rewrite(item) for name, item in value.items()}
            else:
                new[key] = value
        selector = _selector(node, new.get("oneOf"))
        if selector is not None:
            self.changed = True
            del new["oneOf"]
            new["allOf"] = [*new.get("allOf", []), selector]
        return new


def _selector(original: dict[str, Any], branches: Any) -> dict[str, Any] | None:
    """The ``anyOf`` replacing a discriminated ``oneOf``, ``None`` to keep the ``oneOf``."""
    name = (original.get("discriminator") or {}).get("propertyName")
    if not isinstance(name, str) or not isinstance(branches, list) or not branches:
        return None
    tags = []
    for branch in branches:
        mapping = (
            (branch.get("discriminator") or {}).get("mapping") if isinstance(branch, dict) else None
        )
        if not isinstance(mapping, dict) or not mapping:
            return None
        tags.append(sorted(mapping))
    tagged = [
        {"allOf": [{"required": [name], "properties": {name: {"enum": names}}}, branch]}
        for names, branch in zip(tags, branches, strict=True)
    ]
    untagged = {"allOf": [{"not": {"required": [name]}}, {"oneOf": branches}]}
    return {"anyOf": [*tagged, untagged]}
