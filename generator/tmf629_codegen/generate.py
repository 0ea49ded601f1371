"""The whole pipeline: spec files in, the generated package's files (path -> text) out."""

from __future__ import annotations

from pathlib import Path

from .build import build_api
from .formatting import format_python
from .ir import Api
from .loader import load_asyncapi, load_openapi
from .models import render_models
from .render import header, render_template
from .surface import command_surface

__all__ = ["generate_package"]

# Generated modules, rendered from templates of the same name plus ``.jinja``.
_TEMPLATED = ("__init__.py", "_client.py", "_metadata.py", "_resources.py")
_COMMANDS = ("_commands.py",)


def generate_package(
    openapi: Path, asyncapi: Path | None = None, package: str | None = None
) -> tuple[Api, dict[str, str]]:
    """The intermediate model and every generated file, relative to the package directory."""
    document = load_openapi(openapi)
    async_document = load_asyncapi(asyncapi) if asyncapi is not None else None
    api = build_api(document, async_document, package)
    python_header = header(api)
    sources = {"models.py": render_models(document)}
    # The command client only for an AsyncAPI document with command channels.
    templated = _TEMPLATED + (_COMMANDS if command_surface(api) else ())
    sources.update({name: render_template(name + ".jinja", api) for name in templated})
    files = {
        name: format_python(python_header + "\n" + source, name) for name, source in sources.items()
    }
    files["py.typed"] = ""
    # The API reference, regenerated (and drift-checked) with the code: <package>/api.md.
    files["api.md"] = header(api, "<!--") + "\n" + render_template("api.md.jinja", api)
    return api, dict(sorted(files.items()))
