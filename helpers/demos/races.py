"""Tools for the race-conditions notebook: a bytecode summary that reads the same on every Python.

``dis.dis`` output changes from version to version (3.12 adds ``RETURN_CONST``, 3.13 fuses two
loads into ``LOAD_FAST_LOAD_FAST``, 3.14 adds ``LOAD_SMALL_INT`` and turns ``BINARY_SUBSCR``
into ``BINARY_OP []``, offsets and caches move). The lesson does not change: a read, an
operation and a write are separate instructions. :func:`bytecode_steps` keeps exactly that, so
a notebook can print it and compare it on 3.11 to 3.15 alike.
"""

from __future__ import annotations

import dis
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

from helpers import _validate

# Instructions that only set up a frame or shuffle the stack: not part of the read-modify-write.
_PLUMBING = frozenset({"RESUME", "NOP", "CACHE", "COPY", "SWAP", "PUSH_NULL", "EXTENDED_ARG"})
_RETURNS = frozenset({"RETURN_VALUE", "RETURN_CONST"})
# Spelled as the newest Python spells them, so every version prints the same step.
_RENAMED = {"BINARY_SUBSCR": "BINARY_OP []"}  # 3.14 made d[k] a BINARY_OP like + and +=


def bytecode_steps(fn: types.FunctionType) -> list[str]:
    """The steps of ``fn``'s body, version-independently: every ``LOAD_*`` becomes ``load <name>``.

    Other instructions keep their name and argument (``BINARY_OP +=``, ``STORE_GLOBAL counter``),
    ``BINARY_SUBSCR`` (3.13 and older) is spelled ``BINARY_OP []`` as from 3.14 on; frame set-up,
    stack shuffles (``COPY``/``SWAP``) and the implicit ``return None`` are left out.
    """
    if not isinstance(fn, types.FunctionType):
        raise TypeError(f"fn must be a Python function, not {type(fn).__name__}")
    steps: list[str] = []
    for ins in dis.get_instructions(fn):
        if ins.opname in _RETURNS:
            if ins.opname == "RETURN_CONST" and ins.argrepr != "None":
                steps.append(f"load {ins.argrepr}")  # 3.12+: LOAD_CONST + RETURN_VALUE in one
            elif ins.opname == "RETURN_VALUE" and steps and steps[-1] == "load None":
                steps.pop()  # the implicit `return None` (LOAD_CONST None; RETURN_VALUE)
            break
        if ins.opname in _PLUMBING:
            continue
        if ins.opname == "LOAD_SMALL_INT":  # 3.14+: the int is the argument, argrepr is empty
            steps.append(f"load {ins.arg}")
        elif ins.opname.startswith("LOAD_"):
            # LOAD_FAST_LOAD_FAST (3.13) loads two names at once: argrepr "x, v".
            steps.extend(f"load {name}" for name in ins.argrepr.split(", "))
        else:
            steps.append(_RENAMED.get(ins.opname, f"{ins.opname} {ins.argrepr}".rstrip()))
    return steps


@contextmanager
def switch_interval(seconds: float) -> Iterator[None]:
    """Temporarily set how often CPython asks the running thread to let another one run.

    A small interval (e.g. ``1e-5``) makes thread switches far more frequent, so a race that
    depends on a badly timed switch shows up reliably even on a busy machine.
    """
    _validate.positive(seconds, "seconds")
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
