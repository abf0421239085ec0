"""Engines: thin ways to run :func:`kcextract.batch.process_units` over many batches.

Every engine takes an iterator of ``UNIT_SCHEMA`` batches and yields ``RESULT_SCHEMA`` batches
(in any order) from ``imap``; it is a context manager, and ``info`` says how it ran (for the
manifest). The engines hold no extraction logic: that is all in ``kcextract.batch``.

* ``local``: ``concurrent.futures.ProcessPoolExecutor`` (forkserver, or spawn);
* ``dask``: a ``distributed`` cluster (``LocalCluster`` unless a scheduler address is given);
* ``spark``: ``DataFrame.mapInArrow`` (works on Spark Connect and shared clusters).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any, Protocol

import pyarrow as pa

ENGINES = ("local", "dask", "spark")


class Engine(Protocol):
    info: dict[str, Any]

    def imap(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


def get_engine(name: str, jobs: int, use_models: bool, config_hash: str, **options: Any) -> Engine:
    """The engine called ``name`` (``local``, ``dask`` or ``spark``)."""
    if name == "local":
        from kcextract.engines.local import LocalEngine

        return LocalEngine(jobs, use_models, config_hash, **options)
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    needs = {"dask": "distributed", "spark": "pyspark"}[name]
    if importlib.util.find_spec(needs) is None:
        raise SystemExit(f"kcextract: --engine {name} needs {needs}: "
                         f"pip install 'kcextract[{name}]'")  # fmt: skip
    if name == "dask":
        from kcextract.engines.dask_engine import DaskEngine

        return DaskEngine(jobs, use_models, config_hash, **options)
    from kcextract.engines.spark_engine import SparkEngine

    return SparkEngine(jobs, use_models, config_hash, **options)
