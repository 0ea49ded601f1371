"""Request bodies used by the conformance suite (TMF629 v5, spec examples shortened)."""

from __future__ import annotations

import copy
from typing import Any

MANDATORY_ON_CREATE = ("@type", "name", "engagedParty")
NON_PATCHABLE = ("id", "href", "@type")
PATCHABLE = (
    "account",
    "agreement",
    "contactMedium",
    "creditProfile",
    "engagedParty",
    "name",
    "paymentMethod",
    "relatedParty",
    "status",
    "statusReason",
    "validFor",
)

PERIOD = {"startDateTime": "2024-01-01T00:00:00Z", "endDateTime": "2030-12-31T00:00:00Z"}

SUB_RESOURCES: dict[str, Any] = {
    "account": [{"@type": "AccountRef", "id": "4600", "name": "Paradise Account"}],
    "agreement": [{"@type": "AgreementRef", "id": "1632", "name": "Winter Contract"}],
    "contactMedium": [
        {
            "@type": "ContactMedium",
            "preferred": True,
            "type": "EmailAddress",
            "characteristic": {
                "@type": "MediumCharacteristic",
                "emailAddress": "contact@example.com",
            },
        }
    ],
    "creditProfile": [
        {
            "@type": "CreditProfile",
            "creditProfileDate": "2024-03-27T00:00:00Z",
            "creditRiskRating": 3,
            "creditScore": 700,
            "validFor": PERIOD,
        }
    ],
    "engagedParty": {"@type": "PartyRef", "id": "6610", "name": "Booking Corporation"},
    "paymentMethod": [{"@type": "PaymentMethodRef", "id": "8157", "name": "professional"}],
    "relatedParty": [
        {"@type": "RelatedPartyRef", "id": "4804", "name": "John Doe", "role": "bill responsible"}
    ],
    "characteristic": [{"@type": "Characteristic", "name": "clubColour", "value": "pink"}],
}

# Values for patching each patchable attribute (different from the full customer's).
PATCH_VALUES: dict[str, Any] = {
    "account": [{"@type": "AccountRef", "id": "4601", "name": "Second Account"}],
    "agreement": [{"@type": "AgreementRef", "id": "1633", "name": "Summer Contract"}],
    "contactMedium": [
        {
            "@type": "ContactMedium",
            "preferred": False,
            "type": "TelephoneNumber",
            "characteristic": {"@type": "MediumCharacteristic", "phoneNumber": "+33 1 23 45"},
        }
    ],
    "creditProfile": [
        {
            "@type": "CreditProfile",
            "creditProfileDate": "2025-01-01T00:00:00Z",
            "creditRiskRating": 1,
            "creditScore": 810,
            "validFor": PERIOD,
        }
    ],
    "engagedParty": {"@type": "PartyRef", "id": "6611", "name": "Another Corporation"},
    "name": None,  # filled with a fresh unique name by the test
    "paymentMethod": [{"@type": "PaymentMethodRef", "id": "8158", "name": "private"}],
    "relatedParty": [
        {"@type": "RelatedPartyRef", "id": "4805", "name": "Jane Roe", "role": "contact"}
    ],
    "status": "Suspended",
    "statusReason": "Unpaid invoices",
    "validFor": {"startDateTime": "2025-01-01T00:00:00Z", "endDateTime": "2026-01-01T00:00:00Z"},
}


def minimal_customer(name: str, **overrides: Any) -> dict[str, Any]:
    """The profile's mandatory-on-create attributes (plus ``overrides``)."""
    body: dict[str, Any] = {
        "@type": "Customer",
        "name": name,
        "engagedParty": {"@type": "PartyRef", "id": "6610"},
    }
    body.update(copy.deepcopy(overrides))
    return body


def full_customer(name: str) -> dict[str, Any]:
    """Every sub-resource of the profile's mandatory-attribute table present."""
    return minimal_customer(
        name, status="Active", statusReason="Onboarded", validFor=PERIOD, **SUB_RESOURCES
    )
