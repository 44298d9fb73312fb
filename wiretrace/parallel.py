"""Forked worker processes for the local engine's CPU-bound stages.

Workers are forked, so they read the caller's data (set in a module-level dict
before the call) without pickling it; only each task's result travels back.
Results come in task order, so the outcome never depends on the number of
workers.  Where ``fork`` is not available everything runs in this process."""
from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def n_workers(workers: int | None) -> int:
    """Processes to use: ``workers``, or every CPU this process may use when None;
    1 when forking is not available."""
    import multiprocessing as mp
    if workers is None:
        try:
            workers = len(os.sched_getaffinity(0))
        except AttributeError:
            workers = os.cpu_count() or 1
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return 1
    return workers


def chunks(weights: list[int], workers: int) -> list[tuple[int, int]]:
    """Contiguous index ranges of about equal total weight, four per worker
    (neighbouring items often share data: locality); one range without workers."""
    n = len(weights)
    if n == 0:
        return []
    if workers <= 1:
        return [(0, n)]
    target = max(1, -(-sum(weights) // (workers * 4)))
    out, lo, acc = [], 0, 0
    for k, w in enumerate(weights):
        acc += w
        if acc >= target:
            out.append((lo, k + 1))
            lo, acc = k + 1, 0
    if lo < n:
        out.append((lo, n))
    return out


def run(fn: Callable[[T], R], tasks: Iterable[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """``fn`` over ``tasks``, results in task order; in forked workers when ``workers`` > 1."""
    if workers <= 1:
        yield from map(fn, tasks)
        return
    import multiprocessing as mp
    with mp.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(fn, tasks, chunksize)
