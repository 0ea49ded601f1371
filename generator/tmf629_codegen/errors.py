"""The one error the generator reports: what is wrong, in which file, at which JSON pointer."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SpecError", "pointer"]


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path segments."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join("/" + part for part in escaped)


class SpecError(Exception):
    """A spec the generator cannot use; printed as one line, exit status 2."""

    def __init__(self, file: Path | str, json_pointer: str, message: str) -> None:
        self.file = str(file)
        self.pointer = json_pointer
        self.message = " ".join(message.split())
        super().__init__(f"{self.file}#{self.pointer or '/'}: {self.message}")
