"""A stateful, spec-driven mock/reference server for TM Forum v5 REST APIs.

Everything it knows of a given API comes from the intermediate model
(:class:`tmf629_codegen.ir.Api`) and the unmodified OpenAPI document: another TMF v5 API gets
the same behaviour.

Modules, one idea each:

* :mod:`~tmf629_mock.app` - assembly of the Connexion ``AsyncApp`` (:func:`create_app`);
* :mod:`~tmf629_mock.handlers` - operationId -> generic handler resolver, thin HTTP handlers;
* :mod:`~tmf629_mock.service` - the transport-independent TMF operations;
* :mod:`~tmf629_mock.store` - persistence interface; memory, SQLite and PostgreSQL backends;
* :mod:`~tmf629_mock.query` - TMF filters and sorting: parsing and in-memory evaluation;
* :mod:`~tmf629_mock.fields` - attribute selection;
* :mod:`~tmf629_mock.patching` - merge patch / JSON Patch, non-patchable attributes;
* :mod:`~tmf629_mock.schemas` - JSON-schema checks of whole resources from the spec;
* :mod:`~tmf629_mock.events` - notification bodies after create / patch / delete;
* :mod:`~tmf629_mock.hub` - subscriptions and background delivery to listeners;
* :mod:`~tmf629_mock.errors` - TMF Error bodies and conversion of every failure;
* :mod:`~tmf629_mock.auth` - API key and body size limit middleware;
* :mod:`~tmf629_mock.cli` - the ``tmf629-mock`` command;
* :mod:`~tmf629_mock.testing` - pytest fixtures and helpers (in-process or live server).

Example::

    from tmf629_codegen.build import load_api
    from tmf629_mock import create_app

    app = create_app(load_api(spec), spec, store="sqlite:///mock.db", deterministic_ids=True)
    # an ASGI app: uvicorn.run(app), or httpx.ASGITransport(app=app) in tests
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from tmf629_mock.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tmf629_mock.app import create_app

        return create_app
    raise AttributeError(name)
