"""The local engine: worker processes on this machine (``--jobs N``).

``ProcessPoolExecutor`` with the ``forkserver`` start method (``spawn`` where there is no
forkserver): a worker that dies raises ``BrokenProcessPool`` at once, where
``multiprocessing.Pool`` was seen to hang. Each worker builds the pipeline once, in its
initializer. When a worker dies, the batches it may have been running are retried alone,
split down to single files or dump lines (``batch.isolate``), in a fresh pool; an input that
kills a worker on its own becomes a reject.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pyarrow as pa

from kcextract.batch import failed_rows, isolate, process_units


def _warm(use_models: bool) -> None:
    from kcextract.pipeline import load_pipeline

    load_pipeline(use_models)


class LocalEngine:
    """``jobs`` worker processes; at most ``2 * jobs`` batches in flight."""

    def __init__(
        self, jobs: int, use_models: bool, config_hash: str, start_method: str | None = None
    ) -> None:
        self.jobs = max(1, jobs)
        self.use_models = use_models
        self.config_hash = config_hash
        methods = mp.get_all_start_methods()
        self.start_method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        self.info: dict[str, Any] = {"start_method": self.start_method, "restarts": 0}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self._shutdown()

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = mp.get_context(self.start_method)
        if self.start_method == "forkserver":
            # Imported once in the fork server, so each worker starts with them loaded.
            ctx.set_forkserver_preload(["kcextract.batch", "kcextract.pipeline"])
        return ProcessPoolExecutor(
            self.jobs, mp_context=ctx, initializer=_warm, initargs=(self.use_models,)
        )

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _limit(self, todo: deque[tuple[pa.RecordBatch, bool]], running: dict[Any, Any]) -> int:
        # A document retried alone runs alone, so a second death names it for certain.
        if (todo and todo[0][1]) or any(iso for _, iso in running.values()):
            return 1
        return 2 * self.jobs

    def imap(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        todo: deque[tuple[pa.RecordBatch, bool]] = deque()  # (batch, isolated)
        source = iter(batches)
        exhausted = False
        running: dict[Future[pa.RecordBatch], tuple[pa.RecordBatch, bool]] = {}
        self._pool = self._new_pool()
        while True:
            while len(running) < self._limit(todo, running):
                if not todo and not exhausted:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                    else:
                        todo.append((nxt, False))
                if not todo:
                    break
                batch, isolated = todo.popleft()
                running[self._pool.submit(process_units, batch, self.use_models)] = (
                    batch,
                    isolated,
                )
            if not running:
                return
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            broken: list[tuple[pa.RecordBatch, bool]] = []
            for fut in finished:
                batch, isolated = running.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken.append((batch, isolated))
            if broken:
                # Every batch still running went down with the pool: retry them, alone.
                for fut, job in running.items():
                    if fut.done() and fut.exception() is None:
                        yield fut.result()
                    else:
                        broken.append(job)
                running.clear()
                self._shutdown()
                self.info["restarts"] += 1
                for batch, isolated in broken:
                    smaller = isolate(batch)
                    if isolated and smaller is None:
                        yield failed_rows(batch)
                    else:
                        todo.extendleft((b, True) for b in reversed(smaller or [batch]))
                self._pool = self._new_pool()
