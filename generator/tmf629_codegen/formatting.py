"""ruff, run the same way wherever the output goes, so the bytes never depend on the location."""

from __future__ import annotations

import subprocess

__all__ = ["format_python"]

_SETTINGS = ("--isolated", "--config", "line-length=100", "--config", "target-version='py311'")


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def format_python(source: str, filename: str) -> str:
    """Imports and ``__all__`` sorted, unused imports dropped, then ``ruff format``."""
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
    return _run(["format", *_SETTINGS, "--quiet", "--stdin-filename", filename, "-"], fixed)


def _run(args: list[str], source: str) -> str:
    result = subprocess.run(
        [_ruff(), *args], input=source, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"ruff {args[0]} failed on {args[-2]}: {result.stderr.strip()}")
    return result.stdout
