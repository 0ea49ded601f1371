"""The runtime's model helpers on the real generated TMF629 models."""

from __future__ import annotations

import json
import warnings

from tmf629 import models
from tmf629.runtime import partial_model
from tmf629.runtime._models import encode_json_body


def test_partial_model_keeps_aliases_of_forward_referenced_fields() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        partial = partial_model(models.Customer)
    parsed = partial.model_validate(
        {
            "@type": "Customer",
            "id": "1",
            "engagedParty": {"@type": "PartyRef", "id": "2"},
            "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
        }
    )
    assert parsed.model_fields_set == {"at_type", "id", "engaged_party", "valid_for"}
    assert isinstance(parsed.engaged_party, models.PartyRef)
    assert parsed.valid_for is not None
    assert parsed.valid_for.start_date_time is not None
    assert parsed.name is None


def test_partial_model_dispatches_on_type_to_the_partial_subclass() -> None:
    parsed = partial_model(models.EntityRef).model_validate({"@type": "PartyRef", "id": "1"})
    assert isinstance(parsed, models.PartyRef)
    assert "name" not in parsed.model_fields_set


def test_models_inside_a_mapping_are_sent_without_unset_attributes() -> None:
    body = {
        "engagedParty": models.PartyRefFVO(at_type="PartyRef", id="1"),
        "characteristic": [models.CharacteristicMVO(name="tier")],
        "statusReason": None,
    }
    assert json.loads(encode_json_body(body)) == {
        "engagedParty": {"@type": "PartyRef", "id": "1"},
        "characteristic": [{"name": "tier"}],
        "statusReason": None,
    }
