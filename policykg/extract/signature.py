"""The signature block: the issuing organs above a date line, one or many.

Forms of the genre this reads::

    杭州市人民政府办公厅                         — one organ, the date on the next line
    2023年12月27日

    四川省财政厅 四川省经济和信息化厅 2023年12月29日   — joint issuers and the date on one line

    江门市市场监督管理局 江门市发展和改革局        — joint issuers two to a line, names that
    江门市人民政府国有资产 江门市金融工作局        do not fit broken onto the next line
    监督管理委员会
    江门市政务服务数据管理局 国家税务总局
    江门市税务局
    2024年1月11日

    天津市促进中小企业发展工作领导小组办公室    — the issuer, and the organ that lent its
    （天津市工业和信息化局代章）                  seal (代章): the seal is not an issuer
    2022年6月18日

A broken name is joined to the name above it: to the one cell of the line above that is not
a whole organ name, when the piece does not begin with an area's name of its own (国有资产 +
监督管理委员会); or, when every cell above is whole, to a vertically managed head office at
the end of the line above (国家税务总局 + 江门市税务局: its local offices sign as the head
office's name and their own). Blank lines, and lines of scraper
noise (runs of ``?`` or U+FFFD, where the page had spaces), are passed over.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policykg.extract import dates
from policykg.extract.patterns import CJK, ORGAN_SUFFIX

_NOISE = "?？\ufffd"
_CELL = rf"[{CJK}（）()]{{2,40}}"
_GAP = r"[ \t\u3000]+"
# a line of organ cells, scraper noise in place of indentation allowed before them
_CELLS_LINE = re.compile(rf"^[ \t\u3000{_NOISE}]*(?P<cells>{_CELL}(?:{_GAP}{_CELL})*)[ \t\u3000]*$")
_BLANK_LINE = re.compile(rf"^[ \t\u3000{_NOISE}]*$")
_SEAL_LINE = re.compile(rf"^[ \t\u3000]*[（(][{CJK}]{{2,40}}代章[）)][ \t\u3000]*$")
_DATE_LINE = re.compile(
    rf"^(?:[ \t\u3000{_NOISE}]*(?P<cells>{_CELL}(?:{_GAP}{_CELL})*){_GAP})?[ \t\u3000]*"
    rf"(?P<date>{dates.DATE.pattern})[ \t\u3000]*$", re.M)
_WHOLE = re.compile(rf"(?:{ORGAN_SUFFIX}|分行|支行)$")
# the head offices of vertically managed systems, whose local offices sign as HEAD + local name
_HEAD_OFFICE = re.compile(r"(?:总局|总署|总行)$")
# a cell that begins with an area's name (某某市…, 某某县…) begins a name of its own
_BEGINS_WITH_AREA = re.compile(rf"^[{CJK}]{{1,8}}?(?:省|市|自治区|自治州|地区|区|县|州|盟|旗)")
# a broken organ name still begins as one: with an area's name or a national body's
# (特此通知, 此页无正文 or a heading right above the block are no part of it)
_BEGINS_AN_ORGAN = re.compile(rf"^(?:[{CJK}]{{1,8}}?(?:省|市|自治区|自治州|地区|区|县|州|盟|旗)|国家|国务院|中国|中共|中华)")
_MAX_LINES = 24  # a block of 14 joint issuers, two to a line, with broken names, fits


@dataclass(frozen=True)
class Signature:
    organs: list[tuple[str, int, int]]  # each name (spaces squeezed out) and the span it is read from
    date: tuple[int, int]  # the span of the date


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(_CELL, text[start:end])]


def _lines_above(text: str, at: int) -> Iterator[tuple[int, int]]:
    """The lines ending before ``at``, nearest first, as (start, end)."""
    end = text.rfind("\n", 0, at)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        yield start, end
        end = start - 1


def _rows(text: str, date_line: re.Match[str]) -> list[list[tuple[int, int]]]:
    """The rows of organ cells of the block ending at ``date_line``, top first."""
    rows: list[list[tuple[int, int]]] = []
    if date_line.group("cells"):
        rows.append(_cells(text, *date_line.span("cells")))
    for n, (start, end) in enumerate(_lines_above(text, date_line.start())):
        line = text[start:end]
        if n >= _MAX_LINES:
            break
        if _BLANK_LINE.match(line) or _SEAL_LINE.match(line):
            continue
        m = _CELLS_LINE.match(line)
        if not m:
            break
        rows.insert(0, _cells(text, start + m.start("cells"), start + m.end("cells")))
    return rows


def _joined(text: str, rows: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """The organ names of the rows, each as the cells it is made of."""
    names: list[list[tuple[int, int]]] = []
    above: list[list[tuple[int, int]]] = []  # the names the line above began or continued
    for row in rows:
        if len(row) == 1 and above:
            broken = [name for name in above if not _WHOLE.search(_word(text, name))]
            if (len(broken) == 1 and not _BEGINS_WITH_AREA.match(text[slice(*row[0])])
                    and _BEGINS_AN_ORGAN.match(_word(text, broken[0]))):
                broken[0].append(row[0])
                above = [broken[0]]
                continue
            if not broken and _HEAD_OFFICE.search(_word(text, above[-1])):
                above[-1].append(row[0])
                above = [above[-1]]
                continue
        above = [[cell] for cell in row]
        names.extend(above)
    return names


def _word(text: str, cells: list[tuple[int, int]]) -> str:
    return "".join(text[s:e] for s, e in cells)


def _closes_prose(text: str, at: int) -> bool:
    """Whether the text before ``at`` ends a paragraph of prose (…请认真贯彻执行。)."""
    end = at
    while end > 0 and text[end - 1] in " \t\u3000\n":
        end -= 1
    return text.endswith(("。", "执行", "落实"), 0, end) and end - (text.rfind("\n", 0, end) + 1) >= 15


def signature(text: str) -> Signature | None:
    """The first signature block of ``text``: a date line (or a line of organs ending in a
    date) with organ names above it, every one a whole organ name. Rows that do not make whole
    names are dropped from the top (a title line right above the block). Failing any, a
    notice closed by its date alone (a date line right after its prose): no organ, a date."""
    for date_line in _DATE_LINE.finditer(text):
        rows = _rows(text, date_line)
        while rows:
            names = _joined(text, rows)
            if all(_WHOLE.search(_word(text, n)) for n in names):
                return Signature([(_word(text, n), n[0][0], n[-1][1]) for n in names], date_line.span("date"))
            rows = rows[1:]
    for date_line in _DATE_LINE.finditer(text):
        if date_line.group("cells") is None and _closes_prose(text, date_line.start()):
            return Signature([], date_line.span("date"))
    return None
