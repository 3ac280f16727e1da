import math

import pytest

from helpers.workers.cpu import TALK_PRIMES, is_prime, next_prime, products, trivial_factoring


def test_talk_primes_are_prime():
    assert all(is_prime(p) for p in TALK_PRIMES)


@pytest.mark.parametrize(
    ("n", "factors"),
    [(2, [2]), (12, [2, 2, 3]), (97, [97]), (3 * 3 * 101, [3, 3, 101]), (2**10, [2] * 10)],
)
def test_trivial_factoring_small(n, factors):
    assert trivial_factoring(n) == factors


def test_trivial_factoring_keeps_a_large_last_factor():
    # The talk's loop would miss the larger prime of a two-prime product; this one must not.
    assert trivial_factoring(1009 * TALK_PRIMES[0]) == [1009, TALK_PRIMES[0]]


def test_products_factor_back_into_their_primes():
    numbers = products(3, 1000)
    assert len(set(numbers)) == 3
    for k, n in enumerate(numbers):
        small, large = trivial_factoring(n)
        assert large == TALK_PRIMES[k]
        assert is_prime(small) and 1000 + 1000 * k <= small < 1000 + 1000 * k + 100
        assert math.prod([small, large]) == n


def test_is_prime_and_next_prime():
    assert [n for n in range(20) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19]
    assert next_prime(0) == 2
    assert next_prime(14) == 17
    assert next_prime(17) == 17


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: trivial_factoring(1), ValueError),
        (lambda: trivial_factoring(2.0), TypeError),
        (lambda: trivial_factoring(True), TypeError),
        (lambda: is_prime(-1), ValueError),
        (lambda: next_prime("7"), TypeError),
        (lambda: products(0, 1000), ValueError),
        (lambda: products(2, 2), ValueError),
        (lambda: products(2, min(TALK_PRIMES)), ValueError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()
