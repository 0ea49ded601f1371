"""Request-side helpers the fuzzing session showed were missing: ``format: uri`` checking and the
``Allow`` header of 405 answers.

* jsonschema checks ``format: uri`` only when the optional ``rfc3987``/``rfc3986-validator``
  packages are installed; without them every string passed. :data:`FORMAT_CHECKER` is the Draft 4
  checker plus an RFC 3986 absolute-URI check (stdlib only) when none is available.
* Starlette's 405 lists only the methods of the first route matching the path;
  :class:`AllowedMethods` answers the methods the spec documents for the path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft4Validator, FormatChecker

__all__ = ["FORMAT_CHECKER", "AllowedMethods", "is_uri"]

_UNRESERVED = r"[A-Za-z0-9\-._~]"
_PCT = r"%[0-9A-Fa-f]{2}"
_SUB_DELIMS = r"[!$&'()*+,;=]"
_PCHAR = rf"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|[:@])"
_USERINFO = rf"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|:)*"
_HOST = rf"(?:\[[0-9A-Fa-f:.vV]+\]|(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS})*)"
_AUTHORITY = rf"(?:{_USERINFO}@)?{_HOST}(?::[0-9]*)?"
_HIER = rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
_TAIL = rf"(?:{_PCHAR}|[/?])*"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:{_HIER}(?:\?{_TAIL})?(?:#{_TAIL})?")


def is_uri(value: object) -> bool:
    """RFC 3986 ``URI`` (absolute, fragment allowed); non-strings are not this format's business."""
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checkers = dict(Draft4Validator.FORMAT_CHECKER.checkers)
if "uri" not in FORMAT_CHECKER.checkers:
    FORMAT_CHECKER.checks("uri")(is_uri)

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class AllowedMethods:
    """The methods documented for each path of the spec, matched against request paths."""

    def __init__(self, paths: Mapping[str, Any], base_path: str) -> None:
        self._routes: list[tuple[re.Pattern[str], str]] = []
        for template, item in paths.items():
            if not isinstance(item, Mapping):
                continue
            methods = [method.upper() for method in _METHODS if method in item]
            parts = re.split(r"(\{[^/{}]+\})", base_path + template)
            pattern = "".join(
                "[^/]+" if part.startswith("{") else re.escape(part) for part in parts
            )
            self._routes.append((re.compile(pattern + "/?"), ", ".join(methods)))

    def for_path(self, path: str) -> str | None:
        for pattern, methods in self._routes:
            if pattern.fullmatch(path):
                return methods
        return None
