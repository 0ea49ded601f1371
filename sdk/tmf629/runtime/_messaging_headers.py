"""Base of the generated message header models (pydantic: loaded with the command client).

On the wire every header value is a string: ``Parameters`` is the JSON text of an object and
integers are decimal. :meth:`MessageHeaders.from_wire` reads such a mapping (other headers a
broker adds are ignored), :meth:`MessageHeaders.to_wire` writes one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict

__all__ = ["MessageHeaders", "MessageParameters", "json_text"]


def _json_text(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError("expected the JSON text of an object") from None
    return value


json_text = BeforeValidator(_json_text)
"""``Annotated[Model, json_text]``: the field also accepts the JSON text of the value."""


class MessageParameters(BaseModel):
    """The members of a ``Parameters`` header."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class MessageHeaders(BaseModel):
    """Typed headers of one message of the AsyncAPI document."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    @classmethod
    def from_wire(cls, headers: Mapping[str, Any]) -> Self:
        return cls.model_validate(dict(headers))

    def to_wire(self) -> dict[str, str]:
        wire: dict[str, str] = {}
        for name, value in self.model_dump(by_alias=True, exclude_none=True, mode="json").items():
            text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            wire[name] = text
        return wire
