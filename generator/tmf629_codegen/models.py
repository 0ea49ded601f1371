"""Pydantic v2 models through datamodel-code-generator's Python API.

datamodel-code-generator cannot express TMF's ``@type`` discriminators on allOf hierarchies
(pydantic's discriminated unions need a distinct ``Literal`` per member, and a subclass cannot
narrow its base's literal), so the discriminators are taken out before it runs and registered
with :mod:`tmf629.modeling` afterwards, which dispatches on ``@type`` at validation time.
"""

from __future__ import annotations

import copy
import keyword
import re
from typing import Any

import yaml

from .errors import SpecError
from .loader import Document
from .schemas import SchemaIndex, ref_name

__all__ = ["class_name", "render_models"]

_BASE_CLASS = "tmf629.modeling.TmfModel"
_REGISTER_IMPORT = "from tmf629.modeling import register_discriminators\n"


def class_name(schema: str) -> str:
    """``Customer_FVO`` -> ``CustomerFVO``; the Python class of a component schema."""
    pieces = [p for p in re.split(r"[^0-9a-zA-Z]+", schema) if p]
    name = "".join(p[:1].upper() + p[1:] for p in pieces) or "Model"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = "Model" + name
    return name


def render_models(document: Document) -> str:
    """Source of the models module (without header), unformatted."""
    from datamodel_code_generator import Error

    index = SchemaIndex(document)
    spec, owners, unions = _without_discriminators(document.data, index)
    names = {schema: class_name(schema) for schema in index.schemas}
    try:
        source = _generate(spec)
    except Error as error:
        message = str(error).splitlines()[0]
        raise SpecError(document.path, "", f"datamodel-code-generator: {message}") from None
    registered = {names[name] for name in [*owners, *unions.values()]}
    missing = sorted(registered - set(re.findall(r"^class (\w+)\(", source, re.MULTILINE)))
    if missing:
        raise SpecError(document.path, "/components/schemas", f"no class generated for {missing}")
    # Our own header replaces datamodel-code-generator's comment lines.
    source = re.sub(r"\A(#[^\n]*\n)+\n*", "", source)
    future = "from __future__ import annotations\n"
    source = source.replace(future, future + _REGISTER_IMPORT, 1)
    registration = _registration(names, owners, unions)
    return _mypy_pragma(index) + source.rstrip() + "\n\n" + registration


def _generate(spec: dict[str, Any]) -> str:
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import AllOfClassHierarchy, DataModelType, OpenAPIScope
    from datamodel_code_generator.format import DatetimeClassType

    source = generate(
        yaml.safe_dump(spec, sort_keys=False),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        openapi_scopes=[OpenAPIScope.Schemas],
        base_class=_BASE_CLASS,
        allof_class_hierarchy=AllOfClassHierarchy.Always,
        use_annotated=True,
        field_constraints=True,
        snake_case_field=True,
        special_field_name_prefix="at",
        allow_population_by_field_name=True,
        use_schema_description=True,
        use_field_description=True,
        use_double_quotes=True,
        disable_timestamp=True,
        keep_model_order=True,
        capitalise_enum_members=True,
        use_serialize_as_any=True,
        output_datetime_class=DatetimeClassType.Datetime,
        # Kept as the strings they are on the wire: no normalisation, no optional dependency.
        type_mappings=[
            "string+uri=string",
            "string+uri-reference=string",
            "string+base64=string",
            "string+email=string",
            "string+idn-email=string",
        ],
        formatters=[],
    )
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator produced several modules")
    return source


def _without_discriminators(
    data: dict[str, Any], index: SchemaIndex
) -> tuple[dict[str, Any], dict[str, dict[str, str]], dict[str, str]]:
    """A copy of the spec without discriminators, and the mappings that were taken out."""
    spec = copy.deepcopy(data)
    schemas: dict[str, Any] = (spec.get("components") or {}).get("schemas") or {}
    owners: dict[str, dict[str, str]] = {}
    unions: dict[str, str] = {}
    for name, schema in schemas.items():
        if not isinstance(schema, dict) or "discriminator" not in schema:
            continue
        mapping = index.discriminator_mapping(name)
        del schema["discriminator"]
        if "oneOf" in schema or "anyOf" in schema:
            members: list[Any] = schema.get("oneOf") or schema.get("anyOf") or []
            present = {ref_name(m) for m in members}
            for target in mapping.values():
                # TMF maps tags to schemas that are not listed among the members.
                if target not in present and target in schemas:
                    members.append({"$ref": f"#/components/schemas/{target}"})
                    present.add(target)
            unions.update(mapping)
        else:
            owners[name] = mapping
    return spec, owners, unions


def _mypy_pragma(index: SchemaIndex) -> str:
    """TMF redefines some properties with another type in subclasses (``Event.event``)."""
    for name in index.schemas:
        schema = index.get(name)
        own = dict(schema.get("properties") or {})
        for member in schema.get("allOf") or []:
            if isinstance(member, dict) and "$ref" not in member:
                own.update(member.get("properties") or {})
        for base in index.bases(name):
            inherited = index.properties(base)
            if any(key in inherited and inherited[key] != value for key, value in own.items()):
                return (
                    "# Subclasses redefine inherited properties with other types, as the spec"
                    " does.\n"
                    '# mypy: disable-error-code="assignment"\n'
                )
    return ""


def _registration(
    names: dict[str, str], owners: dict[str, dict[str, str]], unions: dict[str, str]
) -> str:
    def literal(mapping: dict[str, str]) -> str:
        items = ", ".join(
            f"{tag!r}: {names[target]}" for tag, target in mapping.items() if target in names
        )
        return "{" + items + "}"

    lines = ["register_discriminators(", "    __name__,", "    {"]
    lines += [f"        {names[owner]}: {literal(mapping)}," for owner, mapping in owners.items()]
    lines += ["    },"]
    if unions:
        lines += [f"    {literal(unions)},"]
    lines += [")"]
    return "\n".join(lines) + "\n"
