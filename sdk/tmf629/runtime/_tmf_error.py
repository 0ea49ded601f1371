"""The TMF ``Error`` body model, apart from the exceptions so that importing those (and the
clients, which raise them) does not load pydantic's model machinery."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TmfError"]


class TmfError(BaseModel):
    """The TMF ``Error`` body. Every field is optional: servers are lenient about it too."""

    # The validator is built on the first error response, not when this module is imported.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    code: str | None = None
    reason: str | None = None
    message: str | None = None
    status: str | None = None
    reference_error: str | None = Field(default=None, alias="referenceError")
    field_type: str | None = Field(default=None, alias="@type")
    base_type: str | None = Field(default=None, alias="@baseType")
    schema_location: str | None = Field(default=None, alias="@schemaLocation")
