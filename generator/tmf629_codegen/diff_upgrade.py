"""Adopt a new spec release in one step (``nox -s upgrade -- NEW_SPEC``).

    python -m tmf629_codegen.diff_upgrade NEW_SPEC --openapi specs/X.openapi.yaml
        [--asyncapi specs/X.asyncapi.yaml] [--new-asyncapi NEW] --out sdk/tmf629
        [--changelog CHANGELOG.md] [--date YYYY-MM-DD]

Diffs the current spec against ``NEW_SPEC``, copies it over the current one (keeping the file
name, which the generated headers name), regenerates the package, and prepends a CHANGELOG entry
written from the diff. A bad new spec changes nothing (one line, exit status 2); a failure while
regenerating puts the old spec back.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from .diff import DiffReport, diff_files
from .diff_format import changelog_entry
from .errors import SpecError
from .generate import generate_package
from .loader import load_asyncapi

__all__ = ["main", "prepend_entry", "upgrade"]

CHANGELOG_HEADER = """# Changelog

Spec releases adopted with `nox -s upgrade -- NEW_SPEC`, newest first. Each entry is written
from `tmf629-codegen diff`: what SDK users must change (breaking for code written against the
old models), what servers and clients must change on the wire, and what is compatible.
"""


def prepend_entry(changelog: Path, entry: str) -> None:
    """Insert ``entry`` above the newest entry (creating the file with its header if needed)."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else CHANGELOG_HEADER
    marker = text.find("\n## ")
    head, rest = (text, "") if marker < 0 else (text[: marker + 1], text[marker + 1 :])
    body = head.rstrip("\n") + "\n\n" + entry.strip("\n") + "\n"
    changelog.write_text(body + ("\n" + rest if rest else ""), encoding="utf-8")


def upgrade(
    new_spec: Path,
    openapi: Path,
    out: Path,
    *,
    asyncapi: Path | None = None,
    new_asyncapi: Path | None = None,
    changelog: Path | None = None,
    package: str | None = None,
    date: str | None = None,
) -> DiffReport:
    """Diff, copy, regenerate, write the CHANGELOG entry; the report of what changed."""
    from .output import write_files

    report = diff_files(openapi, new_spec)
    if new_asyncapi is not None:
        load_asyncapi(new_asyncapi)  # refuse a bad one before anything is touched
    saved = {path: path.read_bytes() for path in (openapi, asyncapi) if path and path.is_file()}
    try:
        openapi.write_bytes(new_spec.read_bytes())
        if new_asyncapi is not None and asyncapi is not None:
            asyncapi.write_bytes(new_asyncapi.read_bytes())
        twin = asyncapi if asyncapi is not None and asyncapi.is_file() else None
        api, files = generate_package(openapi, twin, package or out.name)
    except BaseException:
        for path, content in saved.items():
            path.write_bytes(content)
        raise
    write_files(out, files)
    if changelog is not None:
        day = date or datetime.datetime.now(datetime.UTC).date().isoformat()
        title = f"{api.title} {api.version} ({day}, from {new_spec.name})"
        prepend_entry(changelog, changelog_entry(report, title))
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tmf629_codegen.diff_upgrade")
    parser.add_argument("new_spec", type=Path, help="the new OpenAPI release")
    parser.add_argument("--openapi", type=Path, required=True, help="the spec file to replace")
    parser.add_argument("--asyncapi", type=Path, help="its AsyncAPI twin, used to regenerate")
    parser.add_argument("--new-asyncapi", type=Path, help="a new AsyncAPI release to copy too")
    parser.add_argument("--out", type=Path, required=True, help="the package directory")
    parser.add_argument("--package", help="import name (default: the directory's name)")
    parser.add_argument("--changelog", type=Path, help="CHANGELOG.md to prepend an entry to")
    parser.add_argument("--date", help="entry date (default: today, UTC)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        report = upgrade(
            args.new_spec,
            args.openapi,
            args.out,
            asyncapi=args.asyncapi,
            new_asyncapi=args.new_asyncapi,
            changelog=args.changelog,
            package=args.package,
            date=args.date,
        )
    except SpecError as error:
        print(f"upgrade: error: {error}", file=sys.stderr)
        return 2
    counts = {impact: len(report.by_impact(impact)) for impact in ("breaking-sdk", "breaking-wire")}
    print(
        f"upgraded {args.openapi} from {args.new_spec}: {len(report.changes)} changes "
        f"({counts['breaking-sdk']} breaking for SDK code, {counts['breaking-wire']} on the wire)"
    )
    if args.changelog is not None:
        print(f"prepended an entry to {args.changelog}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
