"""Generic notification hub rules: register, retrieve and unregister a listener."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conformance.checks import error_problems, json_or_none
from tests.conformance.generic.model import ApiSpec
from tests.conformance.rules import Rule, ensure

Register = Callable[[dict[str, Any]], httpx.Response]


def _subscription(spec: ApiSpec) -> tuple[str, dict[str, Any]]:
    """The hub path and a body: the spec's example with a callback that is never contacted
    (the discard port; no resource is created while the hub exists)."""
    hub = spec.api.hub_path
    operation = next((o for o in spec.api.operations if o.kind == "hub_create"), None)
    if hub is None or operation is None:
        pytest.skip("the API has no notification hub")
    examples = [e for e in spec.request_examples(operation.operation_id) if isinstance(e, dict)]
    body = dict(examples[0]) if examples else {}
    body["callback"] = f"http://127.0.0.1:9/conformance-{uuid.uuid4().hex[:8]}"
    return hub, body


def test_hub_create_retrieve_delete(http: httpx.Client, spec: ApiSpec, rule: Rule) -> None:
    """POST to the hub with a callback answers 201 with the subscription (id, callback) and a
    Location addressing it; GET of it answers 200 with the same (when the spec offers
    retrieve); DELETE answers 204, after which it is not found (404 with a TMF Error body).

    Source: TMF630 REST Design Guidelines, Part 2, notifications (register and unregister a
    listener); spec, hub operations and EventSubscriptionInput.
    """
    hub, body = _subscription(spec)
    kinds = {o.kind for o in spec.api.operations}
    created = http.post(hub, json=body)
    ident = str((json_or_none(created) or {}).get("id", ""))
    try:
        ensure(created.status_code == 201, rule, "expected 201 Created", created)
        ensure(ident, rule, "the subscription has no id", created)
        ensure(
            (json_or_none(created) or {}).get("callback") == body["callback"],
            rule,
            "the callback is not the one sent",
            created,
        )
        location = created.headers.get("location", "")
        ensure(
            urlsplit(location).path.endswith(f"{hub}/{ident}"),
            rule,
            f"Location {location!r} does not address {hub}/{ident}",
            created,
        )
        if "hub_retrieve" in kinds:
            retrieved = http.get(f"{hub}/{ident}")
            ensure(retrieved.status_code == 200, rule, "expected 200", retrieved)
            got = json_or_none(retrieved) or {}
            ensure(
                got.get("id") == ident and got.get("callback") == body["callback"],
                rule,
                "the retrieved subscription differs from the registered one",
                created,
                retrieved,
            )
        if "hub_delete" not in kinds:
            return
        deleted = http.delete(f"{hub}/{ident}")
        ensure(deleted.status_code == 204, rule, "expected 204", deleted)
        again = (
            http.get(f"{hub}/{ident}") if "hub_retrieve" in kinds else http.delete(f"{hub}/{ident}")
        )
        ensure(again.status_code == 404, rule, "the unregistered hub is still found", again)
        problems = error_problems(json_or_none(again), 404)
        ensure(not problems, rule, "; ".join(problems), again)
    finally:
        if ident:
            http.delete(f"{hub}/{ident}")
