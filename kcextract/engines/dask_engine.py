"""The Dask engine (``--engine dask [--scheduler ADDRESS]``), for teams without Spark.

With no address it starts a ``distributed.LocalCluster`` of ``jobs`` single-threaded worker
processes; with one it joins that cluster (the workers need kcextract installed). Batches go
out as tasks of :func:`kcextract.batch.process_units`; the pipeline is built once in each
worker process, on its first batch. At most two batches per worker thread are in flight,
so the documents are read no faster than the cluster runs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from kcextract.batch import process_units


class DaskEngine:
    def __init__(
        self, jobs: int, use_models: bool, config_hash: str, scheduler: str | None = None
    ) -> None:
        self.jobs = max(1, jobs)
        self.use_models = use_models
        self.scheduler = scheduler
        self.info: dict[str, Any] = {"scheduler": scheduler or "LocalCluster"}
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=self.jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        self.info["workers"] = len(self._client.scheduler_info()["workers"])
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def imap(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from distributed import as_completed

        threads = sum(self._client.nthreads().values()) or self.jobs
        source = iter(batches)
        running = as_completed()
        for batch in source:
            running.add(self._submit(batch))
            if running.count() >= 2 * threads:
                break
        for fut in running:
            yield fut.result()
            nxt = next(source, None)
            if nxt is not None:
                running.add(self._submit(nxt))

    def _submit(self, batch: pa.RecordBatch) -> Any:
        # pure=False: the same batch sent twice (a forced re-run) is run again.
        return self._client.submit(process_units, batch, self.use_models, pure=False)
