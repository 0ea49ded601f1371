"""TMF ``Error`` bodies, and the conversion of every failure into one.

Every 4xx/5xx answer of the server carries the TMF Error schema: ``code``, ``reason``,
``message``, ``status`` (a string), ``@type: Error`` and optionally ``referenceError``.
Connexion's own problem+json errors (validation, media type, routing) are converted here, keeping
the offending field and the validator's reason in ``message``.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from starlette.responses import Response

from tmf629_mock.jsonbody import encode_json

__all__ = [
    "BodyTooLarge",
    "TmfError",
    "bad_request",
    "error_body",
    "error_response",
    "not_found",
]

logger = logging.getLogger(__name__)

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


class TmfError(Exception):
    """An error answered with a TMF Error body."""

    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        reason: str | None = None,
        code: str | None = None,
        reference_error: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or reason or str(status))
        self.status = status
        self.message = message
        self.reason = reason or _REASONS.get(status, "Error")
        self.code = code or str(status)
        self.reference_error = reference_error
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(
            self.status,
            self.message,
            reason=self.reason,
            code=self.code,
            reference_error=self.reference_error,
        )

    def __repr__(self) -> str:
        return f"TmfError({self.status}, {self.message!r})"


class BodyTooLarge(TmfError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body exceeds the limit of {limit} bytes")


def bad_request(message: str, *, reason: str = "Bad Request") -> TmfError:
    return TmfError(400, message, reason=reason)


def not_found(what: str, ident: str) -> TmfError:
    return TmfError(404, f"{what} with id {ident!r} not found", reason="Not Found")


def error_body(
    status: int,
    message: str = "",
    *,
    reason: str | None = None,
    code: str | None = None,
    reference_error: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "@type": "Error",
        "code": code or str(status),
        "reason": reason or _REASONS.get(status, "Error"),
        "message": message or reason or _REASONS.get(status, "Error"),
        "status": str(status),
    }
    if reference_error:
        body["referenceError"] = reference_error
    return body


def error_response(error: TmfError) -> Response:
    return Response(
        content=encode_json(error.body()),
        status_code=error.status,
        media_type="application/json",
        headers=error.headers,
    )


_FIELD_RE = re.compile(r" - '(?P<path>[^']*)'$")
_REQUIRED_RE = re.compile(r"^'(?P<name>[^']+)' is a required property")


def from_problem(status: int, title: str | None, detail: Any) -> TmfError:
    """Turn a Connexion problem (status, title, detail) into a :class:`TmfError`.

    For body validation errors Connexion's detail reads ``<reason> - '<field.path>'``; the field
    is kept in the message (and a required-property error names the missing attribute).
    """
    text = detail if isinstance(detail, str) else (json.dumps(detail) if detail else "")
    text = text.split("\n\n")[0].strip()  # drop jsonschema's multi-line schema dump
    reason = title or _REASONS.get(status, "Error")
    if status == 400:
        field_match = _FIELD_RE.search(text)
        required = _REQUIRED_RE.match(text)
        if required:
            reason = "Missing mandatory attribute"
            where = f" in '{field_match.group('path')}'" if field_match else ""
            text = f"Missing mandatory attribute '{required.group('name')}'{where}: {text}"
        elif field_match:
            reason = "Invalid attribute value"
            text = f"Invalid value for '{field_match.group('path')}': {text}"
        elif "JSON" in text or "Expecting" in text or "delimiter" in text:
            reason = "Malformed JSON body"
        else:
            reason = "Invalid request"
    return TmfError(status, text, reason=reason)
