"""The committed models of the shipped spec accept every example in specs/ and enforce ``@type``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Union

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from tmf629_codegen.loader import load_asyncapi, load_openapi
from tmf629_codegen.models import class_name
from tmf629_codegen.schemas import ref_name
from tmf629_codegen.validate import Example, iter_examples

SPECS = Path(__file__).parents[2] / "specs"
OPENAPI = SPECS / "tmf629-customer-management.openapi.yaml"
ASYNCAPI = SPECS / "tmf629-customer-management.asyncapi.yaml"


DOCUMENTS = [load_openapi(OPENAPI), load_asyncapi(ASYNCAPI)]


def _examples() -> list[Example]:
    return [example for document in DOCUMENTS for example in iter_examples(document)]


def _python_type(node: Any) -> Any:
    """The generated type that stands for a schema node (a component, a union, an array)."""
    from tmf629 import models

    name = ref_name(node)
    if name is not None:
        return getattr(models, class_name(name))
    members = node.get("oneOf") or node.get("anyOf")
    if members:
        return Union[tuple(_python_type(member) for member in members)]  # noqa: UP007
    if node.get("type") == "array":
        return list[_python_type(node["items"])]  # type: ignore[misc]
    if node.get("type") == "null":
        return type(None)
    raise AssertionError(f"no generated type for {node}")


def _model_for(example: Example) -> Any:
    file_uri, _, fragment = example.schema_uri.partition("#")
    document = next(d for d in DOCUMENTS if d.path.as_uri() == file_uri)
    _, _, node = document.resolve(f"#{fragment}")
    if fragment.startswith("/components/schemas/"):
        node = {"$ref": f"#{fragment}"}
    return _python_type(node)


EXAMPLES = _examples()


def test_there_are_examples_to_check() -> None:
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.document.name}{e.location}")
def test_model_accepts_example(example: Example) -> None:
    model = _model_for(example)
    TypeAdapter(model).validate_python(example.value)


def _customer_example() -> dict[str, Any]:
    for example in EXAMPLES:
        if example.schema_uri.endswith("/components/schemas/Customer") and isinstance(
            example.value, dict
        ):
            return copy.deepcopy(example.value)
    raise AssertionError("no Customer example in the spec")


def test_wrong_type_is_rejected() -> None:
    from tmf629 import models

    customer = _customer_example()
    customer["@type"] = "Gadget"
    with pytest.raises(ValidationError, match="'@type' 'Gadget' is not one of"):
        models.Customer.model_validate(customer)


def test_wrong_type_in_a_nested_reference_is_rejected() -> None:
    from tmf629 import models

    customer = _customer_example()
    customer["engagedParty"] = {"@type": "Gadget", "id": "1"}
    with pytest.raises(ValidationError):
        models.Customer.model_validate(customer)


def test_round_trip_keeps_aliases_and_extensions() -> None:
    from tmf629 import models

    customer = _customer_example()
    customer["x-extension"] = {"kept": True}
    parsed: BaseModel = models.Customer.model_validate(customer)
    dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped["@type"] == customer["@type"]
    assert dumped["x-extension"] == {"kept": True}
    assert dumped["name"] == customer["name"]


def test_explicit_null_is_distinct_from_unset() -> None:
    from tmf629 import models

    patch = models.CustomerMVO.model_validate({"@type": "Customer", "statusReason": None})
    dumped = patch.model_dump(by_alias=True, exclude_unset=True)
    assert dumped == {"@type": "Customer", "statusReason": None}
