"""The review page: displaCy-style highlighting, a self-contained page, a real browser."""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess

import pytest
from batch_common import make_corpus

from kcextract.datasets import build_tables
from kcextract.report import highlight, render
from kcextract.runner import RunOptions, run

# fmt: off
HIGHLIGHT_CASES = [
    # text, spans (start, end, label, id), marked texts in order
    ("Cấp 300 triệu đồng.",   [(4, 18, "AMOUNT", "amounts-0")],  ["300 triệu đồng"]),
    # glued scrape: the fact ends inside a "word"
    ("thực hiện4.170,0 triệu đồngthực hiện", [(9, 27, "AMOUNT", "amounts-0")],
     ["4.170,0 triệu đồng"]),
    # overlapping facts: the segments are split where either starts or ends
    ("HTX Phi Đoàn năm 2022", [(0, 12, "ORG", "organizations-0"), (4, 21, "PERIOD", "periods-0")],
     ["HTX ", "Phi Đoàn", " năm 2022"]),
    # markup in the source is shown, not run
    ("<b>Sở Công Thương</b>", [(3, 17, "ORG", "organizations-0")], ["Sở Công Thương"]),
    # a span past the end of the text (a stale record) is left out
    ("ngắn", [(2, 40, "ORG", "organizations-0")], []),
]
# fmt: on


class _Marks(html.parser.HTMLParser):
    """Texts inside <mark> (labels left out) and the page's external references."""

    def __init__(self):
        super().__init__()
        self.marks, self.depth, self.skip, self.external = [], 0, 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag == "mark":
            self.depth += 1
            self.marks.append("")
        elif tag == "span" and a.get("class") in ("lab", "bar"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self.depth -= 1
        elif tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.marks[-1] += data


@pytest.mark.parametrize(("text", "spans", "marked"), HIGHLIGHT_CASES)
def test_report_highlight_marks_exact_character_spans(text, spans, marked):
    page = highlight(text, spans, "f0")
    p = _Marks()
    p.feed(page)
    assert p.marks == marked
    # the text itself is unchanged: drop the marks' decorations and it reads the same
    plain = _Text()
    plain.feed(page)
    assert plain.text == text


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.skip = "", 0

    def handle_starttag(self, tag, attrs):
        if tag == "span" and dict(attrs).get("class") in ("lab", "bar"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text += data


def test_report_overlapping_facts_stack_on_different_bars():
    page = highlight("HTX Phi Đoàn năm 2022", HIGHLIGHT_CASES[2][1], "f0")
    assert "bottom:-3px" in page and "bottom:-8px" in page


RECORD = {"doc_id": "d0", "title": "Tiêu đề", "published": None, "provinces": ["Cao Bằng"],
          "warnings": ["KC-W001 programme parts do not add up to its total"],
          "amounts": [{"text": "18,246 tỷ đồng", "value_vnd": 18_246_000_000, "max_vnd": None,
                       "qualifier": "exact", "per": None, "level": "total", "status": "planned",
                       "funding": None, "spans": [[22, 36]]}],
          "programmes": [{"name": "Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025",
                          "province": "Cao Bằng", "start": 2021, "end": 2025,
                          "total_vnd": 18_246_000_000, "local_vnd": None, "national_vnd": None,
                          "spans": []}]}  # fmt: skip
RAW = "Tiêu đề\nTổng kinh phí 18,246 tỷ đồng cho kế hoạch.\n"


def _page() -> str:
    docs = [{"key": "k0", "path": "/x/d0.txt", "doc_id": "d0"}]
    return render([RECORD], docs, {"k0": RAW}, build_tables([RECORD]), [],
                  {"counts": {"inputs": 1, "records": 1, "rejects": 0}})  # fmt: skip


def test_report_page_is_self_contained_and_links_tables_to_facts():
    page = _page()
    p = _Marks()
    p.feed(page)
    assert p.external == []  # nothing fetched: no http(s) scripts, styles or images
    assert p.marks == ["18,246 tỷ đồng"]
    assert RAW[22:36] == "18,246 tỷ đồng"
    assert 'href="#f0-amounts-0"' in page and 'id="f0-amounts-0"' in page
    assert 'id="doc-0"' in page
    assert "KC-W001" in page  # the warning is listed
    assert "Cao Bằng" in page and "18,25 tỷ" in page  # budget chart and table


CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)  # fmt: skip


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--window-size=1280,1400", *args],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_report_opens_in_headless_chromium(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 4)
    out = tmp_path / "out"
    run([str(corpus)], RunOptions(out=out, jobs=1))
    page = out / "report.html"
    first = json.loads((out / "records.jsonl").read_text(encoding="utf-8").splitlines()[0])
    url = page.resolve().as_uri()

    shot = tmp_path / "report.png"
    res = _chromium(f"--screenshot={shot}", url)
    assert shot.exists(), res.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a drawn page, not a blank

    # Follow a link into the articles: the page's script opens the article it points to.
    dom = _chromium("--dump-dom", "--virtual-time-budget=3000", url + "#doc-0").stdout
    assert "kcextract run report" in dom
    assert '<details class="doc" id="doc-0" open="">' in dom
    assert first["doc_id"] in dom


# fmt: off
BUDGET_CASES = [
    # total,           local,          national,        warned?
    (18_246_000_000,  4_446_000_000,  13_800_000_000,  False),  # seed-000's plan adds up
    (18_246_000_000,  4_446_000_000,  13_000_000_000,  True),
    (18_246_000_000,  None,           13_800_000_000,  False),  # one part unknown: no claim
    (None,            4_446_000_000,  13_800_000_000,  False),
]
# fmt: on


@pytest.mark.parametrize(("total", "local", "national", "warned"), BUDGET_CASES)
def test_report_warns_when_programme_parts_do_not_add_up(total, local, national, warned):
    prog = {**RECORD["programmes"][0], "total_vnd": total, "local_vnd": local,
            "national_vnd": national}  # fmt: skip
    rec = {**RECORD, "warnings": [], "programmes": [prog]}
    docs = [{"key": "k0", "path": "/x/d0.txt", "doc_id": "d0"}]
    page = render([rec], docs, {"k0": RAW}, build_tables([rec]), [], {"counts": {}})
    assert ("KC-W001" in page) is warned
