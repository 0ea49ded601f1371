"""Random ids for resources, contained entities, events and hub subscriptions.

Version 4 UUIDs as ``str(uuid.uuid4())`` writes them, from the same 16 bytes of
``os.urandom``, without building a ``uuid.UUID`` object: a create makes several (the resource,
its contained entities, its event), and the object cost about two thirds of each.
"""

from __future__ import annotations

import os

__all__ = ["random_uuid"]

_VARIANT = "89ab"  # RFC 4122 variant: the two high bits of byte 8 are 10


def random_uuid() -> str:
    digits = os.urandom(16).hex()
    return (
        f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-"
        f"{_VARIANT[int(digits[16], 16) & 3]}{digits[17:20]}-{digits[20:]}"
    )
