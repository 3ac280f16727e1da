"""Workers that share state with the notebook instead of sending it (notebook 15).

Three ways, from cheap to convenient:

- a ``multiprocessing.Value`` (one number in shared memory, with its own lock), handed to each
  worker once by the pool initializer :func:`attach_counter` -- it can only travel that way,
  never as a task argument -- and incremented by :func:`count_up`;
- a ``multiprocessing.shared_memory.SharedMemory`` block, found by its *name* (a short string is
  all a task sends): :func:`ends_of_block` reads it without copying it;
- a ``Manager`` proxy (a dict living in a server process): :func:`record_in` writes to it, every
  operation one round trip to that process.

:func:`ends_of_bytes` receives the whole buffer as an argument, for comparison.
"""

from __future__ import annotations

from typing import Any

from helpers import _validate

_counter: Any = None


def attach_counter(counter: Any) -> None:
    """Pool initializer: keep ``counter`` (a ``multiprocessing.Value``) for :func:`count_up`."""
    if not hasattr(counter, "get_lock"):
        raise TypeError(f"counter must be a multiprocessing.Value, not {type(counter).__name__}")
    global _counter
    _counter = counter


def count_up(times: int) -> int:
    """Add 1 to the attached counter ``times`` times, each under its lock; return ``times``."""
    _validate.integer(times, "times", 0)
    if _counter is None:
        raise RuntimeError("no counter in this process: use initializer=attach_counter")
    for _ in range(times):
        with _counter.get_lock():  # += is a read and a write: without the lock, updates get lost
            _counter.value += 1
    return times


def ends_of_block(name: str) -> tuple[int, int]:
    """First and last byte of the shared memory block ``name``, attached without a copy."""
    # Imported on use: it loads multiprocessing's spawn module, which registers ``__mp_main__``
    # in sys.modules -- harmless, but importing this module should load plain modules only.
    from multiprocessing import shared_memory

    _validate.label(name, "name")
    block = shared_memory.SharedMemory(name=name)
    try:
        return block.buf[0], block.buf[block.size - 1]
    finally:
        block.close()


def ends_of_bytes(data: bytes) -> tuple[int, int]:
    """First and last byte of ``data``, which was pickled and sent whole to this worker."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValueError("data must be non-empty bytes")
    return data[0], data[-1]


def record_in(table: Any, key: str, value: int) -> str:
    """Store ``value`` under ``key`` in ``table`` (a Manager's dict proxy); return ``key``."""
    _validate.label(key, "key")
    _validate.integer(value, "value")
    table[key] = value
    return key
