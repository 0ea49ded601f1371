"""Nothing is Customer-specific: a different (tiny) TMF v5-style API gets the same behaviour."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tmf629_codegen.ir import Api, Event, Operation, Resource, Response
from tmf629_mock.app import create_app, mock_state
from tmf629_mock.hub import Deliverer
from tmf629_mock.testing import RecordingListener, serve_in_loop

BASE = "/tmf-api/troubleTicket/v5"
EVENTS = (
    ("TroubleTicketCreateEvent", "create"),
    ("TroubleTicketAttributeValueChangeEvent", "attribute_value_change"),
    ("TroubleTicketStatusChangeEvent", "state_change"),
    ("TroubleTicketDeleteEvent", "delete"),
)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def spec() -> dict[str, Any]:
    error = {"description": "Error", **json_content(ref("Error"))}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    fields = {"name": "fields", "in": "query", "schema": {"type": "string"}}
    properties = {
        "@type": {"type": "string"},
        "description": {"type": "string"},
        "severity": {"type": "string"},
        "status": {"type": "string"},
        "priority": {"type": "integer"},
        "note": {"type": "array", "items": ref("Note")},
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": "Trouble Ticket", "version": "5.0.0"},
        "paths": {
            "/troubleTicket": {
                "get": {
                    "operationId": "listTroubleTicket",
                    "parameters": [fields],
                    "responses": {
                        "200": {
                            "description": "ok",
                            **json_content({"type": "array", "items": ref("TroubleTicket")}),
                        },
                        "400": error,
                    },
                },
                "post": {
                    "operationId": "createTroubleTicket",
                    "parameters": [fields],
                    "requestBody": {"required": True, **json_content(ref("TroubleTicket_FVO"))},
                    "responses": {
                        "201": {"description": "created", **json_content(ref("TroubleTicket"))},
                        "400": error,
                    },
                },
            },
            "/troubleTicket/{id}": {
                "get": {
                    "operationId": "retrieveTroubleTicket",
                    "parameters": [id_param, fields],
                    "responses": {
                        "200": {"description": "ok", **json_content(ref("TroubleTicket"))},
                        "404": error,
                    },
                },
                "patch": {
                    "operationId": "patchTroubleTicket",
                    "parameters": [id_param, fields],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/merge-patch+json": {"schema": ref("TroubleTicket_MVO")},
                            "application/json-patch+json": {
                                "schema": {"type": "array", "items": {"type": "object"}}
                            },
                        },
                    },
                    "responses": {
                        "200": {"description": "ok", **json_content(ref("TroubleTicket"))},
                        "404": error,
                    },
                },
                "delete": {
                    "operationId": "deleteTroubleTicket",
                    "parameters": [id_param],
                    "responses": {"204": {"description": "deleted"}, "404": error},
                },
            },
            "/hub": {
                "post": {
                    "operationId": "createHub",
                    "requestBody": {
                        "required": True,
                        **json_content(ref("EventSubscriptionInput")),
                    },
                    "responses": {
                        "201": {"description": "ok", **json_content(ref("EventSubscription"))}
                    },
                }
            },
            "/hub/{id}": {
                "delete": {
                    "operationId": "deleteHub",
                    "parameters": [id_param],
                    "responses": {"204": {"description": "deleted"}, "404": error},
                }
            },
        },
        "components": {
            "schemas": {
                "Note": {
                    "type": "object",
                    "required": ["id", "text"],
                    "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
                },
                "Note_FVO": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
                },
                "TroubleTicket": {
                    "type": "object",
                    "required": ["id", "href", "@type", "severity"],
                    "properties": {
                        "id": {"type": "string"},
                        "href": {"type": "string"},
                        **properties,
                    },
                },
                "TroubleTicket_FVO": {
                    "type": "object",
                    "required": ["@type", "severity"],
                    "properties": {
                        **properties,
                        "note": {"type": "array", "items": ref("Note_FVO")},
                    },
                },
                "TroubleTicket_MVO": {"type": "object", "properties": properties},
                "EventSubscriptionInput": {
                    "type": "object",
                    "required": ["callback"],
                    "properties": {"callback": {"type": "string"}, "query": {"type": "string"}},
                },
                "EventSubscription": {
                    "type": "object",
                    "required": ["id", "callback"],
                    "properties": {
                        "id": {"type": "string"},
                        "callback": {"type": "string"},
                        "query": {"type": "string"},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["code", "reason"],
                    "properties": {"code": {"type": "string"}, "reason": {"type": "string"}},
                },
            }
        },
    }


def model() -> Api:
    kinds = (
        ("list", "listTroubleTicket"),
        ("create", "createTroubleTicket"),
        ("retrieve", "retrieveTroubleTicket"),
        ("patch", "patchTroubleTicket"),
        ("delete", "deleteTroubleTicket"),
    )
    paths = {
        "list": ("get", "/troubleTicket"),
        "create": ("post", "/troubleTicket"),
        "retrieve": ("get", "/troubleTicket/{id}"),
        "patch": ("patch", "/troubleTicket/{id}"),
        "delete": ("delete", "/troubleTicket/{id}"),
    }
    operations = [
        Operation(op_id, paths[kind][0], paths[kind][1], kind, "TroubleTicket")  # type: ignore[arg-type]
        for kind, op_id in kinds
    ]
    operations += [
        Operation(
            "createHub", "post", "/hub", "hub_create", None, responses=(Response(201, None),)
        ),
        Operation("deleteHub", "delete", "/hub/{id}", "hub_delete", None),
    ]
    properties = ("id", "href", "@type", "description", "severity", "status", "priority", "note")
    resource = Resource(
        name="TroubleTicket",
        path="/troubleTicket",
        item_path="/troubleTicket/{id}",
        id_parameter="id",
        parent_parameters=(),
        attribute="trouble_tickets",
        create_schema="TroubleTicket_FVO",
        update_schema="TroubleTicket_MVO",
        operations=kinds,
        properties=properties,
        required=("id", "href", "@type", "severity"),
        mandatory_on_create=("@type", "severity"),
        patchable=properties[3:],
        non_patchable=("id", "href", "@type"),
        patch_media_types=("application/merge-patch+json", "application/json-patch+json"),
        state_attribute="status",
        events=tuple(name for name, _ in EVENTS),
        discriminator_values=("TroubleTicket",),
    )
    events = tuple(
        Event(name, "TroubleTicket", kind, "troubleTicket")  # type: ignore[arg-type]
        for name, kind in EVENTS
    )
    return Api(
        title="Trouble Ticket",
        version="5.0.0",
        package="tt",
        base_path=BASE,
        spec_file="tt.yaml",
        spec_sha256="",
        resources=(resource,),
        operations=tuple(operations),
        events=events,
        hub_path="/hub",
    )


@pytest.fixture
async def client(tmp_path: Path, store_url: str) -> AsyncIterator[httpx.AsyncClient]:
    path = tmp_path / "trouble-ticket.openapi.yaml"
    path.write_text(yaml.safe_dump(spec()))
    app = create_app(
        model(),
        path,
        store=store_url,
        deterministic_ids=True,
        deliverer=Deliverer(max_attempts=1, timeout=2),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tt" + BASE) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    state = mock_state(app)
    drop = getattr(state.store, "drop", None)
    if drop is not None:
        await drop()
    await state.close()


async def test_another_api_behaves_the_same(client: httpx.AsyncClient) -> None:
    listener = RecordingListener()
    async with serve_in_loop(listener.app()) as url:
        listener.url = url
        assert (await client.post("/hub", json={"callback": url})).status_code == 201
        missing = await client.post(
            "/troubleTicket", json={"@type": "TroubleTicket", "severity": " "}
        )
        assert missing.status_code == 400
        assert "severity" in missing.json()["message"]
        wrong = await client.post("/troubleTicket", json={"@type": "Customer", "severity": "x"})
        assert wrong.status_code == 400
        body = {
            "@type": "TroubleTicket",
            "severity": "major",
            "status": "acknowledged",
            "priority": 2,
            "note": [{"text": "first"}],
        }
        created = await client.post("/troubleTicket", json=body)
        assert created.status_code == 201, created.text
        ticket = created.json()
        assert ticket["id"] == "1"
        assert ticket["href"] == f"http://tt{BASE}/troubleTicket/1"
        assert ticket["note"][0]["id"]  # generated for the contained entity
        await client.post("/troubleTicket", json={**body, "priority": 10, "note": []})
        listing = await client.get(
            "/troubleTicket", params={"priority.gt": "5", "fields": "priority"}
        )
        assert listing.status_code == 200, listing.text
        assert listing.json() == [
            {
                "id": "2",
                "href": f"http://tt{BASE}/troubleTicket/2",
                "@type": "TroubleTicket",
                "priority": 10,
            }
        ]
        assert (await client.get("/troubleTicket", params={"name": "x"})).status_code == 400
        patched = await client.patch(
            "/troubleTicket/1",
            content=json.dumps({"status": "resolved"}),
            headers={"content-type": "application/merge-patch+json"},
        )
        assert patched.status_code == 200, patched.text
        refused = await client.patch(
            "/troubleTicket/1",
            content=json.dumps([{"op": "replace", "path": "/id", "value": "9"}]),
            headers={"content-type": "application/json-patch+json"},
        )
        assert refused.status_code == 400
        assert "id" in refused.json()["message"]
        assert (await client.delete("/troubleTicket/1")).status_code == 204
        await mock_state(client.app).hub.drain()  # type: ignore[attr-defined]
        received = await listener.wait_for(5)
    assert [n.path for n in received] == [
        "/listener/troubleTicketCreateEvent",
        "/listener/troubleTicketCreateEvent",
        "/listener/troubleTicketAttributeValueChangeEvent",
        "/listener/troubleTicketStatusChangeEvent",
        "/listener/troubleTicketDeleteEvent",
    ]
    assert received[3].body["event"]["troubleTicket"]["status"] == "resolved"
