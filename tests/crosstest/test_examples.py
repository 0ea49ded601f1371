"""The README's SDK example and examples/sdk_tour.py run as written against the mock server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conformance.server import mock_server

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def server_root() -> object:
    with mock_server() as root:
        yield root


def _readme_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"<!-- runnable:[^>]*-->\n```python\n(.*?)```", readme, flags=re.DOTALL)


def test_readme_has_a_runnable_example() -> None:
    assert _readme_examples()


@pytest.mark.parametrize("code", _readme_examples())
def test_readme_example_runs(code: str, server_root: str) -> None:
    env = {**os.environ, "TMF629_URL": server_root}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "404" in result.stdout


def test_sdk_tour_runs(server_root: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "sdk_tour.py"), server_root],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for expected in (
        "created",
        "refused:",
        "gone: 404",
        "event CustomerCreateEvent",
        "found Async Club",
    ):
        assert expected in result.stdout, result.stdout
