"""Starting a Spark session for wiretrace (pyspark is the 'spark' extra)."""
from __future__ import annotations

import os


def spark_session(master: str | None = None, app: str = "wiretrace"):
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:  # pragma: no cover - depends on the install
        raise SystemExit("the Spark engine needs the 'spark' extra: pip install 'wiretrace[spark]'") from e
    master = master or os.environ.get("WIRETRACE_SPARK_MASTER") or "local[*]"
    b = (SparkSession.builder.master(master).appName(app)
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", os.environ.get("WIRETRACE_SPARK_PARTITIONS", "8"))
         .config("spark.python.worker.reuse", "true"))
    if master.startswith("local"):
        # A local session talks to itself only: bind to loopback, never a public interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
