"""Golden end-to-end tests: each spec under tests/golden generates exactly its expected tree."""

from __future__ import annotations

import pytest

from tests.golden.update import GoldenCase, cases


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.name)
def test_generated_tree_matches_expected(case: GoldenCase) -> None:
    generated = case.generate()
    on_disk = {
        path.relative_to(case.expected).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(case.expected.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(generated) == sorted(on_disk), "file set differs: run `nox -s golden`"
    for rel, content in generated.items():
        assert content == on_disk[rel], f"{rel} differs from the golden copy: run `nox -s golden`"
