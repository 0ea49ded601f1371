"""The schemathesis session of ``nox -s fuzz``: ``python -m tests.fuzz.run --budget N``."""
