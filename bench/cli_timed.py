"""``wiretrace`` run as its own CLI, with the time each stage started written to a file.

    PYTHONPATH=TREE python bench/cli_timed.py TIMES.json analyze CORPUS --db DB -o OUT -q

Runs the CLI of whichever wiretrace ``PYTHONPATH`` gives (this file adds nothing to
the path), so a previous release is timed by its own code.  The CLI's progress
callback (``render.terminal.progress_bar``, which the local engine calls as each
stage starts and advances; ``-q`` only hides the bar) is replaced by one that notes
when each stage is first seen; TIMES.json gets ``{"stages": [[name, seconds since
start], ...], "end": seconds}``.  Reading the inputs comes before the first stage
("articles"); the end includes writing analysis.json.
"""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager


def main() -> None:
    out, argv = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    seen: list[list] = []

    @contextmanager
    def timed_progress(console, disable: bool = False):
        def note(stage: str, done: int, total: int) -> None:
            if not seen or seen[-1][0] != stage:
                seen.append([stage, round(time.perf_counter() - t0, 2)])
        yield note

    import wiretrace.render.terminal as terminal
    terminal.progress_bar = timed_progress
    from wiretrace.cli import main as cli_main
    code = 0
    try:
        cli_main(argv, standalone_mode=False)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"stages": seen, "end": round(time.perf_counter() - t0, 2)}, f)
    sys.exit(code)


if __name__ == "__main__":
    main()
