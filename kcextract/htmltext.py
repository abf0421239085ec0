"""HTML page to the article's visible text, every character mapped back into the page.

The stdlib :class:`html.parser.HTMLParser` does the tokenizing (``convert_charrefs=False`` so
entities arrive on their own and keep their raw extent; ``getpos()`` plus a line-start table
gives raw offsets). What is kept:

* text outside scripts, styles and page chrome: ``nav``, ``header``, ``footer``, ``aside``,
  forms, menus, share bars, comment boxes, ads and related-links boxes (by tag, or by a
  ``class``/``id``/``role`` word from ``data/html_chrome.txt``);
* when the page has an ``<article>`` (or a known article-body container), only the text inside
  it, plus the first ``<h1>``;
* block tags (``p``, ``div``, ``li``, ``h1``…, ``br``) give line breaks; runs of white space
  inside text fold to one space (as a browser shows them).

Metadata read on the way: ``<title>``, the first ``<h1>``, ``<meta property|name=… content=…>``
and ``<time datetime=…>``.

>>> page = '<html><head><title>Tin - Báo X</title></head><body><nav>Trang chủ</nav>'
>>> page += '<article><h1>Cao Bằng</h1><p>Vốn 18,246&nbsp;tỷ&amp;đồng</p></article></body></html>'
>>> ht = html_to_text(page)
>>> ht.text.text
'Cao Bằng\\nVốn 18,246\\xa0tỷ&đồng'
>>> i = ht.text.text.index("&")
>>> page[slice(*ht.text.raw_span(i, i + 1))]
'&amp;'
>>> ht.meta["title"], ht.meta["h1"]
('Tin - Báo X', 'Cao Bằng')
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from html import unescape
from html.entities import html5, name2codepoint
from html.parser import HTMLParser
from pathlib import Path

from kcextract.document import MappedText

_DATA = Path(__file__).parent / "data"

# Dropped with everything inside them.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
        "nav", "header", "footer", "aside", "button", "select", "textarea", "input",
        "menu", "dialog", "head", "figure-share",
    }
)  # fmt: skip
# Start a new line.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
        "h6", "tr", "table", "section", "article", "blockquote", "pre", "figcaption", "figure",
        "hr", "main", "address", "td", "th", "center", "title",
    }
)  # fmt: skip
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# Containers that hold the article body on common Vietnamese news sites.
_BODY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article|detail|entry|post|news|story)[_-]?(?:body|content|detail|text)"
    r"|fck_detail|maincontent|content-detail|singular-content|detail-content|the-article-body",
    re.IGNORECASE,
)


def _chrome_words() -> re.Pattern[str]:
    words = []
    for line in (_DATA / "html_chrome.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(re.escape(line))
    if not words:
        raise ValueError("html_chrome.txt is empty")
    words.sort(key=len, reverse=True)
    # A chrome word as a whole word of a class/id (``share-bar``, ``box_comment``).
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(words) + r")(?:$|[\s_-])", re.IGNORECASE)


_CHROME = _chrome_words()
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
# A block break while parsing (U+2029 PARAGRAPH SEPARATOR; becomes "\n" when folding).
_BREAK = "\u2029"
_FOLD_RUN = re.compile(r"[ \t\n\r\f\u2029]+")


@dataclass(slots=True)
class HtmlText:
    """The visible text of a page and what was read from its head."""

    text: MappedText
    meta: dict[str, str] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0]
        pos = raw.find("\n")
        while pos >= 0:
            self.line_starts.append(pos + 1)
            pos = raw.find("\n", pos + 1)
        # Open elements: (tag, skip, article); counters say whether we are inside.
        self.stack: list[tuple[str, bool, bool]] = []
        self.skip = 0
        self.article = 0
        self.seen_article = False
        # Collected pieces: (text, raw start, raw end or -1 when each char maps 1:1, in_article)
        self.pieces: list[tuple[str, int, int, bool]] = []
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title_parts: list[str] = []
        self.h1_depth = 0
        self.h1_parts: list[str] = []
        self.h1_done = False
        self.h1_pieces: list[tuple[str, int, int, bool]] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # -- tags ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a and key not in self.meta:
                self.meta[key] = a["content"]
            return
        if tag == "time" and "datetime" in a and "time" not in self.meta:
            self.meta["time"] = a["datetime"]
        if tag in BLOCK_TAGS:
            self._break()
        if tag == "title" and not self.in_title and "title" not in self.meta:
            self.in_title = True
        if tag in VOID_TAGS:
            return
        names = " ".join((a.get("class", ""), a.get("id", ""), a.get("role", "")))
        skip = tag in SKIP_TAGS or bool(names.strip() and _CHROME.search(names))
        art = tag == "article" or bool(names.strip() and _BODY_CLASS.search(names))
        if tag == "h1" and not self.h1_done:
            self.h1_depth += 1
        self.stack.append((tag, skip, art))
        self.skip += skip
        self.article += art
        self.seen_article |= art

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            self.meta["title"] = _SPACE_RUN.sub(" ", "".join(self.title_parts)).strip()
        if tag in BLOCK_TAGS:
            self._break()
        if not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            t, skip, art = self.stack.pop()
            self.skip -= skip
            self.article -= art
            if t == "h1" and self.h1_depth:
                self.h1_depth -= 1
                if not self.h1_depth:
                    self.h1_done = True
                    h1 = _SPACE_RUN.sub(" ", "".join(self.h1_parts)).strip()
                    if h1:
                        self.meta["h1"] = h1
                    else:
                        self.h1_done = False
            if t == tag:
                break

    def _break(self) -> None:
        if self.pieces and self.pieces[-1][0] != _BREAK:
            at = self._pos()
            self.pieces.append((_BREAK, at, at, bool(self.article)))

    # -- text ---------------------------------------------------------------------------
    def _text(self, text: str, start: int, end: int) -> None:
        if self.in_title:
            self.title_parts.append(text)
            return
        piece = (text, start, end, bool(self.article))
        # The headline is kept even inside a skipped <header> (article-header boxes).
        if self.h1_depth and not self.h1_done and self.stack and self.stack[-1][0] != "script":
            self.h1_parts.append(text)
            self.h1_pieces.append(piece)
        if not self.skip:
            self.pieces.append(piece)

    def handle_data(self, data: str) -> None:
        self._text(data, self._pos(), -1)

    def handle_entityref(self, name: str) -> None:
        start = self._pos()
        end = start + 1 + len(name)
        if self.raw.startswith(";", end):
            end += 1
        text = _entity(name, self.raw[start:end])
        self._text(text, start, end)

    def handle_charref(self, name: str) -> None:
        start = self._pos()
        end = start + 2 + len(name)
        if self.raw.startswith(";", end):
            end += 1
        self._text(unescape(self.raw[start:end]), start, end)


def _entity(name: str, raw: str) -> str:
    if name + ";" in html5:
        return html5[name + ";"]
    if name in name2codepoint:
        return chr(name2codepoint[name])
    return raw  # unknown: shown as written


def _piece_text(piece: tuple[str, int, int, bool]) -> MappedText:
    text, start, end, _ = piece
    if end == -1:  # data: each character is itself in the page
        n = len(text)
        return MappedText(
            text, array("l", range(start, start + n)), array("l", range(start + 1, start + n + 1))
        )
    if start == end:
        return MappedText.inserted(text, start)
    k = len(text)
    return MappedText(text, array("l", [start] * k), array("l", [end] * k))


def _fold(mt: MappedText) -> MappedText:
    """HTML white space: a run of spaces, tabs, newlines folds to one space, or to one line
    break when a block tag stands in it."""
    from kcextract.textnorm import Edit, rewrite

    edits: list[Edit] = []
    text = mt.text
    for m in _FOLD_RUN.finditer(text):
        s, e = m.span()
        seg = m.group()
        k = seg.find(_BREAK)
        if k >= 0:
            edits.append((s, e, MappedText.inserted("\n", int(mt.starts[s + k]))))
        elif seg != " ":
            edits.append((s, e, " "))
    return rewrite(mt, edits) if edits else mt


def html_to_text(raw: str) -> HtmlText:
    """The article text of an HTML page (see the module docstring) and its head metadata."""
    p = _Parser(raw)
    p.feed(raw)
    p.close()
    pieces = p.pieces
    if p.seen_article and any(a and t.strip() for t, _, _, a in pieces):
        pieces = [x for x in pieces if x[3]]
    # The headline leads the text even when it stood outside the article or in a skipped box.
    kept = {id(x) for x in pieces}
    h1 = [x for x in p.h1_pieces if id(x) not in kept]
    if h1:
        pieces = [*h1, (_BREAK, h1[-1][1], h1[-1][1], False), *pieces]
    mt = _fold(MappedText.join(_piece_text(x) for x in pieces))
    # Trim leading/trailing white space.
    text = mt.text
    s = len(text) - len(text.lstrip())
    e = len(text.rstrip())
    return HtmlText(mt.slice(s, e) if (s or e < len(text)) else mt, p.meta)
