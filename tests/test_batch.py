"""The engine-free core and the driver of ``kcextract run``: schema, rejects, resume."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import time
from pathlib import Path

import pyarrow as pa
import pytest
from batch_common import hook_env, make_corpus, popen_cli, run_cli

from kcextract import batch
from kcextract.batch import (
    DOC_SCHEMA,
    RESULT_SCHEMA,
    Item,
    ResultStore,
    RunOptions,
    atomic_write,
    process_batch,
    scan_inputs,
    to_doc_batch,
)
from kcextract.ingest import document_from_text
from kcextract.schema import RecordOut


class FakePipe:
    """A pipeline that fails on ``boom*`` documents (stands in for a real extractor bug)."""

    config_hash = "fake0001"

    def __call__(self, doc):
        if doc.doc_id.startswith("boom"):
            raise ValueError("made-up failure")
        return RecordOut(doc_id=doc.doc_id, title=doc.title)


def _batch(doc_ids: list[str]) -> pa.RecordBatch:
    items = []
    for d in doc_ids:
        doc = document_from_text(f"Tiêu đề {d}\nNội dung.", d, f"/x/{d}.txt")
        items.append(Item(batch.doc_key(f"/x/{d}.txt", d), f"/x/{d}.txt", d,
                          batch.content_hash(doc.raw), doc))  # fmt: skip
    return to_doc_batch(items)


# fmt: off
CORE_CASES = [
    # doc ids in the batch            ok per row                 reject codes
    (["a", "b"],                      [True, True],              [None, None]),
    (["a", "boom-1", "c"],            [True, False, True],       [None, "KC-E100", None]),
    (["boom-1", "boom-2"],            [False, False],            ["KC-E100", "KC-E100"]),
    ([],                              [],                        []),
]
# fmt: on


@pytest.mark.parametrize(("doc_ids", "oks", "codes"), CORE_CASES, ids=lambda x: str(x))
def test_batch_process_batch_never_raises_for_one_document(monkeypatch, doc_ids, oks, codes):
    monkeypatch.setattr("kcextract.pipeline.load_pipeline", lambda use_models=True: FakePipe())
    out = process_batch(_batch(doc_ids))
    assert out.schema == RESULT_SCHEMA
    assert out.column("doc_id").to_pylist() == doc_ids
    assert out.column("ok").to_pylist() == oks
    assert out.column("error_code").to_pylist() == codes
    for rec, ok in zip(out.column("record").to_pylist(), oks, strict=True):
        assert (rec is not None) == ok
        if ok:
            assert RecordOut.model_validate_json(rec).doc_id in doc_ids


def test_batch_process_batch_rejects_an_unreadable_payload(monkeypatch):
    monkeypatch.setattr("kcextract.pipeline.load_pipeline", lambda use_models=True: FakePipe())
    good = _batch(["a"]).to_pydict()
    good["document"] = [b"not a pickle"]
    out = process_batch(pa.RecordBatch.from_pydict(good, schema=DOC_SCHEMA))
    assert out.column("ok").to_pylist() == [False]
    assert out.column("error_code").to_pylist() == ["KC-E100"]


def test_batch_documents_survive_the_trip_through_arrow():
    doc = document_from_text("Tiêu đề\nHỗ trợ 300 triệu đồng.", "d1", "/x/d1.txt")
    rb = to_doc_batch([Item("k", "/x/d1.txt", "d1", batch.content_hash(doc.raw), doc)])
    back = pickle.loads(rb.column("document")[0].as_py())
    assert (back.raw, back.text, back.raw_span(8, 11)) == (doc.raw, doc.text, doc.raw_span(8, 11))


def test_batch_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "records.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half a new fi")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl"]


def test_batch_result_store_later_parts_win_and_compaction_keeps_them(tmp_path, monkeypatch):
    monkeypatch.setattr("kcextract.pipeline.load_pipeline", lambda use_models=True: FakePipe())
    store = ResultStore(tmp_path)
    store.append(process_batch(_batch(["a", "b"])))
    second = process_batch(_batch(["b"])).to_pydict()
    second["seconds"] = [99.0]
    store.append(pa.RecordBatch.from_pydict(second, schema=RESULT_SCHEMA))
    (store.dir / ".part-00000009.arrow.tmp-1").write_bytes(b"half")  # left by a killed run
    store = ResultStore(tmp_path)
    assert not list(store.dir.glob(".*"))
    rows = store.load()
    assert rows[batch.doc_key("/x/b.txt", "b")]["seconds"] == 99.0
    store.compact({batch.doc_key("/x/b.txt", "b")})
    assert len(list(store.dir.glob("part-*.arrow"))) == 1
    assert list(store.load()) == [batch.doc_key("/x/b.txt", "b")]


def test_batch_scan_inputs_accounts_for_missing_paths(tmp_path):
    make_corpus(tmp_path / "c", 3)
    items = list(scan_inputs([str(tmp_path / "c"), str(tmp_path / "nowhere")]))
    assert [it.reject.code for it in items if it.reject] == ["KC-E001"]
    docs = [it for it in items if it.doc is not None]
    assert len(docs) == 3
    assert len({it.key for it in items}) == len(items)
    assert all(it.content_hash == batch.content_hash(it.doc.raw) for it in docs)


def test_batch_scan_inputs_keeps_repeated_ids_of_a_dump_apart(tmp_path):
    row = {"id": "same", "title": "Tiêu đề", "text": "Tiêu đề\nNội dung giống nhau."}
    (tmp_path / "dump.jsonl").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for _ in range(3)) + "\n", encoding="utf-8"
    )
    items = [it for it in scan_inputs([str(tmp_path / "dump.jsonl")]) if it.doc is not None]
    assert len(items) == 3
    assert len({it.key for it in items}) == 3


def _run(paths, out, **kw):
    return batch.run([str(p) for p in paths], RunOptions(out=out, **kw))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_batch_run_accounts_for_every_input_and_resumes(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 6, dump_lines=4)
    out = tmp_path / "out"
    first = _run([corpus, tmp_path / "missing.txt"], out, jobs=1, batch_size=3)
    first_records = _lines(out / "records.jsonl")
    assert first.records + first.rejects == first.inputs == 11
    assert len(_lines(out / "records.jsonl")) == first.records
    assert len(_lines(out / "rejects.jsonl")) == first.rejects
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["counts"]["inputs"] == 11
    assert man["config_hash"]
    files = [f for inp in man["inputs"] for f in inp["files"]]
    assert sum(f["documents"] for f in files) == 10  # the missing path has no file
    assert all(len(f["sha256"]) == 64 for f in files)
    assert (out / "tables" / "amounts.parquet").exists()
    assert (out / "report.html").exists()

    again = _run([corpus, tmp_path / "missing.txt"], out, jobs=1, batch_size=3)
    assert (again.skipped, again.processed) == (10, 0)
    assert _lines(out / "records.jsonl") == first_records

    edited = corpus / "north" / "art-001.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Thêm một câu.\n", encoding="utf-8")
    third = _run([corpus, tmp_path / "missing.txt"], out, jobs=1, batch_size=3)
    assert (third.skipped, third.processed) == (9, 1)

    forced = _run([corpus, tmp_path / "missing.txt"], out, jobs=1, batch_size=3, force=True)
    assert (forced.skipped, forced.processed) == (0, 10)


def test_batch_run_a_failing_document_is_a_reject_and_the_run_goes_on(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 4)
    (corpus / "south" / "boom-1.txt").write_text("Tiêu đề\nNội dung.\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run_cli(["run", str(corpus), "--out", str(out), "--jobs", "1", "--no-report"],
                  env=hook_env(tmp_path))  # fmt: skip
    assert res.returncode == 0, res.stderr
    rejects = [json.loads(x) for x in _lines(out / "rejects.jsonl")]
    assert [(r["doc_id"], r["code"]) for r in rejects] == [("boom-1", "KC-E100")]
    assert "made-up pipeline failure" in rejects[0]["message"]
    assert rejects[0]["path"].endswith("boom-1.txt")
    assert len(_lines(out / "records.jsonl")) == 4


def test_batch_sigkill_half_way_then_rerun_gives_the_uninterrupted_records(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 60, dump_lines=20)
    ref, out = tmp_path / "ref", tmp_path / "out"
    args = ["--jobs", "2", "--batch-size", "4", "--no-report", "--quiet"]
    done = run_cli(["run", str(corpus), "--out", str(ref), *args])
    assert done.returncode == 0, done.stderr

    proc = popen_cli(["run", str(corpus), "--out", str(out), *args],
                     env=hook_env(tmp_path, delay=0.05))  # fmt: skip
    parts = out / ".kcextract" / "parts"
    deadline = time.monotonic() + 120
    while len(list(parts.glob("part-*.arrow"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # the driver only, as a real kill would
    proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):  # workers left behind by this test's child
        os.killpg(proc.pid, signal.SIGKILL)
    assert not (out / "records.jsonl").exists()
    stored = len(ResultStore(out).load())
    assert 0 < stored < 80

    rerun = run_cli(["run", str(corpus), "--out", str(out), *args])
    assert rerun.returncode == 0, rerun.stderr
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["counts"]["skipped_resumed"] == stored
    assert man["counts"]["processed"] == 80 - stored
    assert (out / "records.jsonl").read_bytes() == (ref / "records.jsonl").read_bytes()
    assert (out / "rejects.jsonl").read_bytes() == (ref / "rejects.jsonl").read_bytes()
    for name in ("amounts", "organizations", "programmes", "documents"):
        assert (out / "tables" / f"{name}.csv").read_bytes() == (
            ref / "tables" / f"{name}.csv").read_bytes()  # fmt: skip
