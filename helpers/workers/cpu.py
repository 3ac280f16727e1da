"""CPU-bound work: the talk's trivial factoring, and a plain loop whose length we choose.

The talk's demo 12 multiplies some of its large primes and factors the products by trial
division -- pure Python arithmetic that holds the GIL the whole time. Trial division has to
count up to the *smaller* prime factor of a product ``p * q``, so that factor sets how long a
task takes: about ``min(p, q) / 2`` divisions. :func:`products` pairs the talk's primes with
smaller primes chosen to give tasks of a wanted size.

:func:`cpu_task` is plainer still: a loop of ``n`` steps. :func:`hash_bytes` is CPU work done
in C code that releases the GIL. :func:`cpu_timed` and
:func:`timed_cpu_task` also return the CPU seconds the calling thread spent: summed over tasks
and divided by the wall-clock time, that tells how many cores were busy at once.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from helpers import _validate

# The large primes of the talk's demo 12.
TALK_PRIMES = (
    86008889,
    89937917,
    59935801,
    11056459,
    41969321,
    35655967,
    25739201,
    70792549,
    74259431,
    88809541,
)


def trivial_factoring(n: int) -> list[int]:
    """The prime factors of ``n`` (>= 2) in ascending order, by trial division: slow on purpose.

    Unlike the talk's version, it stops at the square root of what is left (so a product of two
    primes costs about ``min(p, q) / 2`` divisions) and keeps a last factor above it.
    """
    _validate.integer(n, "n", 2)
    factors = []
    while n % 2 == 0:
        factors.append(2)
        n //= 2
    divisor = 3
    while divisor * divisor <= n:
        while n % divisor == 0:
            factors.append(divisor)
            n //= divisor
        divisor += 2
    if n > 1:
        factors.append(n)
    return factors


def is_prime(n: int) -> bool:
    """True if ``n`` is prime (trial division up to its square root)."""
    _validate.integer(n, "n", 0)
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    return all(n % d for d in range(3, math.isqrt(n) + 1, 2))


def next_prime(n: int) -> int:
    """The smallest prime ``>= n``."""
    _validate.integer(n, "n", 0)
    while not is_prime(n):
        n += 1
    return n


def products(count: int, smaller_factor: int) -> list[int]:
    """``count`` products ``p * q``: ``q`` one of the talk's primes, ``p`` near ``smaller_factor``.

    Each ``p`` is the next prime after ``smaller_factor + 1000 * k`` (k = 0, 1, ...), so all
    tasks cost about the same (``smaller_factor / 2`` divisions each) and no two are equal.
    ``smaller_factor`` must stay below the talk's smallest prime for that to hold.
    """
    _validate.integer(count, "count", 1)
    _validate.integer(smaller_factor, "smaller_factor", 3)
    if smaller_factor + 1000 * count >= min(TALK_PRIMES):
        raise ValueError(
            f"smaller_factor must be well below {min(TALK_PRIMES)}, not {smaller_factor}"
        )
    return [
        next_prime(smaller_factor + 1000 * k) * TALK_PRIMES[k % len(TALK_PRIMES)]
        for k in range(count)
    ]


def cpu_task(n: int) -> int:
    """Pure-Python CPU work of ``n`` loop steps, holding the GIL throughout; returns a checksum."""
    _validate.integer(n, "n", 0)
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def timed_cpu_task(n: int) -> float:
    """Run :func:`cpu_task` and return the CPU seconds *this thread* spent on it.

    At most about 1 core's worth per wall-clock second for threads under the GIL, up to the
    core count for processes.
    """
    start = time.thread_time()
    cpu_task(n)
    return time.thread_time() - start


def cpu_timed(fn: Callable[[Any], Any], arg: Any) -> tuple[Any, float]:
    """``fn(arg)`` and the CPU seconds the calling thread spent on it (``time.thread_time``).

    Picklable with an importable ``fn``, so it runs in process pools too.
    """
    _validate.function(fn)
    start = time.thread_time()
    result = fn(arg)
    return result, time.thread_time() - start


def hash_bytes(megabytes: int) -> str:
    """SHA-256 of ``megabytes`` MB of zero bytes, fed in 4 MB pieces; the hex digest.

    CPU-bound too, but in C: ``hashlib`` releases the GIL while it hashes a buffer larger than
    2 KB, so several threads hash at once, on several cores -- unlike :func:`cpu_task`.
    """
    _validate.integer(megabytes, "megabytes", 1)
    piece = bytes(4 * 2**20)
    digest = hashlib.sha256()
    for _ in range(megabytes // 4):
        digest.update(piece)
    digest.update(piece[: (megabytes % 4) * 2**20])
    return digest.hexdigest()
