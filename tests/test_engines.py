"""The engines are thin: local processes, Dask and Spark give the same rows for the same batch.

Dask runs on a ``LocalCluster`` and Spark in ``local[2]`` mode; each test skips when its
extra is not installed (``pip install -e '.[test]'`` installs both).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter

import pytest
from batch_common import hook_env, make_corpus, run_cli

from kcextract import batch
from kcextract.batch import RESULT_SCHEMA, WORKER_DIED
from kcextract.engines import get_engine
from kcextract.engines.local import LocalEngine
from kcextract.runner import RunOptions, run, unit_batches


def _doc_batches(corpus, size: int):
    return unit_batches([corpus], size, batch.pipeline_version())


def _rows(results) -> dict[str, tuple]:
    out = {}
    for rb in results:
        assert rb.schema == RESULT_SCHEMA
        for r in rb.to_pylist():
            out[r["key"]] = (
                r["status"],
                r["unit"],
                r["position"],
                r["record"],
                r["error_code"],
                r["config_hash"],
            )
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus"), 12, dump_lines=6)


@pytest.fixture(scope="module")
def expected(corpus):
    """Rows computed in this process, with no engine at all."""
    return _rows(batch.process_units(b) for b in _doc_batches(corpus, 5))


@pytest.mark.parametrize("jobs", [1, 2])
def test_engines_local_gives_the_in_process_rows(corpus, expected, jobs):
    with LocalEngine(jobs, True, batch.pipeline_version()) as eng:
        got = _rows(eng.imap(iter(_doc_batches(corpus, 5))))
    assert got == expected
    assert eng.info["start_method"] in ("forkserver", "spawn")


def test_engines_local_a_worker_that_dies_costs_one_reject_and_the_run_goes_on(
    tmp_path, monkeypatch
):
    corpus = make_corpus(tmp_path / "c", 7)
    (corpus / "south" / "crash-1.txt").write_text("Tiêu đề\nNội dung.\n", encoding="utf-8")
    env = hook_env(tmp_path)
    for key in ("PYTHONPATH", "KC_TEST_HOOK", "KC_TEST_DELAY"):
        monkeypatch.setenv(key, env[key])
    with LocalEngine(2, True, "cfg", start_method="spawn") as eng:
        got = [r for rb in eng.imap(iter(_doc_batches(corpus, 4))) for r in rb.to_pylist()]
    assert len(got) == 8
    assert sum(r["status"] == "ok" for r in got) == 7
    dead = [r for r in got if r["status"] != "ok"]
    assert [(r["path"], r["error_code"], r["error_message"]) for r in dead] == [
        (str(corpus / "south" / "crash-1.txt"), "KC-E100", WORKER_DIED)]  # fmt: skip
    assert eng.info["restarts"] >= 1


def test_engines_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("ray", 2, True, "cfg")


def test_engines_dask_local_cluster_gives_the_same_rows(corpus, expected):
    pytest.importorskip("distributed")
    with get_engine("dask", 2, True, "cfg") as eng:
        got = _rows(eng.imap(iter(_doc_batches(corpus, 5))))
    assert got == expected
    assert eng.info["workers"] == 2


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_engines_spark_local_gives_the_same_rows(corpus, expected, monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    with get_engine("spark", 2, True, "cfg", master="local[2]", wave=8) as eng:
        got = _rows(eng.imap(iter(_doc_batches(corpus, 5))))
    assert got == expected
    assert eng.info["master"] == "local[2]"


@pytest.mark.parametrize("engine", ["local", "dask", "spark"])
def test_engines_kcextract_run_writes_the_same_records_on_every_engine(corpus, tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    if engine == "spark":
        pytest.importorskip("pyspark")
        if shutil.which("java") is None:
            pytest.skip("Spark needs Java")
    out = tmp_path / engine
    res = run([str(corpus)], RunOptions(out=out, engine=engine, jobs=2,
                                                     batch_size=5, report=False))  # fmt: skip
    assert res.records + res.rejects == res.inputs == 18
    ref = tmp_path / "ref"
    run([str(corpus)], RunOptions(out=ref, jobs=1, report=False))
    assert (out / "records.jsonl").read_bytes() == (ref / "records.jsonl").read_bytes()


def test_engines_each_worker_builds_the_pipeline_once(tmp_path):
    corpus = make_corpus(tmp_path / "c", 24, dump_lines=8)
    env = hook_env(tmp_path)
    env["KC_TEST_LOADS"] = str(tmp_path / "loads.txt")
    res = run_cli(["run", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "2",
                   "--batch-size", "2", "--no-report", "--quiet"], env=env)  # fmt: skip
    assert res.returncode == 0, res.stderr
    man = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    workers = {int(w.rsplit(":", 1)[1]) for w in man["workers"]["peak_rss_kb"]}
    loads = Counter(int(x) for x in (tmp_path / "loads.txt").read_text().split())
    assert len(workers) == 2  # 16 batches went to two processes...
    assert all(loads[pid] == 1 for pid in workers)  # ...which built the pipeline once each
    assert max(loads.values()) == 1
