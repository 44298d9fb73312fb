"""The terminal side of a run: a progress bar while it works, a summary after.

Every string that came from the input (problem reasons, paths, ids, titles...)
goes through ``safe_markup``: rich markup in it is escaped, and control
characters never reach the terminal raw (see ``render/safe.py``)."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .safe import visible


def safe_markup(s) -> str:
    """Untrusted text for rich markup: controls made visible, bidi balanced, markup escaped."""
    return escape(visible(s))


@contextmanager
def progress_bar(console: Console, disable: bool = False):
    """Yields a ``progress(stage, done, total)`` callback driving a rich progress bar."""
    if disable:
        yield None
        return
    bar = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console, transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update


def _reason_kind(reason: str) -> str:
    return reason.split(":")[0].split("(")[0].strip()


def print_run_summary(console: Console, analysis: dict, info, output: Path | None) -> None:
    arts = analysis["articles"]
    t = Table.grid(padding=(0, 2))
    t.add_row("articles", f"{len(arts)} analysed ({info.read} read, {info.duplicates} duplicate content, "
                          f"{info.new} new in store, {info.processed} processed, "
                          f"{max(len(arts) - info.processed, 0)} from cache)")
    t.add_row("stories", str(len(analysis["stories"])))
    t.add_row("derivations", f"{len(analysis['derivations'])} "
                             f"({sum(1 for d in analysis['derivations'] if not d['credited'])} uncredited)")
    t.add_row("quote groups", str(len(analysis["quote_groups"])))
    t.add_row("problems", f"{len(info.problems)} (inputs skipped or changed; listed under 'problems')"
              if info.problems else "0")
    t.add_row("time", f"{info.seconds:.1f} s")
    if getattr(info, "store_path", None):
        t.add_row("store", safe_markup(f"{info.store_path} ({info.store_bytes / 2**20:.1f} MB on disk)"))
    if output:
        t.add_row("written", safe_markup(str(output)))
    console.print(t)
    if info.problems:
        kinds = Counter(_reason_kind(p.reason) for p in info.problems)
        console.print("[bold yellow]Problems[/] (" + ", ".join(f"{safe_markup(k)}: {n}" for k, n in kinds.most_common())
                      + ")", highlight=False)
        for p in info.problems[:20]:
            console.print(f"  [yellow]{safe_markup(str(p))}[/]", highlight=False, soft_wrap=True)
        if len(info.problems) > 20:
            console.print(f"  … and {len(info.problems) - 20} more (all listed under 'problems' in the analysis)")
    try:
        from .terminal_stories import story_summary
    except ImportError:
        return
    console.print(story_summary(analysis))
