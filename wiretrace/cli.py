"""The command line, thin: parse arguments, call the pipeline, render."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .render.safe import visible

err = Console(stderr=True, highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wiretrace")
def main() -> None:
    """wiretrace: where the news comes from."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("analysis.json"),
              show_default=True, help="Where to write analysis.json ('-' for standard output).")
@click.option("--db", type=click.Path(path_type=Path), default=Path("wiretrace.db"), show_default=True,
              help="The SQLite store (corpus and cached stage results).")
@click.option("--all", "all_documents", is_flag=True, help="Analyse every document in the store, not only PATHS.")
@click.option("--sentences", type=click.Choice(["nupunkt", "pysbd", "syntok"]), default="nupunkt", show_default=True,
              help="Sentence splitter: nupunkt (with news corrections) is the fastest and most accurate on news; "
                   "pysbd (the former default) keeps a multi-sentence quotation whole; syntok splits after titles.")
@click.option("--embeddings", is_flag=True, help="Use sentence embeddings for story grouping (extra 'embeddings').")
@click.option("--incremental", is_flag=True,
              help="Join new articles to the stories of the last run instead of regrouping everything "
                   "(faster on big stores, keeps story ids; regroup without it now and then).")
@click.option("--max-bytes", type=int, default=None, help="Largest single article read (default 20 MB).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for the local engine (per document, reuse, framing, signals; default: every CPU available).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Run the stages in this process (with the store) or as Apache Spark jobs (extra 'spark').")
@click.option("--master", default=None, help="Spark master URL (default local[*]; spark-submit's own under it).")
@click.option("--out-format", type=click.Choice(["json", "parquet"]), default="json", show_default=True,
              help="With --engine spark: one analysis.json, or a folder of Parquet tables at --output.")
@click.option("--strict", is_flag=True, help="Stop at the first stage that fails on an article, pair or story "
              "(by default each failure is a problem entry and the run goes on).")
@click.option("--debug", is_flag=True, help="Keep the traceback of every failure in its problem entry and print it.")
@click.option("--field", "field_opts", multiple=True, metavar="NAME=COLUMN",
              help="Read field NAME (id, text, html, url, outlet, published, title, authors) from COLUMN of "
                   "CSV/TSV/JSON/JSONL/Parquet records instead of the recognised names; repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def analyze(paths, output, db, all_documents, sentences, embeddings, incremental, max_bytes, workers, engine,
            master, out_format, strict, debug, field_opts, quiet):
    """Analyse the articles in PATHS (files or folders: .txt, .html, .jsonl, .json, .csv, .tsv, .warc,
    optionally .gz; .parquet)."""
    from .pipeline import Options, RunInfo, analyze as run
    from .render.terminal import print_run_summary, progress_bar

    opts = Options(sentences=sentences, embeddings=embeddings, incremental=incremental, workers=workers,
                   strict=strict, debug=debug)
    if max_bytes:
        opts.max_bytes = max_bytes
    opts.fields = _field_overrides(field_opts)
    if engine == "spark":
        _refuse_local_options(db=db != Path("wiretrace.db"), all=all_documents, incremental=incremental,
                              workers=workers is not None)
        _analyze_spark(paths, output, master, out_format, opts, quiet)
        return
    if out_format != "json":
        raise click.UsageError("--out-format parquet needs --engine spark")
    info = RunInfo()
    with progress_bar(err, disable=quiet) as progress:
        # analysis.json is written with the store's copy, from one encoding of the document
        analysis = run(paths, db=db, all_documents=all_documents, options=opts, progress=progress, info=info,
                       output=output)
    doc = analysis.to_doc()         # for the summary: each element's dict made as it is read
    if not quiet:
        print_run_summary(err, doc, info, None if str(output) == "-" else output)
    if debug:
        for p in info.problems:
            if p.traceback:
                err.print(visible(f"{p}\n{p.traceback}"), markup=False, highlight=False)
    if not analysis.articles:
        err.print("[bold red]No article could be read.[/]")
        sys.exit(1)


def _refuse_local_options(**given: bool) -> None:
    """The Spark engine keeps no store and sizes itself from --master: a local-engine
    option given with it is refused, never silently ignored."""
    named = [f"--{k}" for k, v in given.items() if v]
    if named:
        raise click.UsageError(
            f"{', '.join(named)} {'is an option' if len(named) == 1 else 'are options'} of the local engine; "
            "--engine spark reads PATHS afresh each run and keeps no store (--db, --all, --incremental), "
            "and takes its parallelism from --master (e.g. local[4]), not --workers.")


def _field_overrides(items) -> dict[str, str] | None:
    from .read.fields import FieldError, parse_field_options
    try:
        return parse_field_options(items) or None
    except FieldError as e:
        raise click.BadParameter(str(e), param_hint="--field") from None


def _analyze_spark(paths, output, master, out_format, opts, quiet) -> None:
    import time

    from .spark.engine import analyze_spark

    t0 = time.perf_counter()
    doc = analyze_spark([str(p) for p in paths], master=master, options=opts, out_format=out_format,
                        output=str(output))
    if doc is None:
        if not quiet:
            err.print(visible(f"Parquet tables written to {output} in {time.perf_counter() - t0:.1f} s"),
                      markup=False, highlight=False)
        return
    _write_json(doc, output)
    if not quiet:
        err.print(visible(f"{len(doc['articles'])} articles, {len(doc['stories'])} stories, "
                          f"{len(doc['derivations'])} derivations, {len(doc.get('problems', []))} problems "
                          f"in {time.perf_counter() - t0:.1f} s; written to {output}"), markup=False, highlight=False)
        for p in doc.get("problems", [])[:20]:
            err.print(visible(f"  {p['path']}{':' + str(p['line']) if p.get('line') else ''}: {p['reason']}"),
                      markup=False, highlight=False)
    if not doc["articles"]:
        err.print("[bold red]No article could be read.[/]")
        sys.exit(1)


def _write_json(doc: dict, output: Path) -> None:
    from .render.jsonfile import write_json
    write_json(doc, output)


@main.command()
@click.argument("analysis", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("report.html"), show_default=True)
def report(analysis, output):
    """Write a self-contained HTML report of ANALYSIS (an analysis.json)."""
    from .render.report import render_report

    doc = json.loads(analysis.read_text(encoding="utf-8"))
    output.write_text(render_report(doc), encoding="utf-8")
    err.print(visible(f"report written to {output}"), markup=False, highlight=False)


@main.command()
@click.argument("analysis", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "graphml"]), default="csv", show_default=True,
              help="csv/parquet: one file per table; graphml: the derivation graph of every story.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write into (created if missing).")
def export(analysis, fmt, output):
    """Write the tables of ANALYSIS (an analysis.json) as CSV or Parquet files, or its graph as GraphML:
    articles, derivations, passages, quotes, quote_groups, quote_group_members, stories, storylines,
    framing, signals (the web app's downloads, from the same code)."""
    from .render.tables import export as write_tables

    try:
        doc = json.loads(analysis.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise click.ClickException(f"{analysis} is not an analysis.json: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("articles"), list):
        raise click.ClickException(f"{analysis} is not an analysis.json (no 'articles' list)")
    try:
        files = write_tables(doc, output, fmt)
    except RuntimeError as e:
        raise click.ClickException(str(e)) from None
    err.print(f"{len(files)} file{'s' if len(files) != 1 else ''} written to {output}", markup=False,
              highlight=False)


@main.command()
@click.option("--db", type=click.Path(path_type=Path), default=Path("wiretrace.db"), show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--token", envvar="WIRETRACE_UPLOAD_TOKEN", default=None,
              help="Enable uploads over HTTP, requiring this bearer token.")
def serve(db, host, port, token):
    """Serve the web app over the store DB."""
    from .web.app import serve as run_server

    run_server(db, host, port, token)


@main.command(name="eval")
@click.argument("task", type=click.Choice(["extract", "quotes", "derivations", "stories", "wire"]))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("analysis", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
def evaluate(task, gold, analysis, as_json):
    """Score ANALYSIS against a dev set's GOLD file (see datasets/README.md)."""
    import importlib

    mod = importlib.import_module(f"wiretrace.eval.{task}")
    result = mod.score(gold, analysis)
    if as_json:
        click.echo(json.dumps(result, indent=1, default=str))
    click.echo(mod.summary(result))


if __name__ == "__main__":
    main()
