"""Memory of a process tree from /proc (Linux): for benchmarks whose work runs in
child processes (forked workers, Spark's JVM and Python workers)."""
from __future__ import annotations

import os


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    kids.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(p))
            except (OSError, IndexError, ValueError):
                continue
    return kids


def tree_pss(pid: int) -> int:
    """Sum of PSS (bytes) of ``pid`` and its descendants (``/proc/*/smaps_rollup``):
    a page shared by fork is split among the processes sharing it, so this is the
    memory really in use (a sum of RSS counts such a page once per process)."""
    kids = _children()
    total, todo = 0, [pid]
    while todo:
        q = todo.pop()
        todo.extend(kids.get(q, []))
        try:
            with open(f"/proc/{q}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total
