"""Fault isolation: one failing article, pair or story never ends a run.

Every per-document stage and every per-pair and per-story step of the corpus
stages runs through ``attempt``: an exception becomes a ``Problem`` naming the
file and line (or record) of the article, the stage, and the exception's type
and message (with its traceback under ``--debug``); the caller goes on with a
default.  Under ``--strict`` the exception propagates instead, so a developer
sees the first failure where it happened.

Problems found in forked workers travel back with each task's result
(``wiretrace.parallel.run`` carries them), so ``drain`` in the parent sees
them all, in task order.
"""
from __future__ import annotations

import re
import traceback as tb
from dataclasses import dataclass
from typing import Callable, TypeVar

from .model import Problem

T = TypeVar("T")


@dataclass
class Policy:
    strict: bool = False       # re-raise the first failure (debugging)
    debug: bool = False        # keep each failure's traceback in its problem entry


_policy = Policy()
_found: list[Problem] = []


def configure(strict: bool = False, debug: bool = False) -> None:
    """Set the policy of this process (forked workers inherit it)."""
    _policy.strict, _policy.debug = strict, debug


_LINE = re.compile(r"^(.*):(\d+)$")


def split_origin(origin: str | None) -> tuple[str, int | None]:
    """An article's origin ("path" or "path:line") as (path, line)."""
    if not origin:
        return "", None
    m = _LINE.match(origin)
    return (m.group(1), int(m.group(2))) if m else (origin, None)


def failure(stage: str, origin: str | None, exc: BaseException, *, article: str | None = None,
            what: str = "") -> Problem:
    """The problem entry of ``exc`` raised by ``stage`` on an article from ``origin``."""
    path, line = split_origin(origin)
    msg = str(exc).splitlines()[0][:300] if str(exc) else ""
    reason = f"{stage} failed{' on ' + what if what else ''}: {type(exc).__name__}{': ' + msg if msg else ''}"
    return Problem(path, line, reason, stage=stage, article=article, error=type(exc).__name__,
                   traceback="".join(tb.format_exception(exc)) if _policy.debug else None)


class StageTimeout(Exception):
    """A step used more than its CPU budget (``attempt(..., budget=...)``)."""


def attempt(stage: str, fn: Callable[..., T], *args, origin: str | None = None, article: str | None = None,
            what: str = "", default: T = None, into: list[Problem] | None = None,
            budget: float | None = None, **kwargs) -> T:
    """``fn(*args, **kwargs)``; on an exception, a problem entry (in ``into``, or this
    process's list that ``drain`` empties) and ``default``.  ``budget``: CPU seconds
    the call may use (in the main thread of a process; elsewhere no limit) before it
    is stopped with ``StageTimeout``."""
    try:
        with _cpu_budget(budget):
            return fn(*args, **kwargs)
    except Exception as e:          # noqa: BLE001 - isolating every failure is the point
        if _policy.strict:
            raise
        (into if into is not None else _found).append(
            failure(stage, origin, e, article=article, what=what))
        return default


REFIRE = 0.2   # CPU seconds between repeated timeouts; small against the 10 s budget


class _cpu_budget:
    """Raise ``StageTimeout`` in this thread after ``seconds`` of this process's CPU
    time (``ITIMER_PROF``: a loaded machine does not shorten the budget)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.old = None

    def __enter__(self):
        import signal
        import threading
        if not self.seconds or threading.current_thread() is not threading.main_thread() \
                or not hasattr(signal, "setitimer"):
            self.seconds = None
            return self
        limit = self.seconds

        def expired(signum, frame):
            raise StageTimeout(f"stopped after {limit:g} s of CPU time (the budget of one step)")

        self.old = signal.signal(signal.SIGPROF, expired)
        # Re-fire every REFIRE seconds until __exit__ disarms: a signal that lands while
        # Python runs a finalizer (a weakref callback, __del__) raises there, where the
        # exception is printed and dropped, and the step would otherwise run on unbounded.
        signal.setitimer(signal.ITIMER_PROF, self.seconds, REFIRE)
        return self

    def __exit__(self, *exc):
        if self.seconds:
            import signal
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.old or signal.SIG_DFL)
        return False


def record(problem: Problem) -> None:
    """Add a problem found elsewhere (a dead worker) to this process's list."""
    _found.append(problem)


def drain() -> list[Problem]:
    """The problems recorded in this process since the last drain, in order."""
    out = list(_found)
    _found.clear()
    return out
