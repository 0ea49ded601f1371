"""Sessions that regenerate, check, build and cross-test the spec, the SDK and the mock server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["specs", "lint", "typecheck", "tests", "build", "fuzz", "conformance"]
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
OPENAPI = "specs/tmf629-customer-management.openapi.yaml"
ASYNCAPI = "specs/tmf629-customer-management.asyncapi.yaml"
SDK_PACKAGE = "sdk/tmf629"
PYTHON = "3.11"
TYPED_TREES = ["generator", "sdk", "mockserver", "tests", "bench", "examples"]


def _install(session: nox.Session, extras: str = "dev") -> None:
    session.install("-e", f".[{extras}]")


@nox.session(python=PYTHON)
def specs(session: nox.Session) -> None:
    """Validate both specs and every example in them."""
    _install(session, "codegen")
    session.run("python", "-m", "tmf629_codegen.validate", OPENAPI, ASYNCAPI)


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate the committed code from specs/ (`-- --check` fails on drift instead)."""
    _install(session, "codegen")
    session.run(
        "tmf629-codegen",
        "--openapi",
        OPENAPI,
        "--asyncapi",
        ASYNCAPI,
        "--out",
        SDK_PACKAGE,
        *session.posargs,
    )


@nox.session(python=PYTHON)
def golden(session: nox.Session) -> None:
    """Rewrite the expected output of the golden generator tests on purpose."""
    _install(session)
    session.run("python", "-m", "tests.golden.update", env={"PYTHONPATH": str(ROOT)})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over hand-written and generated code alike."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the generator, the SDK and the mock server, generated code included."""
    _install(session)
    session.run("mypy", *TYPED_TREES)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole pytest suite (real services are required when TMF629_REQUIRE_SERVICES=1)."""
    _install(session)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Start the mock server on its embedded default store (arguments go to tmf629-mock)."""
    _install(session, "mock")
    session.run("tmf629-mock", *session.posargs)


@nox.session(python=PYTHON, default=False)
def crosstest(session: nox.Session) -> None:
    """Every SDK method against the mock server: each store, sync and async, ASGI and socket."""
    _install(session)
    session.run("pytest", "tests/crosstest", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build sdist and wheel, install the wheel in a fresh virtualenv outside the repo, use it."""
    session.install("build")
    work = Path(tempfile.mkdtemp(prefix="tmf629-build-"))
    session.run("python", "-m", "build", "--outdir", str(work / "dist"), str(ROOT))
    wheel = next((work / "dist").glob("*.whl"))
    venv = work / "venv"
    session.run("python", "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    session.run(python, "-m", "pip", "install", "-q", f"{wheel}[mock,codegen]", external=True)
    check = str(ROOT / "tests" / "packaging" / "check_installed.py")
    with session.chdir(work):
        session.run(python, check, str(ROOT), external=True)
    shutil.rmtree(work, ignore_errors=True)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Speed as ratios to baselines measured in the same run (SDK, server, messaging)."""
    _install(session)
    modules = ("sdk_bench", "server_bench", "socket_bench", "messaging_bench")
    for module in (f"bench.{name}" for name in modules):
        session.run("python", "-m", module, *session.posargs)


@nox.session(python=PYTHON, default=False)
def upgrade(session: nox.Session) -> None:
    """Adopt a new spec release: diff, copy into specs/, regenerate, prepend CHANGELOG, test."""
    if not session.posargs:
        session.error("usage: nox -s upgrade -- NEW_SPEC [--new-asyncapi NEW_ASYNCAPI]")
    _install(session)
    session.run(
        "python",
        "-m",
        "tmf629_codegen.diff_upgrade",
        "--openapi",
        OPENAPI,
        "--asyncapi",
        ASYNCAPI,
        "--out",
        SDK_PACKAGE,
        "--changelog",
        "CHANGELOG.md",
        *session.posargs,
    )
    session.run("pytest")


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """schemathesis, every phase and check, against tmf629-mock (`-- --budget N --url --spec`)."""
    _install(session)
    session.run("python", "-m", "tests.fuzz.run", *session.posargs, env={"PYTHONPATH": str(ROOT)})


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """TMF629 conformance suite (`-- --url API_ROOT`): reports/conformance.{xml,html}.

    `-- --spec PATH` runs the generic TMF v5 rules (tests/conformance/generic) for the API in
    PATH instead (against `tmf629-mock --spec PATH`, or `--url`); TMF629-only tests are skipped.
    """
    _install(session)
    xml, page = "reports/conformance.xml", "reports/conformance.html"
    session.run(
        "pytest", "tests/conformance", f"--junitxml={xml}", *session.posargs, success_codes=[0, 1]
    )
    env = {"PYTHONPATH": str(ROOT)}
    session.run("python", "-m", "tests.conformance.report", xml, page, env=env)
