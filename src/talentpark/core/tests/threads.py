"""Real threads for concurrency tests: ``race`` releases them together and collects what each did."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

# A thread that has not reached the barrier (or finished) by then has hung: the test fails
# instead of waiting for ever. Generous on purpose: a slow CI machine must not fail here.
BARRIER_WAIT = 60  # seconds
JOIN_WAIT = 120  # seconds


def race(threads: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run ``fn(i)`` for ``i`` in ``range(threads)``, each in its own thread (and its own database
    connection, closed at the end), all released together by a barrier. Returns each result, or
    the exception it raised, in thread order."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def work(i: int) -> None:
        try:
            barrier.wait(BARRIER_WAIT)
            results[i] = fn(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(JOIN_WAIT)
    stuck = [i for i, t in enumerate(workers) if t.is_alive()]
    assert not stuck, f"threads {stuck} still running after {JOIN_WAIT} seconds"
    return results
