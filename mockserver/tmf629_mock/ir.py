"""The intermediate model the server is configured with (re-exported from the generator)."""

from tmf629_codegen.ir import Api, Event, Operation, Resource

__all__ = ["Api", "Event", "Operation", "Resource"]
