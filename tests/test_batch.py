"""The engine-free core and the driver of ``kcextract run``: schema, rejects, resume."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import time
from pathlib import Path

import pyarrow as pa
import pytest
from batch_common import hook_env, make_corpus, popen_cli, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from kcextract import batch
from kcextract.batch import (
    RESULT_SCHEMA,
    UNIT_SCHEMA,
    ResultStore,
    atomic_write,
    isolate,
    process_units,
)
from kcextract.ingest import read_path
from kcextract.progress import Progress
from kcextract.runner import RunOptions, unit_batches
from kcextract.runner import run as run_batch
from kcextract.schema import RecordOut


class FakePipe:
    """A pipeline that fails on ``boom*`` documents (stands in for a real extractor bug)."""

    config_hash = "fake0001"

    def __call__(self, doc):
        if doc.doc_id.startswith("boom"):
            raise ValueError("made-up failure")
        return RecordOut(doc_id=doc.doc_id, title=doc.title)


@pytest.fixture
def fake_pipe(monkeypatch):
    monkeypatch.setattr("kcextract.pipeline.load_pipeline", lambda use_models=True: FakePipe())
    monkeypatch.setattr("kcextract.batch.pipeline_version", lambda use_models=True: "fake0001")


def _files(tmp_path, names: list[str]) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name in names:
        (root / f"{name}.txt").write_text(f"Tiêu đề {name}\nNội dung bài {name}.\n", "utf-8")
    return root


def _rows(batches) -> list[dict]:
    out = []
    for b in batches:
        res = process_units(b)
        assert res.schema == RESULT_SCHEMA
        out += res.to_pylist()
    return out


# fmt: off
CORE_CASES = [
    # files in the folder                status per row (files in walk order)   reject codes
    (["a", "b"],                         ["ok", "ok"],                          [None, None]),
    (["a", "boom-1", "c"],               ["ok", "reject", "ok"],                [None, "KC-E100", None]),
    (["boom-1", "boom-2"],               ["reject", "reject"],                  ["KC-E100", "KC-E100"]),
]
# fmt: on


@pytest.mark.parametrize(("names", "statuses", "codes"), CORE_CASES, ids=lambda x: str(x))
def test_batch_process_units_never_raises_for_one_document(tmp_path, fake_pipe, names, statuses,
                                                           codes):  # fmt: skip
    rows = _rows(unit_batches([_files(tmp_path, names)], batch_size=2, config_hash="fake0001"))
    assert [r["doc_id"] for r in rows] == sorted(names)
    assert [r["status"] for r in rows] == statuses
    assert [r["error_code"] for r in rows] == codes
    for r in rows:
        assert (r["record"] is not None) == (r["status"] == "ok")
        assert r["path"].endswith(f"{r['doc_id']}.txt")  # the real file, not a temporary one


def test_batch_an_unreadable_file_is_a_reject_row(tmp_path, fake_pipe):
    root = _files(tmp_path, ["a"])
    (root / "z.txt").write_bytes(b"\x00\x01\x02" * 200)  # binary, not text
    (root / "y.txt").write_bytes(b"")  # empty
    rows = _rows(unit_batches([root], config_hash="fake0001"))
    assert [r["status"] for r in rows] == ["ok", "reject", "reject"]
    assert all(r["error_code"].startswith("KC-E") for r in rows[1:])


def _dump(path: Path, ids: list[str]) -> Path:
    rows = [json.dumps({"id": i, "title": f"Tiêu đề {i}", "text": f"Tiêu đề {i}\nBài {n}."},
                       ensure_ascii=False) for n, i in enumerate(ids)]  # fmt: skip
    rows.insert(2, "")  # a blank line in the middle: line numbers must still be the dump's
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_batch_dump_chunks_keep_the_dump_s_ids_lines_and_source(tmp_path, fake_pipe):
    dump = _dump(tmp_path / "dump.jsonl", ["d0", "d1", "same", "same", "d4"])
    batches = unit_batches([dump], batch_size=2, config_hash="fake0001")
    assert [b.num_rows for b in batches] == [1, 1, 1]  # three chunks of two, two, one lines
    rows = _rows(batches)
    whole = [d for d in read_path(dump)]
    assert [r["doc_id"] for r in rows] == [d.doc_id for d in whole]
    assert [r["line"] for r in rows] == [1, 2, 4, 5, 6]
    assert [r["raw"] for r in rows] == [d.raw for d in whole]
    assert {r["path"] for r in rows} == {str(dump)}
    assert len({r["key"] for r in rows}) == 5  # the repeated id is kept apart by its line


def test_batch_documents_done_with_the_same_content_are_skipped(tmp_path, fake_pipe):
    dump = _dump(tmp_path / "dump.jsonl", ["d0", "d1", "d2"])
    first = {r["key"]: r for r in _rows(unit_batches([dump], 2, "fake0001"))}
    edited = dump.read_text(encoding="utf-8").replace("Bài 1.", "Bài 1 sửa.")
    dump.write_text(edited, encoding="utf-8")
    again = _rows(unit_batches([dump], 2, "fake0001", done=first))
    assert [r["status"] for r in again] == ["skipped", "ok", "skipped"]
    other_pipeline = _rows(unit_batches([dump], 2, "other-config", done=first))
    assert [r["status"] for r in other_pipeline] == ["ok", "ok", "ok"]


def test_batch_isolate_splits_batches_then_dump_chunks_then_stops(tmp_path):
    dump = _dump(tmp_path / "dump.jsonl", ["d0", "d1", "d2"])
    (batch_,) = unit_batches([dump], batch_size=10)
    lines = isolate(batch_)
    assert [b.to_pylist()[0]["first_line"] for b in lines] == [1, 2, 4]
    assert isolate(lines[0]) is None
    assert batch.failed_rows(lines[2]).to_pylist()[0]["line"] == 4
    assert batch_.schema == UNIT_SCHEMA


def test_batch_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "records.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half a new fi")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl"]


def test_batch_result_store_later_parts_win_and_compaction_keeps_them(tmp_path, fake_pipe):
    root = _files(tmp_path, ["a", "b"])
    store = ResultStore(tmp_path / "out")
    rows = _rows(unit_batches([root], config_hash="fake0001"))
    store.append(pa.Table.from_pylist(rows, schema=RESULT_SCHEMA))
    rows[1]["seconds"] = 99.0
    store.append(pa.Table.from_pylist(rows[1:], schema=RESULT_SCHEMA))
    (store.dir / ".part-00000009.arrow.tmp-1").write_bytes(b"half")  # left by a killed run
    store = ResultStore(tmp_path / "out")
    assert not list(store.dir.glob(".*"))
    loaded = store.load()
    assert loaded[rows[1]["key"]]["seconds"] == 99.0
    assert loaded[rows[1]["key"]]["raw"] is None  # texts are not kept
    store.compact({rows[1]["key"]})
    assert len(list(store.dir.glob("part-*.arrow"))) == 1
    assert list(store.load()) == [rows[1]["key"]]


def _run(paths, out, **kw):
    return run_batch([str(p) for p in paths], RunOptions(out=out, **kw))


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
    assert man["config_hash"] and man["pipeline_version"].startswith(man["config_hash"])
    assert man["driver_peak_rss_kb"] > 0
    assert all(v > 0 for v in man["workers"]["peak_rss_kb"].values())
    assert man["workers"]["peak_rss_kb"].keys() == man["workers"]["cpu_s"].keys() != set()
    assert {"kcextract", "pyarrow", "pandas"} <= man["versions"].keys()
    files = {Path(f["path"]).name: f for f in man["inputs"]}
    assert sum(f["documents"] for f in files.values()) == 11
    assert (files["dump.jsonl"]["documents"], files["dump.jsonl"]["records"]) == (4, 4)
    assert files["missing.txt"]["sha256"] is None and files["missing.txt"]["rejects"] == 1
    assert all(len(f["sha256"]) == 64 for n, f in files.items() if n != "missing.txt")
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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", '{"id": 1}', '{"id": "x"}', "{}"]), max_size=30),
    st.integers(1, 7),
)
def test_batch_chunk_lines_cuts_a_dump_without_losing_or_moving_a_line(lines, per_unit):
    data = ("\n".join(lines) + "\n").encode() if lines else b""
    chunks = list(batch.chunk_lines(data, per_unit))
    whole = data.split(b"\n")
    nonblank = [ln for ln in whole if ln.strip()]
    assert [ln for _, _, c in chunks for ln in c.split(b"\n") if ln.strip()] == nonblank
    expect_first = 1
    for first, count, chunk in chunks:
        assert first == expect_first  # contiguous: no line lost or moved
        assert 1 <= count <= per_unit
        assert count == sum(1 for ln in chunk.split(b"\n") if ln.strip())
        body = chunk.split(b"\n")[:-1]
        assert whole[first - 1 : first - 1 + len(body)] == body  # the dump's own line numbers
        expect_first = first + len(body)


# fmt: off
PROGRESS_CASES = [
    # done, total, final, expected pieces of the log line
    (50,  200, False, ["50/200 documents (25.0%)", "doc/s", "ETA"]),
    (200, 200, True,  ["200/200 documents (100.0%)", "ETA -"]),
]
# fmt: on


@pytest.mark.parametrize(("done", "total", "final", "pieces"), PROGRESS_CASES)
def test_batch_progress_is_a_log_line_when_not_on_a_terminal(done, total, final, pieces):
    stream = io.StringIO()
    Progress(stream, every=0.0)(done, total, 3, final)
    line = stream.getvalue()
    assert line.endswith("\n") and "\r" not in line and "3 rejects" in line
    for piece in pieces:
        assert piece in line


# fmt: off
CODE_HASH_CASES = [
    # file edited between two runs          do stored results still count?
    ("extract/amounts.py",                  False),
    ("data/money_units.tsv",                False),
    ("pipeline.py",                         False),
    ("report.py",                           True),
    ("engines/local.py",                    True),
    ("cli/run.py",                          True),
    ("extract/__pycache__/amounts.cpython-311.pyc", True),
]
# fmt: on


@pytest.mark.parametrize(("edited", "kept"), CODE_HASH_CASES)
def test_batch_code_hash_follows_the_extraction_code_only(tmp_path, monkeypatch, edited, kept):
    pkg = tmp_path / "kcextract"
    for rel in ("batch.py", "pipeline.py", "extract/amounts.py", "data/money_units.tsv",
                "report.py", "engines/local.py", "cli/run.py",
                "extract/__pycache__/amounts.cpython-311.pyc"):  # fmt: skip
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(f"# {rel}\n", encoding="utf-8")
    monkeypatch.setattr(batch, "__file__", str(pkg / "batch.py"))
    before = batch.code_hash()
    (pkg / edited).write_text("# edited\n", encoding="utf-8")
    assert (batch.code_hash() == before) is kept


def test_batch_run_writes_the_records_kcextract_extract_writes(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 5, dump_lines=7)
    extracted = tmp_path / "extract.jsonl"
    res = run_cli(["extract", str(corpus), "-o", str(extracted)])
    assert res.returncode == 0, res.stderr
    res = run_cli(["run", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "2",
                   "--batch-size", "3", "--no-report", "--quiet"])  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "records.jsonl").read_bytes() == extracted.read_bytes()
