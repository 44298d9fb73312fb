"""Seconds and main-process memory at each stage of one `analyze`, in this process.

    .venv/bin/python bench/stage_times.py CORPUS STORE.db

Prints a line when each stage starts (time since start, RSS of this process) and
the peak RSS at the end.  Forked workers are not counted (see bench/procmem.py and
bench/million.py for the whole process tree).  With a store that already holds the
documents, only the corpus stages run again.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wiretrace.pipeline import Options, RunInfo, analyze  # noqa: E402


def rss_mib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    corpus, db = sys.argv[1], sys.argv[2]
    t0 = time.time()
    last = [None]

    def progress(stage: str, done: int, total: int) -> None:
        if stage != last[0] or done == total:
            print(f"{time.time() - t0:8.1f} s  {stage:12} {done}/{total}  rss {rss_mib()} MiB", flush=True)
            last[0] = stage

    info = RunInfo()
    analyze([corpus], db=db, options=Options(), progress=progress, info=info)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{time.time() - t0:8.1f} s  done  rss {rss_mib()} MiB, peak {peak} MiB; "
          f"{info.processed} documents processed, {len(info.problems)} problems", flush=True)


if __name__ == "__main__":
    main()
