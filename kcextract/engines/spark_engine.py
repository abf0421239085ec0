"""The Spark engine (``--engine spark [--master URL]``), through ``DataFrame.mapInArrow``.

``mapInArrow`` works on Spark Connect and on shared (Unity Catalog) Databricks clusters,
where RDD code is not allowed. Documents are sent in waves (``wave`` documents each, so a
killed run loses at most one wave); each wave is cut into few, large partitions, because a
Spark task costs about 0.13 s before it does any work. Python workers are reused, so the
pipeline is built once in each (``load_pipeline`` is cached per process).

With no ``--master``, an active session is used, or the master ``spark-submit --master ...``
set, or Spark Connect's ``SPARK_REMOTE``; failing those, a ``local[jobs]`` session. A
``--master sc://host:15002`` URL connects through Spark Connect.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kcextract.batch import RESULT_SCHEMA, process_batches

# Spark SQL types of RESULT_SCHEMA, in order.
_SPARK_TYPES = {pa.string(): "STRING", pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE",
                pa.int64(): "BIGINT"}  # fmt: skip
RESULT_DDL = ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in RESULT_SCHEMA)


class SparkEngine:
    def __init__(
        self,
        jobs: int,
        use_models: bool,
        config_hash: str,
        master: str | None = None,
        wave: int = 4096,
        docs_per_partition: int = 1024,
    ) -> None:
        self.jobs = max(1, jobs)
        self.use_models = use_models
        self.master = master
        self.wave = wave
        self.docs_per_partition = docs_per_partition
        self.info: dict[str, Any] = {"wave": wave}
        self._spark: Any = None
        self._own = False

    def __enter__(self) -> SparkEngine:
        from pyspark.sql import SparkSession

        # Local Python workers run this interpreter (the one kcextract is installed in).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        active = SparkSession.getActiveSession()
        if active is not None and self.master is None:
            self._spark = active
        else:
            builder = SparkSession.builder.appName("kcextract")
            if self.master and self.master.startswith("sc://"):
                builder = builder.remote(self.master)  # Spark Connect
            elif self.master:
                builder = builder.master(self.master)
            elif not (os.environ.get("SPARK_REMOTE") or os.environ.get("PYSPARK_GATEWAY_PORT")):
                # Not under spark-submit (which sets the master) nor Spark Connect: local mode.
                builder = builder.master(f"local[{self.jobs}]")
            builder = builder.config("spark.ui.enabled", "false")
            builder = builder.config("spark.ui.showConsoleProgress", "false")  # ours is enough
            self._spark = builder.getOrCreate()
            self._own = True
        with contextlib.suppress(Exception):  # no SparkContext on Spark Connect
            self._spark.sparkContext.setLogLevel("ERROR")
        self.info["master"] = self.master or self._conf("spark.master")
        return self

    def _conf(self, key: str) -> str | None:
        try:
            return str(self._spark.conf.get(key))
        except Exception:
            return None

    def __exit__(self, *exc: object) -> None:
        if self._own and self._spark is not None:
            self._spark.stop()

    def imap(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        wave: list[pa.RecordBatch] = []
        size = 0
        for batch in batches:
            wave.append(batch)
            size += pc.sum(batch.column("n_lines")).as_py() or 0
            if size >= self.wave:
                yield from self._run_wave(wave)
                wave, size = [], 0
        if wave:
            yield from self._run_wave(wave)

    def _run_wave(self, wave: list[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = pa.Table.from_batches(wave)
        n, docs = table.num_rows, pc.sum(table.column("n_lines")).as_py() or 0
        parts = max(1, min(n, max(self.jobs, -(-docs // self.docs_per_partition))))
        df = self._spark.createDataFrame(table).repartition(parts)
        fn = functools.partial(process_batches, use_models=self.use_models)
        result = df.mapInArrow(fn, RESULT_DDL).toArrow()
        yield from result.cast(RESULT_SCHEMA).to_batches()
