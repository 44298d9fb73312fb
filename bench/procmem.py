"""Memory of a process tree from /proc (Linux): for benchmarks whose work runs in
child processes (forked workers, Spark's JVM and Python workers)."""
from __future__ import annotations

import os
import subprocess
import threading
import time


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


def run_measured(cmd: list[str], sample: float, env: dict | None = None,
                 cwd=None) -> tuple[int, float, int, str]:
    """Run ``cmd`` (stdout discarded): (exit code, wall seconds, peak PSS bytes of its
    process tree sampled every ``sample`` seconds, stderr).  Reading smaps_rollup of
    GB-sized processes costs CPU: sample every second or two, not faster."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peak = [0]

    def watch():
        while p.poll() is None:
            try:
                peak[0] = max(peak[0], tree_pss(p.pid))
            except OSError:
                pass
            time.sleep(sample)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    _, err = p.communicate()
    secs = time.perf_counter() - t0
    th.join()
    return p.returncode, secs, peak[0], err
