"""Forked worker processes for the local engine's CPU-bound stages.

Workers are forked, so they read the caller's data (set in a module-level dict
before the call) without pickling it; only each task's result travels back.
Results come in task order, so the outcome never depends on the number of
workers.  Where ``fork`` is not available everything runs in this process."""
from __future__ import annotations

import gc
import os
from functools import partial
from itertools import islice
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


def chunks(weights: list[int], workers: int, cap: int | None = None) -> list[tuple[int, int]]:
    """Contiguous index ranges of about equal total weight, four per worker
    (neighbouring items often share data: locality), each of at most ``cap`` weight
    when given (a task's data and results are held at once); one range without workers."""
    n = len(weights)
    if n == 0:
        return []
    if workers <= 1:
        return [(0, n)]
    target = max(1, -(-sum(weights) // (workers * 4)))
    if cap:
        target = max(1, min(target, cap))
    out, lo, acc = [], 0, 0
    for k, w in enumerate(weights):
        acc += w
        if acc >= target:
            out.append((lo, k + 1))
            lo, acc = k + 1, 0
    if lo < n:
        out.append((lo, n))
    return out


_NO_SHARED = object()
#: In a worker process: the ``shared`` value of the run it serves (set when the
#: worker starts; the parent's copy of it is never pickled).
_SHARED = None


def run(fn: Callable[..., R], tasks: Iterable[T], workers: int, chunksize: int = 1,
        describe: Callable[[T], tuple[str, str | None]] | None = None, shared: object = _NO_SHARED,
        fresh: bool = False) -> Iterator[R]:
    """``fn`` over ``tasks``, results in task order; in forked workers when ``workers`` > 1.

    With ``shared``, each call is ``fn(shared, task)``: what every task reads (the
    articles, an index) reaches the forked workers as the pool starts them, by
    inheritance, never pickled; only each task and its result travel.  (No module
    keeps a job dict for its workers: the executor hands the data over.)

    Problems that ``wiretrace.guard`` records inside a worker come back with the
    task's result and are recorded in this process, in task order.  A worker that
    dies (killed, out of memory) loses the tasks it was running: each task then in
    flight gets a problem entry (``describe(task)`` gives its origin and article)
    and is run once more here, in this process, under the same guards; the rest
    go on in a new pool.

    ``fresh``: each task in a process forked for it alone, which ends with it (for
    a few large tasks over a large ``shared``).  A long-lived worker copies every
    inherited page it touches (reading an object writes its reference count), so
    over a corpus step it ends up holding its own copy of most of what it read;
    a process per task holds only what its task touched (bench/README, "Memory of
    the forked workers")."""
    with_shared = shared is not _NO_SHARED
    call = partial(fn, shared) if with_shared else fn
    if workers <= 1:
        yield from map(call, tasks)
        return
    if fresh:
        yield from _run_fresh(fn, tasks, workers, describe, shared if with_shared else None, with_shared)
        return
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from . import guard

    it = iter(tasks)
    window = workers * 4                  # chunks in flight: bounded memory, workers kept busy

    def new_pool():
        return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_start_worker,
                                   initargs=(os.getpid(), shared if with_shared else None))

    # What the workers inherit is frozen out of the cyclic collector: a full collection
    # in a worker writes to the header of every object it tracks, so each worker
    # would copy every inherited page that holds one (realistic 10k corpus: peak PSS
    # 752 -> 690 MiB, the analysis identical; bench/README "Memory of the forked workers").
    gc.freeze()
    pool = new_pool()
    inflight: deque = deque()
    try:
        while True:
            while len(inflight) < window:
                chunk = list(islice(it, max(1, chunksize)))
                if not chunk:
                    break
                try:
                    inflight.append((chunk, pool.submit(_run_chunk, fn, chunk, with_shared)))
                except BrokenProcessPool:       # a worker died since the last result
                    inflight.append((chunk, None))
                    break
            if not inflight:
                break
            chunk, fut = inflight.popleft()
            try:
                if fut is None:
                    raise BrokenProcessPool("the pool broke before this task was sent")
                results, problems = fut.result()
            except BrokenProcessPool:
                # this chunk and every other one in flight were lost with the pool
                lost = [chunk] + [c for c, _ in inflight]
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                yield from _retry_here(call, [t for c in lost for t in c], describe)
                continue
            for p in problems:
                guard.record(p)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _run_fresh(fn, tasks: Iterable, workers: int, describe, shared, with_shared: bool) -> Iterator:
    """``run(..., fresh=True)``: at most ``workers`` forked processes at once, one per
    task; results in task order (at most ``workers * 4`` tasks ahead of the next one
    to give back are started)."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from . import guard

    ctx = mp.get_context("fork")
    it = iter(tasks)
    running: dict = {}                  # reader end -> (index, task, process)
    done: dict[int, tuple] = {}         # index -> (answered, results or the task, problems)
    started = next_out = 0
    exhausted = False
    gc.freeze()                         # as in ``run``: no collection writes to inherited objects
    try:
        while True:
            while not exhausted and len(running) < workers and started - next_out < workers * 4:
                task = next(it, _NO_SHARED)
                if task is _NO_SHARED:
                    exhausted = True
                    break
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_fresh_child, args=(w, os.getpid(), fn, task, shared, with_shared),
                                daemon=True)
                p.start()
                w.close()
                running[r] = (started, task, p)
                started += 1
            if not running:             # every task started has been given back
                break
            for r in wait(list(running)):
                i, task, p = running.pop(r)
                try:
                    ok, answer = r.recv()
                except (EOFError, OSError):             # the process died before it answered
                    done[i] = (False, task, [])
                else:
                    if not ok:                          # the task raised: as ``run`` would, here
                        raise answer
                    done[i] = (True, *answer)
                r.close()
                p.join()
            while next_out in done:
                answered, value, problems = done.pop(next_out)
                next_out += 1
                if answered:
                    for pr in problems:
                        guard.record(pr)
                    yield from value
                else:
                    yield from _retry_here(partial(fn, shared) if with_shared else fn, [value], describe)
    finally:
        for _, _, p in running.values():
            p.kill()
            p.join()
        gc.unfreeze()


def _fresh_child(conn, parent: int, fn, task, shared, with_shared: bool) -> None:
    global _SHARED
    _SHARED = shared
    _die_with_parent(parent)
    try:
        answer = (True, _run_chunk(fn, [task], with_shared))
    except BaseException as e:          # given back to be raised in the caller, as a pool does
        answer = (False, e)
    try:
        conn.send(answer)
    except Exception as e:              # an exception that does not pickle
        conn.send((False, RuntimeError(f"{type(e).__name__} in a worker: {e}")))
    conn.close()


def _retry_here(call, tasks, describe) -> Iterator:
    """Tasks lost with a dead worker: each gets a problem entry and is run once
    more in this process (under the same guards), in task order."""
    from . import guard
    from .model import Problem
    for t in tasks:
        origin, article = describe(t) if describe else ("", None)
        path, line = guard.split_origin(origin)
        guard.record(Problem(
            path, line, "a worker process died (killed or out of memory) while this was in "
            "progress; retried once in the main process", stage="worker", article=article,
            error="BrokenProcessPool"))
        yield call(t)


def _start_worker(parent: int, shared: object) -> None:
    global _SHARED
    _SHARED = shared
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """In a worker: end when the process that started it ends (killed with -9, say),
    instead of waiting for work for ever (Linux; elsewhere nothing)."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)            # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:                   # the parent died before the call above
        os._exit(1)


def _run_chunk(fn, chunk, with_shared: bool):
    from . import guard
    guard.drain()                            # nothing left over from an earlier task of this worker
    call = partial(fn, _SHARED) if with_shared else fn
    results = [call(t) for t in chunk]
    return results, guard.drain()
