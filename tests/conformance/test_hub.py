"""Notification hub: register (create), retrieve and unregister (delete) a listener."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.rules import Rule, ensure

Register = Callable[[dict[str, Any]], httpx.Response]


def _callback() -> str:
    # Never contacted during these tests (no resource is created while the hub exists), and on
    # the discard port anyway.
    return f"http://127.0.0.1:9/conformance-{uuid.uuid4().hex[:8]}"


def test_register_listener_answers_201(hubs: Register, rule: Rule) -> None:
    """POST /hub with a callback answers 201 with the subscription (id, the callback) and a
    Location header addressing /hub/{id}.

    Source: R17, API Notifications - Register listener (sample: 201, Location: /api/hub/42,
    body {"id", "callback", "query"}); DECISIONS.md (f) (201, not the prose's 204).
    """
    callback = _callback()
    response = hubs({"callback": callback})
    ensure(response.status_code == 201, rule, "expected 201 Created", response)
    body = json_or_none(response) or {}
    ensure(body.get("id"), rule, "the subscription has no id", response)
    ensure(body.get("callback") == callback, rule, "the callback is not the one sent", response)
    location = response.headers.get("location", "")
    ensure(
        urlsplit(location).path.endswith(f"/hub/{body.get('id')}"),
        rule,
        f"Location {location!r} does not address /hub/{body.get('id')}",
        response,
    )


def test_retrieve_listener(http: httpx.Client, hubs: Register, rule: Rule) -> None:
    """GET /hub/{id} of a registered listener answers 200 with its id and callback.

    Source: spec, retrieveHub (added to R17's hub operations, DECISIONS.md, Hub paths).
    """
    callback = _callback()
    created = hubs({"callback": callback})
    ensure(created.status_code == 201, rule, "registering did not answer 201", created)
    ident = created.json()["id"]
    response = http.get(f"/hub/{ident}")
    ensure(response.status_code == 200, rule, "expected 200", response)
    body = response.json()
    ensure(
        body.get("id") == ident and body.get("callback") == callback,
        rule,
        "the retrieved subscription differs from the registered one",
        created,
        response,
    )


def test_unregister_listener(http: httpx.Client, hubs: Register, rule: Rule) -> None:
    """DELETE /hub/{id} answers 204; the hub is then not found (GET and DELETE answer 404 with
    a TMF Error body).

    Source: R17, API Notifications - Unregister listener ("204 if the request was successful",
    "404 if the resource is not found"); spec, Error schema.
    """
    created = hubs({"callback": _callback()})
    ensure(created.status_code == 201, rule, "registering did not answer 201", created)
    ident = created.json()["id"]
    response = http.delete(f"/hub/{ident}")
    ensure(response.status_code == 204, rule, "expected 204", response)
    for again in (http.get(f"/hub/{ident}"), http.delete(f"/hub/{ident}")):
        ensure(again.status_code == 404, rule, "the unregistered hub is still found", again)
        problems = error_problems(json_or_none(again), 404)
        ensure(not problems, rule, "; ".join(problems), again)


def test_register_requires_a_callback(hubs: Register, rule: Rule) -> None:
    """POST /hub without a callback answers 400 with a TMF Error body.

    Source: R17, API Notifications - Register listener (the callback is the communication
    endpoint); spec, EventSubscriptionInput (callback required).
    """
    response = hubs({"query": "eventType=CustomerCreateEvent"})
    ensure(response.status_code == 400, rule, "expected 400", response)
    problems = error_problems(json_or_none(response), 400)
    ensure(not problems, rule, "; ".join(problems), response)
