import os

import pytest


@pytest.fixture(scope="session")
def spark():
    """One real local[2] session for every Spark test."""
    pytest.importorskip("pyspark")
    from wiretrace.spark.session import spark_session

    os.environ.setdefault("WIRETRACE_SPARK_PARTITIONS", "4")
    s = spark_session("local[2]", app="wiretrace-tests")
    yield s
    s.stop()
