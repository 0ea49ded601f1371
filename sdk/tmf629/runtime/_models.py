"""Model helpers: request-body encoding and "partial" response models for attribute selection.

pydantic is imported inside the functions: the clients import this module, and loading
pydantic's model machinery with them would dominate the SDK's import time.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["encode_json_body", "partial_model"]

_ModelT = TypeVar("_ModelT", bound="BaseModel")


def encode_json_body(body: object) -> bytes:
    """Models are dumped by alias with unset attributes left out; anything else is sent as is."""
    import pydantic_core
    from pydantic import BaseModel

    if isinstance(body, BaseModel):
        return pydantic_core.to_json(
            body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        )
    if isinstance(body, Mapping):
        body = dict(body)
    return pydantic_core.to_json(body, by_alias=True)


@functools.cache
def _partial_model(model: type[BaseModel]) -> type[BaseModel]:
    from pydantic import Field, create_model

    overrides: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        # Keep the constraints (``metadata``) on the inner type so requested attributes are
        # still validated exactly as in the full model; only presence becomes optional.
        annotation: Any = info.annotation
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
    return partial


def partial_model(model: type[_ModelT]) -> type[_ModelT]:
    """A cached subclass of ``model`` in which every attribute is optional.

    Used to validate responses to requests with ``fields=...``: attributes that were not
    selected are simply absent (not in ``model_fields_set``) instead of failing validation.
    """
    return cast("type[_ModelT]", _partial_model(model))
