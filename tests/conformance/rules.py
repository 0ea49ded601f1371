"""Conformance rules, the HTTP exchanges that test them, and failure messages naming both.

A failure message says which rule is broken (with its source: a section of the v5 conformance
profile, of the R17 REST specification, or of ``specs/DECISIONS.md``), what was sent, what came
back, and what is wrong with it::

    RULE mandatory-response-attributes: ... [Profile, Customer Resource Mandatory Attributes]
    sent:     GET http://host/tmf-api/customerManagement/v5/customer/42
    received: 200 {"id": "42", "@type": "Customer"}
    problem:  'name' is missing
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Rule", "describe", "ensure", "violation"]

MAX_BODY = 600


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.id}: {self.text} [{self.source}]"


def _body(content: bytes | str | None, *, limit: int = MAX_BODY) -> str:
    if not content:
        return "(no body)"
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def describe(response: httpx.Response) -> str:
    """``sent: ...`` and ``received: ...`` lines for an exchange."""
    request = response.request
    sent = f"{request.method} {request.url}"
    media_type = request.headers.get("content-type")
    if request.content:
        sent += f" ({media_type}) {_body(request.content)}"
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() in ("location", "x-total-count", "x-result-count", "content-type")
    }
    received = f"{response.status_code} {headers or ''} {_body(response.content)}".replace(
        "  ", " "
    )
    return f"sent:     {sent}\nreceived: {received}"


def violation(rule: Rule, problem: str, *responses: httpx.Response) -> str:
    exchanges = "\n".join(describe(response) for response in responses)
    return f"RULE {rule}\n{exchanges}\nproblem:  {problem}"


def ensure(condition: Any, rule: Rule, problem: str, *responses: httpx.Response) -> None:
    """Fail with :func:`violation` unless ``condition`` holds."""
    if not condition:
        raise AssertionError(violation(rule, problem, *responses))
