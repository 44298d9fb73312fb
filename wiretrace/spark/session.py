"""Starting a Spark session for wiretrace (pyspark is the 'spark' extra)."""
from __future__ import annotations

import os
import sys


def spark_session(master: str | None = None, app: str = "wiretrace"):
    """A session on ``master`` (else $WIRETRACE_SPARK_MASTER, else the one
    spark-submit was given, else ``local[*]``).  Local sessions bind to 127.0.0.1."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:  # pragma: no cover - depends on the install
        raise SystemExit("the Spark engine needs the 'spark' extra: pip install 'wiretrace[spark]'") from e
    master = master or os.environ.get("WIRETRACE_SPARK_MASTER")
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ      # launched by spark-submit: it set the master
    b = (SparkSession.builder.appName(app)
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", os.environ.get("WIRETRACE_SPARK_PARTITIONS", "8"))
         .config("spark.python.worker.reuse", "true"))
    if master or not under_submit:
        master = master or "local[*]"
        b = b.master(master)
    if master and master.startswith("local"):
        # A local session talks to itself only: bind to loopback, never a public interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # the executors' Python is the driver's (the same installed packages)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        # local mode: the executors live in the driver's JVM; the 1g default makes
        # cached stages spill and recompute (10k articles: derivations 518 s)
        b = b.config("spark.driver.memory", os.environ.get("WIRETRACE_SPARK_DRIVER_MEMORY", "4g"))
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
