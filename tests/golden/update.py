"""The golden cases of the generator: each folder here holds a spec and its expected package.

``python -m tests.golden.update`` (``nox -s golden``) rewrites the expected trees on purpose.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tmf629_codegen.generate import generate_package

HERE = Path(__file__).parent


@dataclass(frozen=True)
class GoldenCase:
    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def openapi(self) -> Path:
        return next(self.folder.glob("*.openapi.yaml"))

    @property
    def asyncapi(self) -> Path | None:
        return next(self.folder.glob("*.asyncapi.yaml"), None)

    @property
    def package(self) -> str:
        return f"{self.name}_api"

    @property
    def expected(self) -> Path:
        return self.folder / "expected" / self.package

    def generate(self) -> dict[str, str]:
        _, files = generate_package(self.openapi, self.asyncapi, self.package)
        return files


def cases() -> list[GoldenCase]:
    return [
        GoldenCase(folder)
        for folder in sorted(HERE.iterdir())
        if any(folder.glob("*.openapi.yaml"))
    ]


def main() -> None:
    for case in cases():
        shutil.rmtree(case.expected, ignore_errors=True)
        for rel, content in case.generate().items():
            target = case.expected / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        print(f"rewrote {case.expected.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
