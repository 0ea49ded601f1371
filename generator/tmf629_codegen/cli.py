"""``tmf629-codegen``: regenerate a typed package from a TMF OpenAPI (and AsyncAPI) spec."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import SpecError
from .generate import generate_package
from .output import changed_files, write_files

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tmf629-codegen",
        description="Generate pydantic models, a typed SDK surface and mock-server metadata "
        "from a TMF v5 OpenAPI spec.",
        epilog="tmf629-codegen diff OLD NEW [--format text|markdown|json] [--fail-on breaking] "
        "compares two releases of a spec instead (see tmf629-codegen diff --help).",
    )
    parser.add_argument("--openapi", type=Path, required=True, help="OpenAPI 3.0 spec file")
    parser.add_argument("--asyncapi", type=Path, help="AsyncAPI 3.0 spec file of the same API")
    parser.add_argument(
        "--out", type=Path, required=True, help="package directory to write (created if missing)"
    )
    parser.add_argument(
        "--package", help="import name of the package (default: the directory's name)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name the files that would change",
    )
    return parser


def _diff_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tmf629-codegen diff",
        description="Compare two releases of a TMF OpenAPI spec: what changed, and whom it breaks.",
    )
    parser.add_argument("old", type=Path, help="the old OpenAPI 3.0 spec file")
    parser.add_argument("new", type=Path, help="the new OpenAPI 3.0 spec file")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument(
        "--fail-on",
        choices=("breaking",),
        help="exit 1 when the diff holds a breaking change (SDK or wire)",
    )
    return parser


def diff_main(argv: Sequence[str]) -> int:
    """``tmf629-codegen diff OLD NEW``: 0, 1 with ``--fail-on breaking`` and a break, 2 on error."""
    from .diff import diff_files
    from .diff_format import render

    args = _diff_parser().parse_args(argv)
    try:
        report = diff_files(args.old, args.new)
    except SpecError as error:
        print(f"tmf629-codegen diff: error: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(render(report, args.format))
    return 1 if args.fail_on == "breaking" and report.breaking else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diff"]:
        return diff_main(argv[1:])
    args = _parser().parse_args(argv)
    out: Path = args.out
    try:
        _, files = generate_package(args.openapi, args.asyncapi, args.package or out.name)
    except SpecError as error:
        print(f"tmf629-codegen: error: {error}", file=sys.stderr)
        return 2
    if args.check:
        changed = changed_files(out, files)
        for rel in changed:
            print(f"would change: {(out / rel).as_posix()}")
        return 1 if changed else 0
    for rel in write_files(out, files):
        print(f"wrote {(out / rel).as_posix()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
