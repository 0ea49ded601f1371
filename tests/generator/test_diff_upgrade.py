"""The one-step upgrade behind ``nox -s upgrade``: diff, copy, regenerate, CHANGELOG entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tmf629_codegen.diff_upgrade import CHANGELOG_HEADER, main, prepend_entry
from tmf629_codegen.generate import generate_package
from tmf629_codegen.output import changed_files

ROOT = Path(__file__).parents[2]
BASE = ROOT / "tests" / "specs" / "next" / "base" / "tmf629-customer-management.openapi.yaml"
NEXT = ROOT / "tests" / "specs" / "next" / "tmf629-customer-management.openapi.yaml"
ASYNCAPI = ROOT / "specs" / "tmf629-customer-management.asyncapi.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the parts of the repository an upgrade touches, at spec 5.0.0."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    shutil.copy(BASE, root / "specs" / BASE.name)
    shutil.copy(ASYNCAPI, root / "specs" / ASYNCAPI.name)
    shutil.copy(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")
    return root


def _upgrade(repo: Path, new: Path) -> int:
    return main(
        [
            str(new),
            "--openapi",
            str(repo / "specs" / BASE.name),
            "--asyncapi",
            str(repo / "specs" / ASYNCAPI.name),
            "--out",
            str(repo / "sdk" / "tmf629"),
            "--changelog",
            str(repo / "CHANGELOG.md"),
            "--date",
            "2026-11-25",
        ]
    )


def test_upgrade_copies_regenerates_and_writes_the_changelog(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _upgrade(repo, NEXT) == 0
    assert "12 changes (4 breaking for SDK code, 2 on the wire)" in capsys.readouterr().out
    spec = repo / "specs" / BASE.name
    assert spec.read_bytes() == NEXT.read_bytes()

    # The package is exactly what the generator makes from the new spec: no drift.
    _, files = generate_package(spec, repo / "specs" / ASYNCAPI.name, "tmf629")
    assert changed_files(repo / "sdk" / "tmf629", files) == []
    models = (repo / "sdk" / "tmf629" / "models.py").read_text()
    assert "class PaymentMethodReference(" in models
    assert "class PaymentMethodRef(" not in models
    assert "replaceCustomer" in (repo / "sdk" / "tmf629" / "_metadata.py").read_text()

    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.startswith(CHANGELOG_HEADER)
    newest = changelog.index("## Customer Management 5.1.0 (2026-11-25")
    assert newest < changelog.index("## Customer Management 5.0.0\n")
    entry = changelog[newest : changelog.index("## Customer Management 5.0.0\n")]
    sdk = entry.split("### What SDK users must change")[1].split("###")[0]
    assert "- Customer.agreement removed" in sdk
    assert "- schema PaymentMethodRef renamed to PaymentMethodReference" in sdk
    wire = entry.split("### What servers")[1].split("###")[0]
    assert "- deleteCustomer: success status 204 changed to 200" in wire


def test_upgrading_to_the_same_spec_says_so(repo: Path) -> None:
    assert _upgrade(repo, BASE) == 0
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "No change to the API surface." in changelog
    assert changelog.count("## Customer Management 5.0.0") == 2


def test_a_bad_new_spec_changes_nothing(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    broken = tmp_path / "broken.openapi.yaml"
    broken.write_text(NEXT.read_text().replace("openapi: 3.0", "openapi: 2.9", 1))
    assert _upgrade(repo, broken) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "OpenAPI 2.9" in err
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_prepend_entry_creates_the_file_and_keeps_older_entries(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    prepend_entry(changelog, "## 1\n\nfirst\n")
    prepend_entry(changelog, "## 2\n\nsecond\n")
    text = changelog.read_text()
    assert text.startswith(CHANGELOG_HEADER)
    assert text.index("## 2") < text.index("## 1")
    assert text.endswith("first\n")
    assert "\n\n\n" not in text
