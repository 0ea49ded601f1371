"""Rendering the intermediate model into files: one Jinja environment, templates see only the IR."""

from __future__ import annotations

import pprint
from functools import cache

import jinja2

from .ir import Api, api_to_dict
from .models import class_name
from .output import GENERATED_MARKER
from .surface import command_surface, sdk_surface

__all__ = ["header", "render_template"]


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("tmf629_codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["class_name"] = class_name
    environment.filters["pyrepr"] = repr
    environment.filters["pformat"] = lambda value: pprint.pformat(
        value, width=100, sort_dicts=False
    )
    environment.filters["docstring"] = _docstring
    return environment


def _docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring."""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def header(api: Api, comment: str = "#") -> str:
    lines = [f"{GENERATED_MARKER} from {api.spec_file}", f"  sha256 {api.spec_sha256}"]
    if api.asyncapi_file:
        lines += [f"and {api.asyncapi_file}", f"  sha256 {api.asyncapi_sha256}"]
    lines += [
        "Generated code: do not edit. Change the spec, the templates or the generator,",
        "then regenerate.",
    ]
    if comment == "<!--":
        return "<!--\n" + "\n".join(lines) + "\n-->\n"
    return "".join(f"{comment} {line}\n" for line in lines)


def render_template(name: str, api: Api) -> str:
    template = _environment().get_template(name)
    return template.render(
        api=api, surface=sdk_surface(api), commands=command_surface(api), metadata=api_to_dict(api)
    )
