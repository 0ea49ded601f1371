"""JSON bodies. Decoding requests: strict UTF-8, no NaN or Infinity, numbers that fit 64 bits,
and nesting too deep for the parser turned into a client error rather than a crash. Encoding
responses, replies and events: one encoder, so every body the server sends is written alike."""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["MalformedBody", "encode_json", "parse_json_body"]

_INT64 = 2**63 - 1


class MalformedBody(ValueError):
    """A body that is not JSON this server accepts; the message says why."""


def _parse_int(text: str) -> int:
    # Bounded before conversion: int() of a huge digit string is itself costly.
    if len(text.lstrip("-")) > 19 or abs(int(text)) > _INT64:
        raise MalformedBody(f"integer out of the 64-bit range: {text[:40]}")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise MalformedBody(f"number out of range: {text[:40]}")
    return value


def _parse_constant(name: str) -> Any:
    raise MalformedBody(f"{name} is not valid JSON")


# orjson is taken only where its answer is the standard library's: UTF-8, no run of 19 digits
# (integers near or past 64 bits, which orjson reads up to 2**64 - 1 and then as floats) and
# nesting far below the standard library's recursion limit (orjson allows 1024 levels). Both
# are read off one translation of the body, digits to "0" and brackets to "[": a regular
# expression looking for the digit run cost four times the parse itself.
_SHAPES = bytes(
    ord("0") if byte in b"0123456789" else ord("[") if byte in b"[{" else ord(" ")
    for byte in range(256)
)
_LONG_DIGITS = b"0" * 19
_FAST_NESTING = 256


def parse_json_body(raw: bytes, encoding: str = "utf-8") -> Any:
    """The decoded body, ``None`` when empty; :class:`MalformedBody` otherwise."""
    if raw and encoding.lower() in ("utf-8", "utf8"):
        shapes = raw.translate(_SHAPES)
        if shapes.count(b"[") <= _FAST_NESTING and _LONG_DIGITS not in shapes:
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError:
                pass  # the standard library says why, or takes what orjson refuses (surrogates)
    return _parse_standard(raw, encoding)


def _parse_standard(raw: bytes, encoding: str) -> Any:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise MalformedBody(f"Malformed JSON body: not {exc.encoding}") from exc
    except LookupError as exc:
        raise MalformedBody(f"Unknown charset {encoding!r}") from exc
    if not text:
        return None
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise MalformedBody(f"Malformed JSON body: {exc}") from exc
    except RecursionError as exc:
        raise MalformedBody("Malformed JSON body: nested too deeply") from exc


def encode_json(value: Any) -> bytes:
    """JSON bytes of ``value``: orjson, or the standard library for what orjson refuses (lone
    surrogates a client escaped into a string, integers beyond 64 bits)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value).encode()
