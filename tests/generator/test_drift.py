"""The committed generated code is exactly what the generator makes from specs/ today."""

from __future__ import annotations

from pathlib import Path

from tmf629_codegen.generate import generate_package
from tmf629_codegen.output import changed_files

ROOT = Path(__file__).parents[2]


def test_committed_sdk_package_has_not_drifted() -> None:
    _, files = generate_package(
        ROOT / "specs" / "tmf629-customer-management.openapi.yaml",
        ROOT / "specs" / "tmf629-customer-management.asyncapi.yaml",
        "tmf629",
    )
    changed = changed_files(ROOT / "sdk" / "tmf629", files)
    assert changed == [], f"regenerate with `nox -s generate`: {changed}"
