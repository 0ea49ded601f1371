"""ruff, run the same way wherever the output goes, so the bytes never depend on the location."""

from __future__ import annotations

import subprocess
import textwrap

__all__ = ["format_python"]

_WIDTH = 100
# The runtime is first-party to generated code, as it is inside this repository.
_SETTINGS = (
    "--isolated",
    "--config",
    f"line-length={_WIDTH}",
    "--config",
    "target-version='py311'",
    "--config",
    "lint.isort.known-first-party=['tmf629']",
)


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def format_python(source: str, filename: str) -> str:
    """Imports and ``__all__`` sorted, unused imports dropped, ``ruff format``, prose wrapped."""
    fixed = _run(
        [
            "check",
            *_SETTINGS,
            "--fix-only",
            "--exit-zero",
            "--quiet",
            "--select",
            "I,F401,RUF022",
            "--stdin-filename",
            filename,
            "-",
        ],
        source,
    )
    formatted = _run(["format", *_SETTINGS, "--quiet", "--stdin-filename", filename, "-"], fixed)
    return wrap_docstrings(formatted)


def wrap_docstrings(source: str, width: int = _WIDTH) -> str:
    """Reflow docstring lines longer than ``width``: spec prose arrives as one long line."""
    lines: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        quotes = stripped.count('"""')
        too_long = len(line) > width
        if not inside and quotes == 2 and stripped.startswith('"""') and too_long:
            lines += [indent + '"""', *_wrap(stripped[3:-3], indent, width), indent + '"""']
            continue
        if inside and quotes == 0 and too_long:
            lines += _wrap(stripped, indent, width)
            continue
        if quotes == 1:
            inside = not inside
        lines.append(line)
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _run(args: list[str], source: str) -> str:
    result = subprocess.run(
        [_ruff(), *args], input=source, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"ruff {args[0]} failed on {args[-2]}: {result.stderr.strip()}")
    return result.stdout
