"""Helpers of the batch-run tests: a small made-up corpus, and hooks for worker processes.

Worker processes (forkserver, spawn, Dask, Spark) do not see a test's monkeypatches, so a
test that needs a slow or crashing pipeline puts ``HOOK_DIR`` (a ``sitecustomize`` module)
on ``PYTHONPATH``: every Python process started with it wraps ``Pipeline.__call__``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SITECUSTOMIZE = """
import os, time
if os.environ.get("KC_TEST_HOOK"):
    import kcextract.pipeline as _p
    _orig = _p.Pipeline.__call__
    def _call(self, doc):
        if doc.doc_id.startswith("crash"):
            os._exit(3)  # a worker that dies, as on a segfault or the OOM killer
        if doc.doc_id.startswith("boom"):
            raise RuntimeError("made-up pipeline failure")
        time.sleep(float(os.environ.get("KC_TEST_DELAY", "0")))
        return _orig(self, doc)
    _p.Pipeline.__call__ = _call
    if os.environ.get("KC_TEST_LOADS"):  # one line per pipeline built, naming the process
        _init = _p.Pipeline.__init__
        def _counted(self, *a, **k):
            with open(os.environ["KC_TEST_LOADS"], "a") as fh:
                fh.write(f"{os.getpid()}\\n")
            _init(self, *a, **k)
        _p.Pipeline.__init__ = _counted
"""

# Made-up articles (not from any corpus): title line, then a body with a few facts.
ARTICLE = (
    "Hỗ trợ Hợp tác xã Số {i} đổi mới máy móc\n"
    "Năm 2023, Trung tâm Khuyến công tỉnh Cao Bằng hỗ trợ Hợp tác xã Số {i} "
    "{m} triệu đồng để mua máy sấy. Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025 "
    "có tổng kinh phí {t} tỷ đồng, hỗ trợ 12 mô hình trình diễn.\n"
)


def make_corpus(root: Path, n: int, dump_lines: int = 0) -> Path:
    """``n`` article files in two folders, plus a crawler dump of ``dump_lines`` articles."""
    for i in range(n):
        folder = root / ("north" if i % 2 else "south")
        folder.mkdir(parents=True, exist_ok=True)
        text = ARTICLE.format(i=i, m=100 + i, t=10 + i % 7)
        (folder / f"art-{i:03d}.txt").write_text(text, encoding="utf-8")
    if dump_lines:
        with open(root / "dump.jsonl", "w", encoding="utf-8") as fh:
            for i in range(dump_lines):
                text = ARTICLE.format(i=1000 + i, m=50 + i, t=3)
                row = {"id": f"crawl:{i}", "title": text.split("\n")[0], "text": text}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return root


def hook_env(tmp: Path, delay: float = 0.0) -> dict[str, str]:
    """Environment for a child process whose pipeline sleeps, crashes or fails on cue."""
    hook = tmp / "hooks"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(REPO), env.get("PYTHONPATH", "")])
    env["KC_TEST_HOOK"] = "1"
    env["KC_TEST_DELAY"] = str(delay)
    return env


def run_cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``kcextract`` in a child process (the interpreter running the tests)."""
    code = "import sys; from kcextract.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def popen_cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    code = "import sys; from kcextract.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
