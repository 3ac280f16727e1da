"""Unit tests for helpers.races."""

import sys

import pytest

from helpers.demos.races import bytecode_steps, switch_interval

counter = 0


def update(x, v):
    x += v


def increment():
    global counter
    counter += 1


def bump_item(d, k):
    d[k] += 1


def test_steps_of_the_talks_update():
    assert bytecode_steps(update) == ["load x", "load v", "BINARY_OP +=", "STORE_FAST x"]


def test_steps_of_a_global_increment():
    assert bytecode_steps(increment) == [
        "load counter",
        "load 1",
        "BINARY_OP +=",
        "STORE_GLOBAL counter",
    ]


def test_stack_shuffles_are_left_out():
    steps = bytecode_steps(bump_item)
    assert steps[0] == "load d" and steps[-1] == "STORE_SUBSCR"
    assert not any(s.startswith(("COPY", "SWAP")) for s in steps)


def test_item_read_is_spelled_the_same_on_every_version():
    # 3.11-3.13: BINARY_SUBSCR; 3.14+: BINARY_OP 26 ([]); the step reads the same everywhere.
    assert bytecode_steps(bump_item) == [
        "load d",
        "load k",
        "BINARY_OP []",
        "load 1",
        "BINARY_OP +=",
        "STORE_SUBSCR",
    ]


@pytest.mark.parametrize("n", [0, 1, 255, 256, 10**6])
def test_small_and_large_int_constants_are_named(n):
    # 3.14+ loads ints up to 255 with LOAD_SMALL_INT, whose argrepr is empty.
    fn = {}
    exec(f"def add(x):\n    x += {n}", fn)  # a constant per case
    assert bytecode_steps(fn["add"]) == ["load x", f"load {n}", "BINARY_OP +=", "STORE_FAST x"]


def test_explicit_return_value_is_kept():
    def answer():
        return 42

    assert bytecode_steps(answer) == ["load 42"]


@pytest.mark.parametrize("bad", [len, "update", None, update.__code__])
def test_only_python_functions(bad):
    with pytest.raises(TypeError):
        bytecode_steps(bad)


def test_switch_interval_is_set_and_restored():
    before = sys.getswitchinterval()
    with switch_interval(1e-4):
        assert sys.getswitchinterval() == pytest.approx(1e-4)
    assert sys.getswitchinterval() == before


def test_switch_interval_restored_after_an_error():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), switch_interval(1e-4):
        raise RuntimeError("boom")
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize(
    ("bad", "error"),
    [(0, ValueError), (-1, ValueError), (True, TypeError), ("0.001", TypeError), (None, TypeError)],
)
def test_switch_interval_rejects_bad_values(bad, error):
    before = sys.getswitchinterval()
    with pytest.raises(error), switch_interval(bad):
        pass
    assert sys.getswitchinterval() == before
