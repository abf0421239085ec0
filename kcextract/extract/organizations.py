"""Organizations: cooperatives, companies, agencies and others named in the article.

Spec: ``Organization`` in ``shared/spec/record-format.md``. A name opens with a head from
``data/org_heads.tsv`` (``HTX``, ``Công ty``, ``Sở``, ``Trung tâm``…) and runs over

* descriptor words from ``data/org_name_words.txt`` (``Dịch vụ tổng hợp``, ``xúc tiến
  thương mại``) as long as no proper name has been read yet,
* capitalized words (the proper part: ``Vũ Loan``, ``Giang Hiền``),
* a place (``tỉnh Bắc Kạn``, ``huyện Kế Sách``), after which the name ends.

So ``HTX Phi Đoàn đầu tư ứng dụng`` ends before the verb (seed-001), and ``Hợp tác xã Dịch
vụ tổng hợp Vũ Loan và HTX Văn Quyết`` gives two names. A parenthesized short form right
after a name (``Trung tâm Khuyến công (TTKC) tỉnh Sóc Trăng``, vietnews_008) is an alias:
later ``TTKC`` mentions ground to the same organization and are not listed again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache

import numpy as np
import regex

from kcextract.canon import canonical_org_name, org_key
from kcextract.document import Document, Mention
from kcextract.extract import Context, register
from kcextract.resources import alternation, tsv, word_list
from kcextract.schema import OrganizationOut

# Words that open a place inside a name; the capitalized words after them are the place.
PLACE_MARKERS = (
    "tỉnh",
    "huyện",
    "thành phố",
    "TP",
    "TP.",
    "Tp.",
    "thị xã",
    "xã",
    "quận",
    "thị trấn",
    "phường",
)
# Offices held by one person: "Chủ tịch UBND tỉnh", "Thủ tướng Chính phủ" are people (spec).
# ("Chủ tịch UBND thành phố Kon Tum" still names the UBND, which baomoi13_020 lists.)
OFFICE_BEFORE = regex.compile(r"(?:Thủ tướng|Bộ trưởng|Thứ trưởng)\s*$")
# A capitalized word right before a head makes the head part of another name: "Tây Ban Nha".
# Titles of office are not names: "Trưởng ban Chỉ đạo …" (baomoi13_023) still names the ban.
CAP_WORD_BEFORE = regex.compile(
    r"(?<![.!?:;\n]\s{0,3})\b(?!Trưởng|Phó|Giám|Chủ|Bí|Thủ|Tổng)\p{Lu}\p{Ll}+ $"
)
# Bodies that steer or judge rather than carry out programme work (gold: Chính phủ,
# Bộ Chính trị, TAND tỉnh Sóc Trăng are "other").
OTHER_ROLE_KEYS = ("chính phủ", "bộ chính trị", "quốc hội", "tand", "tòa án", "toà án")
BENEFICIARY_BEFORE = regex.compile(
    r"(?:thụ hưởng(?: đề án)?(?: là)?|hỗ trợ cho|hỗ trợ|cho|của|giúp|tại)\s*[:,]?\s*$",
    regex.IGNORECASE,
)
BENEFICIARY_AFTER = regex.compile(
    r"^\s*(?:được|nhận)(?:\s+\S+){0,3}?\s+(?:hỗ trợ|thụ hưởng)", regex.IGNORECASE
)
MAX_NAME_TOKENS = 14
# Descriptor phrases that are also the verbs following a name: only capitalized inside one.
VERB_PHRASES = frozenset({"hỗ trợ", "đầu tư"})
# A company "of" a country is not a name: "một công ty Mỹ" (vntc_040).
COUNTRIES = frozenset(
    {
        "Mỹ",
        "Nhật",
        "Nhật Bản",
        "Hàn Quốc",
        "Trung Quốc",
        "Pháp",
        "Đức",
        "Anh",
        "Thái Lan",
        "Singapore",
    }
)
SURNAMES = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Trịnh",
        "Đoàn",
        "Lương",
    ]
)
PLURAL_BEFORE = regex.compile(r"(?:các|những|nhiều|mọi|\d+)\s+$")
_PERSON = r"\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){1,4}"
HOUSEHOLD = regex.compile(
    r"(?<![\p{L}])(?:[Cc]ơ sở(?: \p{Ll}+){1,7}? của (?:ông|bà|anh|chị) "
    + _PERSON
    + r"|[Hh]ộ kinh doanh (?:của (?:ông|bà) )?"
    + _PERSON
    + r")"
)

# Tokens: words (with inner - . / & ', as in "KH-ĐT", "TP.HCM") or one punctuation mark.
# A full stop is never part of a word here: "UBND TP. Cùng với" ends at "TP" (baomoi13_002).
_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:[-–./&'][\p{L}\p{N}]+)*|\S")
LOOKAHEAD_LOWER = 3


@dataclass(frozen=True, slots=True)
class _Head:
    text: str
    type: str
    body: str


@cache
def _tables() -> tuple[
    regex.Pattern[str], dict[str, _Head], frozenset[str], tuple[tuple[str, ...], ...]
]:
    heads: dict[str, _Head] = {}
    for head, typ, body in tsv("org_heads.tsv"):
        heads[head] = _Head(head, typ, body)
        if body == "lc":
            low = head[0].lower() + head[1:]
            heads[low] = _Head(low, typ, "name")
    pattern = regex.compile(r"(?<![\p{L}\p{N}])" + alternation(list(heads)) + r"(?![\p{L}\p{N}])")
    phrases = tuple(tuple(p.split()) for p in word_list("org_name_words.txt"))
    # single descriptor words: a capitalized one of these is not the proper part of a name
    words = frozenset(p[0] for p in phrases if len(p) == 1)
    return pattern, heads, words, tuple(sorted(phrases, key=len, reverse=True))


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _scan_name(
    text: str, start: int, head: _Head, glued: list[int]
) -> tuple[int, list[tuple[int, int]], list[str]]:
    """From the end of a head, the name's end, skipped alias spans and the aliases."""
    _, heads, words, phrases = _tables()
    toks: list[tuple[str, int, int]] = []
    pos = start
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    # A space that cleaning inserted between glued words ends the name: "Sở Công thương
    # Hà NộiTheo …" (baomoi13_016) must not take "Theo".
    k = bisect.bisect_right(glued, start)
    if k < len(glued) and glued[k] < line_end:
        line_end = glued[k]
    for m in _TOKEN.finditer(text, pos, line_end):
        toks.append((m.group(), m.start(), m.end()))
        if len(toks) > 3 * MAX_NAME_TOKENS:
            break
    end = start
    proper = False
    proper_run = 0  # capitalized non-descriptor words just read
    skipped: list[tuple[int, int]] = []
    aliases: list[str] = []
    i = 0
    taken = 0
    while i < len(toks) and taken < MAX_NAME_TOKENS:
        tok, s, e = toks[i]
        low = [t[0].lower() for t in toks[i : i + 4]]
        # a parenthesized short form: "(TTKC)", "(Trung tâm)"
        if tok == "(" and end > start:
            close = i + 1
            while close < len(toks) and toks[close][0] != ")" and close - i < 5:
                close += 1
            if close < len(toks) and toks[close][0] == ")":
                inner = text[toks[i + 1][1] : toks[close - 1][2]] if close > i + 1 else ""
                if inner and (inner.isupper() or inner in heads):
                    aliases.append(inner)
                    skipped.append((s, toks[close][2]))
                    i = close + 1
                    continue
            break
        # another organization starts here; single-word heads (Phòng, Ban, Sở) are also
        # parts of place names ("Hải Phòng", "Chiềng Ban"), so only firm heads count here
        if taken > 0 and proper and head.body != "self" and _firm_head_at(text, s):
            break
        # a place ends the name: "tỉnh Bắc Kạn", "huyện Kế Sách", "TP Hà Nội"
        marker = _place_marker(toks, i)
        if marker and taken + (head.type == "agency") > 0:
            j = i + marker
            k = j
            # A known province ends the place: "Chủ tịch UBND tỉnh Bắc Giang Lại Thanh Sơn"
            # (baomoi13_005) names the UBND, then a person.
            known = _province_names().match(text, toks[j][1]) if j < len(toks) else None
            if known:
                end = known.end()
                break
            person = toks[j : j + 3]
            if len(person) == 3 and person[0][0] in SURNAMES and all(_is_cap(t[0]) for t in person):
                break  # "Phó Chủ tịch UBND TP Nguyễn Văn Sửu": a person, not a place (baomoi13_002)
            while k < len(toks):
                if _is_cap(toks[k][0]):
                    k += 1
                elif toks[k][0] in ("-", "–") and k + 1 < len(toks) and _is_cap(toks[k + 1][0]):
                    k += 2  # "tỉnh Bà Rịa – Vũng Tàu", "cửa khẩu Đồng Đăng - Lạng Sơn"
                else:
                    break
            if k > j:
                end = toks[k - 1][2]
                break
            if _is_cap(tok):  # a bare "TP" as part of a name: "Quỹ Khuyến nông TP"
                end = e
                taken += 1
            break
        if head.body == "self":
            break
        if not proper:
            phrase = next((p for p in phrases if tuple(low[: len(p)]) == p), None)
            if phrase and taken and " ".join(phrase) in VERB_PHRASES and not _is_cap(tok):
                phrase = None  # "Trung tâm Khuyến công hỗ trợ …": the verb, not a name word
            if phrase:
                proper_run = 0
                end = toks[i + len(phrase) - 1][2]
                i += len(phrase)
                taken += len(phrase)
                continue
        # Lower-case words may bridge to a capitalized one after descriptors or after ONE
        # proper word ("Thực phẩm Hòa Khánh"), never after a two-word proper name ("HTX Phi
        # Đoàn đầu tư ứng dụng Máy cắt", seed-001) nor right after the head ("UBND phê duyệt").
        # "Ủy ban Chứng khoán Nhà nước", "Ban Quản lý Khu kinh tế": a descriptor phrase that
        # began with the capitalized word just read
        if taken > 0 and not _is_cap(tok) and _is_cap(toks[i - 1][0]):
            prev = toks[i - 1][0].lower()
            phrase = next(
                (
                    p
                    for p in phrases
                    if len(p) > 1 and p[0] == prev and tuple(low[: len(p) - 1]) == p[1:]
                ),
                None,
            )
            if phrase:
                end = toks[i + len(phrase) - 2][2]
                i += len(phrase) - 1
                taken += len(phrase) - 1
                proper_run = 0
                continue
        firm = head.type in ("cooperative", "company")
        if (
            (taken > 0 or firm)
            and proper_run <= 1
            and not _is_cap(tok)
            and _lower_bridge(toks, i, heads)
        ):
            # "Bóng đèn phích nước Rạng Đông", "Chỉ đạo xây dựng NTM": lower-case words
            # between a descriptor and the proper name (baomoi13_002, baomoi13_023).
            while not _is_cap(toks[i][0]):
                i += 1
                taken += 1
            continue
        number = regex.fullmatch(r"\d+(?:[-/]\d+)?", tok) is not None  # "May 10", "TNHH 26/3"
        if _is_cap(tok) or (number and taken > 0 and head.type == "company" and proper_run == 0):
            if len(tok) == 1 and not tok.isalnum():
                break
            end = e
            taken += 1
            if tok.lower().rstrip(".") not in words:
                proper = True
                proper_run += 1
            else:
                proper_run = 0
            i += 1
            continue
        joins = ("và", "&") if head.type == "agency" else ("và", "&", "-", "–")
        if tok in joins and taken > 0 and i + 1 < len(toks):
            nxt = toks[i + 1][0]
            if _is_cap(nxt) and not _tables()[0].match(text, toks[i + 1][1]):
                i += 1
                continue
        # "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Quảng Trị" (kc-c10)
        if tok == "," and taken > 0 and not proper and _comma_list(toks, i):
            i += 1
            continue
        break
    # drop aliases that come after the end
    skipped = [sp for sp in skipped if sp[1] <= end]
    return end, skipped, aliases


def _comma_list(toks: list[tuple[str, int, int]], i: int) -> bool:
    """A comma inside a name's list of fields: capitalized words up to a "và" + capital."""
    for j in range(i + 1, min(i + 9, len(toks) - 1)):
        tok = toks[j][0]
        if tok in _head_first_words():
            return False  # "Cục Công Thương địa phương, Sở Công Thương": two names
        if tok == "và":
            return _is_cap(toks[j + 1][0])
        if not (_is_cap(tok) or tok == "," or (tok.islower() and tok not in _stop_words())):
            return False
    return False


@cache
def _province_names() -> regex.Pattern[str]:
    from kcextract.extract.provinces import units

    names = {n for u in units() for n in (u.name, *u.aliases) if n}
    return regex.compile(alternation(sorted(names)) + r"(?![\p{L}\p{N}])")


@cache
def _head_first_words() -> frozenset[str]:
    return frozenset(h.split()[0] for h in _tables()[1])


def _firm_head_at(text: str, pos: int) -> bool:
    """Does a multi-word or acronym head (HTX, Công ty, Hợp tác xã) start at ``pos``?"""
    m = _tables()[0].match(text, pos)
    return bool(m) and (" " in m.group() or m.group().isupper())


def _lower_bridge(toks: list[tuple[str, int, int]], i: int, heads: dict[str, _Head]) -> bool:
    """Lower-case words at ``i`` that lead, within a few words, to a capitalized one."""
    stop = _stop_words()
    for j in range(i, min(i + LOOKAHEAD_LOWER + 1, len(toks))):
        tok = toks[j][0]
        if _is_cap(tok):
            return j > i and tok not in heads and tok[0].isalpha()
        if not tok.isalpha() or tok in stop or tok in PLACE_MARKERS:
            return False
    return False


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(word_list("org_stop_words.txt"))


def _place_marker(toks: list[tuple[str, int, int]], i: int) -> int:
    """How many tokens a place marker takes at ``i`` (0 if none)."""
    tok = toks[i][0]
    if i + 1 < len(toks) and f"{tok} {toks[i + 1][0]}" in ("thành phố", "thị xã", "thị trấn"):
        return 2
    return 1 if tok in PLACE_MARKERS else 0


def find(doc: Document) -> list[Mention]:
    pattern, heads, _, _ = _tables()
    text = doc.text
    glued = _inserted_positions(doc)
    out: list[Mention] = []
    for m in pattern.finditer(text, doc.body_start if doc.body_start < len(text) else 0):
        head = heads[m.group()]
        end, skipped, aliases = _scan_name(text, m.end(), head, glued)
        if head.body != "self" and end <= m.end():
            continue  # a head with no name: "Trung tâm", "Sở", "Hội nghị"
        if OFFICE_BEFORE.search(text, max(0, m.start() - 25), m.start()):
            continue
        if CAP_WORD_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        pieces: list[str] = []
        cur = m.start()
        for s, e in skipped:
            pieces.append(text[cur:s])
            cur = e
        pieces.append(text[cur:end])
        name = canonical_org_name(" ".join(pieces))
        if _bare(name):
            continue
        body = text[m.end() : end]
        if body.strip() in COUNTRIES:
            continue
        if not regex.search(r"\p{Lu}|\d", body) and (
            head.text[0].islower()
            or PLURAL_BEFORE.search(text, max(0, m.start() - 12), m.start())
            # "hỗ trợ Hợp tác xã nông nghiệp" is a kind, "Tổng công ty muối" a name (vntc_002)
            or (head.type in ("cooperative", "company") and not head.text.startswith("Tổng"))
        ):
            continue  # "các hợp tác xã nông nghiệp", "trung tâm xây dựng": no name of its own
        name = name[0].upper() + name[1:]
        out.append(
            Mention(
                "organization",
                m.start(),
                end,
                text[m.start() : end],
                name,
                {"type": head.type, "aliases": aliases},
            )
        )
    # Households are named by their owner: "cơ sở sản xuất bánh đa của bà Nguyễn Thị Mến",
    # "hộ kinh doanh Lò Văn Sơn" (spec: household).
    for hm in HOUSEHOLD.finditer(text):
        name = canonical_org_name(hm.group())
        out.append(
            Mention(
                "organization",
                hm.start(),
                hm.end(),
                hm.group(),
                name[0].upper() + name[1:],
                {"type": "household", "aliases": []},
            )
        )
    # Alias mentions ("TTKC") ground to the organization that declared them.
    alias_of = {a: mt.value for mt in out for a in mt.attrs["aliases"]}
    if alias_of:
        alias_re = regex.compile(
            r"(?<![\p{L}\p{N}])" + alternation(list(alias_of)) + r"(?![\p{L}\p{N}])"
        )
        covered = [(mt.start, mt.end) for mt in out]
        for am in alias_re.finditer(text):
            if any(s <= am.start() < e for s, e in covered):
                continue
            out.append(
                Mention(
                    "organization",
                    am.start(),
                    am.end(),
                    am.group(),
                    alias_of[am.group()],
                    {"type": None, "alias": True, "aliases": []},
                )
            )
    return out


def _inserted_positions(doc: Document) -> list[int]:
    """Clean offsets of characters that cleaning inserted (no raw counterpart)."""
    starts = np.frombuffer(doc.clean.starts, dtype=np.int64)
    ends = np.frombuffer(doc.clean.ends, dtype=np.int64)
    return np.flatnonzero(starts == ends).tolist()


def _bare(name: str) -> bool:
    """``UBND tỉnh`` with no province, ``UBND TP``: not listed (spec)."""
    return bool(
        regex.fullmatch(
            r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?: (?:tỉnh|TP|thành phố|huyện|xã))?", name
        )
    )


def _role(doc: Document, m: Mention, typ: str, key: str) -> str:
    text = doc.text
    before = text[max(0, m.start - 40) : m.start]
    after = text[m.end : m.end + 40]
    if typ in ("cooperative", "company", "household") and (
        BENEFICIARY_BEFORE.search(before) or BENEFICIARY_AFTER.search(after)
    ):
        return "beneficiary"
    if typ == "agency":
        return "other" if key.startswith(OTHER_ROLE_KEYS) else "implementer"
    return "other"


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[OrganizationOut]:
    # Group by key; a name whose key is a word-prefix of a longer one of the same type is the
    # same organization said shorter ("Sở Công Thương" … "Sở Công Thương Bắc Kạn").
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(org_key(m.value), []).append(m)
    keys = sorted(groups, key=len, reverse=True)
    target: dict[str, str] = {}
    for k in keys:
        longer = [
            k2
            for k2 in keys
            if len(k2) > len(k) and (k2.startswith(k + " ")) and target.get(k2, k2) == k2
        ]
        target[k] = longer[0] if len(longer) == 1 else k
    facts: dict[str, OrganizationOut] = {}
    roles: dict[str, set[str]] = {}
    for k in keys:
        dest = target[k]
        for m in groups[k]:
            typ = m.attrs["type"]
            if dest not in facts:
                full = max(groups[dest], key=lambda x: len(x.value))
                ftyp = full.attrs["type"] or "other"
                facts[dest] = OrganizationOut(name=full.value, type=ftyp, role="other", spans=[])
            facts[dest].spans.append((m.start, m.end))
            roles.setdefault(dest, set()).add(_role(doc, m, typ or facts[dest].type, dest))
    for k, fact in facts.items():
        rs = roles.get(k, set())
        fact.role = (
            "beneficiary"
            if "beneficiary" in rs
            else ("implementer" if "implementer" in rs else "other")
        )
    return list(facts.values())


register("organizations.v1", "organizations", find, build)
