"""Base class of every generated model: TMF extensibility and ``@type`` polymorphism.

TMF v5 schemas put a discriminator on ``@type`` on every polymorphic base, and the same tag
names appear in several families (``Customer`` maps to ``Customer`` in one mapping and to
``Customer_FVO`` in another). Pydantic's discriminated unions need a ``Literal`` field per
member, which an allOf hierarchy cannot give (a subclass would have to narrow its base's
literal). So the generated code registers each module's mappings here, and validation of a
model dispatches on ``@type`` to the registered subclass, or rejects a tag that names a class
outside the expected hierarchy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, model_validator

__all__ = ["TmfModel", "register_discriminators"]

_TYPE_KEY = "@type"


class _Registry:
    __slots__ = ("by_tag", "strict")

    def __init__(self) -> None:
        self.by_tag: dict[str, list[type[TmfModel]]] = {}
        self.strict: dict[type[TmfModel], dict[str, type[TmfModel]]] = {}


_REGISTRIES: dict[str, _Registry] = {}


class TmfModel(BaseModel):
    """A TMF entity or value: unknown attributes are kept (TMF allows extension)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    _tmf_registry: ClassVar[_Registry | None] = None
    _tmf_partial_of: ClassVar[type[TmfModel] | None] = None
    """Set on the all-optional twins made for ``fields=`` responses: the model they relax."""

    @model_validator(mode="wrap")
    @classmethod
    def _dispatch_on_type(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        registry = cls._tmf_registry
        if registry is None or not isinstance(data, Mapping):
            return handler(data)
        tag = data.get(_TYPE_KEY)
        if not isinstance(tag, str):
            return handler(data)
        origin = cls.__dict__.get("_tmf_partial_of")
        target = _resolve(registry, origin or cls, tag)
        if target is None or target is (origin or cls):
            return handler(data)
        if origin is not None:
            from tmf629.runtime._models import partial_model

            return partial_model(target).model_validate(data)
        return target.model_validate(data)


def _resolve(registry: _Registry, cls: type[TmfModel], tag: str) -> type[TmfModel] | None:
    """The class to validate ``tag`` as, ``None`` to validate as ``cls`` itself."""
    own_mapping = registry.strict.get(cls)
    if own_mapping is not None:
        if tag not in own_mapping:
            expected = ", ".join(sorted(own_mapping))
            raise ValueError(f"'@type' {tag!r} is not one of {expected}")
        return own_mapping[tag]
    candidates = registry.by_tag.get(tag)
    if not candidates:
        return None
    related = [c for c in candidates if issubclass(c, cls)]
    if cls in related:
        return cls
    if len(related) == 1:
        return related[0]
    if related:
        return None
    if any(issubclass(cls, c) for c in candidates):
        return None
    raise ValueError(f"'@type' {tag!r} names {candidates[0].__name__}, not a {cls.__name__}")


def register_discriminators(
    module: str,
    owners: Mapping[type[Any], Mapping[str, type[Any]]],
    unions: Mapping[str, type[Any]] | None = None,
) -> None:
    """Record the ``@type`` mappings of one generated models module.

    ``owners`` maps each class that declares a discriminator to its tag -> class mapping;
    ``unions`` holds the tags of ``oneOf`` unions, which have no class of their own to check.
    Entries naming something other than a model (an enum, a root model) are ignored.
    """
    registry = _REGISTRIES.setdefault(module, _Registry())
    tagged = [(tag, target) for mapping in owners.values() for tag, target in mapping.items()]
    tagged += list((unions or {}).items())
    for owner, mapping in owners.items():
        if _is_tmf_subclass(owner):
            registry.strict[owner] = {t: c for t, c in mapping.items() if _is_tmf_subclass(c)}
    for tag, target in tagged:
        known = registry.by_tag.setdefault(tag, [])
        if _is_tmf_subclass(target) and target not in known:
            known.append(target)
    for owner in _module_classes(registry):
        owner._tmf_registry = registry


def _module_classes(registry: _Registry) -> set[type[TmfModel]]:
    classes: set[type[TmfModel]] = set(registry.strict)
    for targets in registry.by_tag.values():
        classes.update(targets)
    with_bases: set[type[TmfModel]] = set()
    for cls in classes:
        with_bases.update(base for base in cls.__mro__ if _is_tmf_subclass(base))
    return with_bases


def _is_tmf_subclass(base: type) -> bool:
    return isinstance(base, type) and issubclass(base, TmfModel) and base is not TmfModel
