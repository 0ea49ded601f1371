"""Reusable assertions on TMF629 v5 representations (profile tables, v5 Error schema)."""

from __future__ import annotations

from typing import Any

# Profile, "Customer Resource Mandatory Attributes": attribute -> mandatory sub-attributes when
# the (optional) parent is present. `topicRef` is ignored (DECISIONS.md (c)).
CUSTOMER_MANDATORY = ("@type", "id", "href", "name")
SUB_MANDATORY: dict[str, tuple[str, ...]] = {
    "account": ("@type", "id"),
    "agreement": ("@type", "id"),
    "contactMedium": ("@type",),
    "creditProfile": ("@type", "id"),
    "engagedParty": ("@type",),
    "paymentMethod": ("@type", "id"),
    "relatedParty": ("@type", "role"),
}
ALWAYS_RETURNED = ("@type", "id", "href")


def blank(value: Any) -> bool:
    """Profile, General Notes: mandatory means present and "not blank or null"."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, dict | list) and not value


def missing_mandatory(
    customer: Any, *, top_level: tuple[str, ...] = CUSTOMER_MANDATORY
) -> list[str]:
    """Mandatory attributes (top level and of present sub-resources) that are absent or blank."""
    if not isinstance(customer, dict):
        return ["the representation is not a JSON object"]
    problems = [f"'{name}' is missing or blank" for name in top_level if blank(customer.get(name))]
    for parent, names in SUB_MANDATORY.items():
        if parent not in customer:
            continue
        value = customer[parent]
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{parent}[{index}]" if isinstance(value, list) else parent
            if not isinstance(item, dict):
                problems.append(f"'{where}' is not an object")
                continue
            problems += [f"'{where}.{n}' is missing or blank" for n in names if blank(item.get(n))]
    return problems


def error_problems(body: Any, status: int) -> list[str]:
    """Deviations from the v5 Error schema (``code`` and ``reason`` required; ``@type`` required
    by ``Extensible``; ``status``, when present, is the HTTP status as a string)."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object (TMF Error expected)"]
    problems = [
        f"'{name}' is missing or not a non-blank string"
        for name in ("code", "reason", "@type")
        if not isinstance(body.get(name), str) or blank(body.get(name))
    ]
    if "status" in body and str(body["status"]) != str(status):
        problems.append(f"'status' is {body['status']!r}, the HTTP status is {status}")
    if "message" in body and not isinstance(body["message"], str):
        problems.append("'message' is not a string")
    return problems


def json_or_none(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
