"""The race explorer: every interleaving of two `counter += 1`, replayed step by step."""

from math import comb

import pytest

from helpers.demos.race_explorer import (
    interleavings,
    loses_an_update,
    replay,
    replay_table,
    steps,
)


def both_loads_before_both_stores(order: str) -> bool:
    """Worked out independently of replay(): each thread's first step loads, its last stores."""
    loads = [order.index(t) for t in "AB"]
    stores = [order.rindex(t) for t in "AB"]
    return max(loads) < min(stores)


def test_there_are_20_distinct_interleavings_each_keeping_a_threads_order():
    orders = interleavings()
    assert len(orders) == comb(6, 3) == 20
    assert len(set(orders)) == 20
    assert orders == sorted(orders)
    for order in orders:
        named = steps(order)
        for thread in "AB":
            assert [s.split()[1] for s in named if s.startswith(thread)] == ["load", "add", "store"]


def test_exactly_the_orders_whose_loads_both_precede_both_stores_lose_an_update():
    lost = [o for o in interleavings() if loses_an_update(o)]
    assert lost == [o for o in interleavings() if both_loads_before_both_stores(o)]
    # Only running one thread's three steps entirely before the other's is safe.
    assert len(lost) == 18
    assert sorted(set(interleavings()) - set(lost)) == ["AAABBB", "BBBAAA"]


def test_final_counter_is_2_when_safe_and_1_when_an_update_is_lost():
    for order in interleavings():
        assert replay(order)[-1].counter == (1 if loses_an_update(order) else 2)


def test_replay_gives_both_registers_and_the_counter_after_each_step():
    moments = replay("ABABAB")
    assert [m.step for m in moments] == [
        "start",
        "A load",
        "B load",
        "A add",
        "B add",
        "A store",
        "B store",
    ]
    assert [m.registers["A"] for m in moments] == [None, 0, 0, 1, 1, 1, 1]
    assert [m.registers["B"] for m in moments] == [None, None, 0, 0, 1, 1, 1]
    assert [m.counter for m in moments] == [0, 0, 0, 0, 0, 1, 1]


def test_serial_order_counts_to_two():
    moments = replay("AAABBB")
    assert [m.counter for m in moments] == [0, 0, 0, 1, 1, 1, 2]
    assert moments[4].registers == {"A": 1, "B": 1}  # B loaded A's stored 1


def test_replay_table_has_a_row_per_moment():
    table = replay_table("AABABB")
    assert list(table.columns) == ["step", "A's register", "counter", "B's register"]
    assert len(table) == 7
    assert table.iloc[0].tolist() == ["start", "-", 0, "-"]
    assert table.iloc[-1].tolist() == ["B store", "1", 1, "1"]


@pytest.mark.parametrize(
    ("order", "error"),
    [(123, TypeError), ("AAB", ValueError), ("AAAABB", ValueError), ("AABCBB", ValueError)],
)
def test_bad_orders_are_rejected(order, error):
    with pytest.raises(error):
        replay(order)
