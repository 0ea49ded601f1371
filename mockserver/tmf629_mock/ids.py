"""Random ids for resources, contained entities, events and hub subscriptions.

Version 4 UUIDs as ``str(uuid.uuid4())`` writes them, from 16 bytes of ``os.urandom`` each,
without building a ``uuid.UUID`` object: a create makes several (the resource, its contained
entities, its event), and the object cost about two thirds of each.

The bytes are drawn for :data:`_BATCH` ids at a time: one ``getrandom`` system call per id was
as many system calls as the server's own socket writes. The ready ids sit in a deque, whose
``popleft`` is atomic, so threads never share one; a forked child starts with none of its
parent's.
"""

from __future__ import annotations

import os
from collections import deque

__all__ = ["random_uuid"]

# RFC 4122 variant: the two high bits of byte 8 are 10 (digit 8, 9, a or b).
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
_BATCH = 64
_ready: deque[str] = deque()


def _uuid(digits: str) -> str:
    return (
        f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-"
        f"{_VARIANT[digits[16]]}{digits[17:20]}-{digits[20:32]}"
    )


def _draw() -> list[str]:
    digits = os.urandom(16 * _BATCH).hex()
    return [_uuid(digits[start : start + 32]) for start in range(0, 32 * _BATCH, 32)]


def random_uuid() -> str:
    try:
        return _ready.popleft()
    except IndexError:
        fresh = _draw()
        _ready.extend(fresh[1:])
        return fresh[0]


os.register_at_fork(after_in_child=_ready.clear)
