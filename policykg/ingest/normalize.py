"""A normalized view of a document's text that keeps a map back to the original offsets.

Each step removes or replaces characters of the current view; ``offsets[i]`` is the index
in the original text of the view's character ``i``, so any span the extractor matches in
the view becomes a quote of the original (:meth:`NormalizedText.evidence`).

Steps, in order: BOM and ``\\r``; ``[bookmark: …]`` artifacts; HTML remnants (stray tags
deleted, entities such as ``&rdquo;`` and their ampersand-less ``rdquo;`` decoded by
:func:`html.unescape`); inserted ``@@`` runs, and runs of U+FFFD or ``??`` (mojibake) inside a line, deleted;
``—、`` printed for ``一、``; pinyin annotations
(``業(yè)`` → ``業``); Markdown-like heading marks (``### ``, ``**``); traditional →
simplified (OpenCC ``t2s``, one character for one); site navigation lines; a body that
appears twice (the second copy is dropped); page breaks that split a sentence (joined).
Full-width/half-width folding is left to the patterns that need it.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import cache

import opencc

from policykg.records import Evidence

Edit = tuple[int, int, str]  # replace view[start:end] by str

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,5});"
                     r"|(?<![A-Za-z&])(?:[lr]dquo|[lr]squo|nbsp|mdash|ndash|hellip|middot|quot|amp|lt|gt);")
# inserted @@ runs anywhere; U+FFFD or ?? mojibake inside a line of text (a run that pads a
# line, where full-width spaces were lost, stays: it keeps the lines apart)
_GARBLE = re.compile(r"@{2,}|(?<=[^\s?\ufffd])(?:\ufffd+|\?{2,})(?=[^\s?\ufffd])")
_DASH_ONE = re.compile(r"^([ \t\u3000]*)[—–－](?=[、.．])", re.M)  # —、 printed for 一、
# A pinyin annotation: latin letters with at least one tone-marked vowel, in brackets, after a CJK character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[(（](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}[)）]")
_MARKDOWN = re.compile(r"^#{1,6}[ \t]+|\*\*", re.M)
_NAVIGATION = re.compile(
    r"^(?:(?:当前位置|您的位置|您现在的位置)[:：].*"  # breadcrumb
    r"|[^\n>»]{1,12}(?:[ \t]*[>»][ \t]*[^\n>»]{1,12}){2,}"  # 首页 > 政务公开 > 通知公告
    r"|[-·•][ \t]*[^\s:：][^:：\n]{0,15}"  # a short menu item (never a "label: value" field: - 发布日期: 2025-09-03)
    r"|[A-Za-z ]{1,20}"  # a lone latin word (site name, 'Network')
    r"|(?:首页|网站导航|返回顶部|打印本页|关闭窗口|【打印】|【关闭】|分享到.*|点击率|浏览次数[:：]?)"
    r")[ \t]*$",
    re.M,
)
_TERMINAL = set("。！？；：!?;:)）]］】”\"'’」』》")
_PROSE = re.compile(r"[，,、；;。]")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]|第[一二三四五六七八九十百\d]+条)"
)
_MIN_DUPLICATE_LINES = 3
_LONG_LINE = 30


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@dataclass
class NormalizedText:
    source_file: str
    original: str
    text: str
    offsets: list[int]
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets behind ``text[start:end]`` (end exclusive, end > start)."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def evidence(self, start: int, end: int) -> Evidence:
        s, e = self.original_span(start, end)
        return Evidence(self.source_file, s, e, self.original[s:e])

    def line_of(self, index: int) -> int:
        """The original 1-based line number of view position ``index``."""
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.original)]
        pos = self.offsets[min(index, len(self.offsets) - 1)] if self.offsets else 0
        return bisect.bisect_right(self._line_starts, pos)


def _apply(text: str, offsets: list[int], edits: list[Edit]) -> tuple[str, list[int]]:
    if not edits:
        return text, offsets
    out: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for start, end, new in sorted(edits):
        if start < pos:  # overlapping edit: the first one wins
            continue
        out.append(text[pos:start])
        out_offsets.extend(offsets[pos:start])
        out.append(new)
        if len(new) == end - start:
            out_offsets.extend(offsets[start:end])
        else:
            anchor = offsets[start] if start < len(offsets) else (offsets[-1] + 1 if offsets else 0)
            out_offsets.extend([anchor] * len(new))
        pos = end
    out.append(text[pos:])
    out_offsets.extend(offsets[pos:])
    return "".join(out), out_offsets


def _deletions(pattern: re.Pattern[str], text: str) -> list[Edit]:
    return [(m.start(), m.end(), "") for m in pattern.finditer(text)]


def _entities(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _ENTITY.finditer(text):
        raw = m.group()
        decoded = html.unescape(raw if raw.startswith("&") else "&" + raw)
        if decoded != raw and decoded != "&" + raw:
            edits.append((m.start(), m.end(), decoded.replace("\xa0", " ")))
    return edits


def _simplify(text: str) -> list[Edit]:
    edits: list[Edit] = []
    convert = _converter().convert
    pos = 0
    for line in text.split("\n"):
        converted = convert(line)
        if len(converted) != len(line):  # a phrase changed length: convert char by char
            converted = "".join(convert(ch) if len(convert(ch)) == 1 else ch for ch in line)
        for i, (a, b) in enumerate(zip(line, converted, strict=True)):
            if a != b:
                edits.append((pos + i, pos + i + 1, b))
        pos += len(line) + 1
    return edits


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _navigation(text: str) -> list[Edit]:
    edits = []
    for m in _NAVIGATION.finditer(text):
        end = m.end() + 1 if m.end() < len(text) and text[m.end()] == "\n" else m.end()
        edits.append((m.start(), end, ""))
    return edits


def _duplicate_body(text: str) -> list[Edit]:
    """Drop the second copy of a body that appears twice (web page + attachment copy)."""
    spans = [s for s in _lines(text) if text[s[0]:s[1]].strip()]
    keys = [re.sub(r"\s+", "", text[s:e]) for s, e in spans]
    first_seen: dict[str, int] = {}
    for j, key in enumerate(keys):
        if len(key) < _LONG_LINE:
            continue
        i = first_seen.setdefault(key, j)
        if i == j:
            continue
        n = 0  # forwards: how far the copy repeats the first text
        long_matched = 0
        while j + n < len(keys) and i + n < j and keys[i + n] == keys[j + n]:
            long_matched += len(keys[j + n]) >= _LONG_LINE
            n += 1
        if long_matched < _MIN_DUPLICATE_LINES:
            continue
        a, b = i, j  # backwards: the short lines (salutation…) that open both copies
        while a > 0 and b - 1 >= i + n and keys[a - 1] == keys[b - 1]:
            a, b = a - 1, b - 1
        return [(spans[b][0], spans[j + n - 1][1], "")]
    return []


def _page_breaks(text: str) -> list[Edit]:
    """Join a prose line that stops mid-sentence with the line that continues it."""
    edits = []
    for m in re.finditer(r"[ \t]*\n[\s]*\n?", text):
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        after_end = text.find("\n", m.end())
        after = text[m.end():after_end if after_end >= 0 else len(text)]
        if not before or not after.strip() or before[-1] in _TERMINAL:
            continue
        if not _PROSE.search(before) or len(before) < 20 or _NUMBERED.match(after):
            continue
        edits.append((m.start(), m.end(), ""))
    return edits


STEPS = (
    ("byte order mark and carriage returns", lambda t: _deletions(re.compile("\ufeff|\r(?=\n)"), t)),
    ("old Mac line ends", lambda t: [(m.start(), m.end(), "\n") for m in re.finditer("\r", t)]),  # a lone \r ends a line
    ("bookmark artifacts", lambda t: _deletions(_BOOKMARK, t)),
    ("HTML tags", lambda t: _deletions(_TAG, t)),
    ("HTML entities", _entities),
    ("inserted @@ and mojibake runs", lambda t: _deletions(_GARBLE, t)),
    ("dash printed for 一", lambda t: [(m.end(1), m.end(), "一") for m in _DASH_ONE.finditer(t)]),
    ("pinyin annotations", lambda t: _deletions(_PINYIN, t)),
    ("markdown marks", lambda t: _deletions(_MARKDOWN, t)),
    ("traditional to simplified", _simplify),
    ("site navigation", _navigation),
    ("duplicate body", _duplicate_body),
    ("page breaks", _page_breaks),
)


def normalize(source_file: str, original: str) -> NormalizedText:
    """Normalize ``original`` (the decoded file) step by step, keeping the offset map.

    >>> n = normalize("x.txt", "發(fā)展[bookmark: _Hlk1]規劃")
    >>> n.text
    '发展规划'
    >>> n.evidence(0, 2).exact
    '發(fā)展'
    """
    text, offsets = original, list(range(len(original)))
    for _name, step in STEPS:
        text, offsets = _apply(text, offsets, step(text))
    return NormalizedText(source_file, original, text, offsets)
