"""Run the Spark engine as a program (what spark-submit runs on a cluster).

    spark-submit [spark options] wiretrace/spark/__main__.py INPUT... \
        [--out-format json|parquet] [--output PATH] [--sentences nupunkt|pysbd|syntok]
    python -m wiretrace.spark INPUT... --master local[4] --output analysis.json
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="wiretrace.spark")
    ap.add_argument("inputs", nargs="+", help="files or folders (local paths or Hadoop URIs: hdfs://, s3a://)")
    ap.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, else local[*])")
    ap.add_argument("--out-format", choices=["json", "parquet"], default="json")
    ap.add_argument("--output", "-o", default=None, help="analysis.json (json; default stdout) or a folder (parquet)")
    ap.add_argument("--sentences", choices=["nupunkt", "pysbd", "syntok"], default="nupunkt")
    a = ap.parse_args(argv)
    from wiretrace.pipeline import Options
    from wiretrace.spark.engine import analyze_spark

    if a.out_format == "parquet" and not a.output:
        ap.error("--out-format parquet needs --output FOLDER")
    res = analyze_spark(a.inputs, master=a.master, options=Options(sentences=a.sentences),
                        out_format=a.out_format, output=a.output if a.out_format == "parquet" else None)
    if a.out_format == "json":
        text = json.dumps(res, ensure_ascii=False, indent=1)
        if a.output:
            with open(a.output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
