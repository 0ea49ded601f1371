"""Exception hierarchy; HTTP status codes are mapped to exception classes only here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._tmf_error import TmfError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "make_status_error",
]


class APIError(Exception):
    """Base class of every error raised by the SDK runtime."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request did not produce an HTTP response (DNS, refused connection, reset, ...)."""

    def __init__(self, *, request: httpx.Request, message: str | None = None) -> None:
        super().__init__(
            message or f"Connection error: {request.method} {request.url}", request=request
        )


class APITimeoutError(APIConnectionError):
    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__(
            request=request, message=f"Request timed out: {request.method} {request.url}"
        )


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the expected model."""

    def __init__(self, *, response: httpx.Response, body: object, detail: str) -> None:
        request = response.request
        super().__init__(
            f"{request.method} {request.url} -> {response.status_code}: "
            f"unexpected response body: {detail}",
            request=request,
        )
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx/5xx status."""

    def __init__(self, *, response: httpx.Response, body: object, error: TmfError | None) -> None:
        request = response.request
        message = f"{request.method} {request.url} -> {response.status_code}"
        if error is not None:
            detail = ": ".join(part for part in (error.reason, error.message) if part)
            if detail:
                message = f"{message}: {detail}"
        super().__init__(message, request=request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.error = error


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the exception for an error response; the body must already be read."""
    # Imported here, not with the module: the exceptions (and the clients raising them) should
    # not load pydantic's model machinery before an error body actually needs validating.
    from pydantic import ValidationError

    from ._tmf_error import TmfError

    body = _json_or_none(response)
    error: TmfError | None = None
    if isinstance(body, dict):
        try:
            error = TmfError.model_validate(body)
        except ValidationError:
            error = None
    if response.status_code >= 500:
        cls: type[APIStatusError] = InternalServerError
    else:
        cls = _STATUS_ERRORS.get(response.status_code, APIStatusError)
    return cls(response=response, body=body, error=error)
