"""Importing the SDK stays cheap: heavy dependencies load when first used, not with the package."""

from __future__ import annotations

import subprocess
import sys

import pytest

import tmf629
import tmf629.runtime

# Loaded by the first request (models, validation) or by the listener, never by the import.
HEAVY = ("pydantic.main", "asyncio", "tmf629.models", "tmf629.runtime._listener")


def loaded_after(code: str) -> set[str]:
    """The HEAVY modules loaded by running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "from tmf629 import Tmf629Client",
        "from tmf629 import Tmf629Client; Tmf629Client(base_url='http://api.test/v5')",
        "from tmf629 import NotFoundError, Page, RequestOptions, where",
        "from tmf629.runtime import SyncAPIClient, APIStatusError, Filter",
    ],
)
def test_import_does_not_load_heavy_modules(code: str) -> None:
    assert loaded_after(code) == set()


def test_async_client_loads_asyncio_when_created() -> None:
    code = "from tmf629 import AsyncTmf629Client; AsyncTmf629Client(base_url='http://api.test/v5')"
    assert loaded_after(code) == {"asyncio"}


@pytest.mark.parametrize("module", [tmf629, tmf629.runtime])
def test_every_exported_name_resolves(module: object) -> None:
    for name in module.__all__:  # type: ignore[attr-defined]
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        _ = module.missing  # type: ignore[attr-defined]
