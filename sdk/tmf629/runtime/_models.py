"""Model helpers: request-body encoding and "partial" response models for attribute selection.

pydantic is imported inside the functions: the clients import this module, and loading
pydantic's model machinery with them would dominate the SDK's import time.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["encode_json_body", "partial_model"]

_ModelT = TypeVar("_ModelT", bound="BaseModel")


def encode_json_body(body: object) -> bytes:
    """Models, also inside mappings and lists, are dumped by alias with unset attributes left
    out (an explicit ``None`` stays: in a merge patch it removes the attribute)."""
    import pydantic_core

    return pydantic_core.to_json(_plain(body))


def _plain(value: object) -> object:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


@functools.cache
def _partial_model(model: type[BaseModel]) -> type[BaseModel]:
    from pydantic import Field, create_model

    # Field annotations naming classes defined later in the module stay forward references
    # in ``model_fields``; the type hints resolve them.
    hints = typing.get_type_hints(model, include_extras=True)
    overrides: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        # Keep the constraints (``metadata``) on the inner type so requested attributes are
        # still validated exactly as in the full model; only presence becomes optional.
        annotation, declared = _split_field_info(hints.get(name, info.annotation))
        info = declared if declared is not None and info.alias is None else info
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        overrides[name] = (
            annotation | None,
            Field(
                default=None,
                alias=info.alias,
                validation_alias=info.validation_alias,
                serialization_alias=info.serialization_alias,
                description=info.description,
            ),
        )
    partial: type[BaseModel] = create_model(
        f"Partial{model.__name__}",
        __base__=model,
        __module__=model.__module__,
        **overrides,
    )
    if hasattr(model, "_tmf_partial_of"):
        # Lets ``@type`` dispatch pick the partial twin of the subclass the tag names.
        partial._tmf_partial_of = model  # type: ignore[attr-defined]
    return partial


def _split_field_info(annotation: Any) -> tuple[Any, Any]:
    """(the type without ``Field(...)`` metadata, that ``FieldInfo`` or ``None``).

    A field whose annotation was a forward reference has not had its ``Field(alias=...)``
    merged into ``model_fields`` yet, so the alias is taken from the annotation itself.
    """
    from pydantic.fields import FieldInfo

    if typing.get_origin(annotation) is not Annotated:
        return annotation, None
    base, *extras = typing.get_args(annotation)
    declared = next((extra for extra in extras if isinstance(extra, FieldInfo)), None)
    kept = [extra for extra in extras if not isinstance(extra, FieldInfo)]
    return (Annotated[(base, *kept)] if kept else base), declared


def partial_model(model: type[_ModelT]) -> type[_ModelT]:
    """A cached subclass of ``model`` in which every attribute is optional.

    Used to validate responses to requests with ``fields=...``: attributes that were not
    selected are simply absent (not in ``model_fields_set``) instead of failing validation.
    """
    return cast("type[_ModelT]", _partial_model(model))
