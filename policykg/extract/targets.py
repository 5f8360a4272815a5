"""Cultivation targets: how many enterprises of a tier by which year.

In prose, a year marker (至/到2028年) then tiers each followed by a count::

    到2028年，全市累计培育专精特新中小企业4750家、省隐形冠军企业110家 …
    中央奖补支持重点专精特新“小巨人”企业力争累计突破150家
    力争到2026年新增省级“专精特新”中小企业达到100家，新增省“隐形冠军”3家

累计 makes a target cumulative, 新增 an increment. In a table (cells on lines opening
with a tab, rows parted by blank lines, as PDF/Word captures give them), a header row of
year columns (``2024年（累计数）``, ``2023年基数``) and rows whose label names a tier.
"""
from __future__ import annotations

import re

from policykg.extract.amounts import count
from policykg.ingest.normalize import NormalizedText
from policykg.records import TargetRecord
from policykg.reference.schemes import QUOTES, TierScheme

_YEAR_MARK = re.compile(r"(?:至|到|截至)\s*(?P<year>\d{4})\s*年")
_SENTENCE = re.compile(r"[^。；;\n]+")
_COUNT_AFTER = re.compile(
    rf"[{QUOTES}\s]*(?P<verb>(?:力争)?(?:累计)?(?:达到|突破|超过|新增|培育)?)\s*"
    r"(?P<n>\d+(?:\.\d+)?\s*万?|[一二两三四五六七八九十百千万]+)\s*(?:家|个)"
)
_YEAR_CELL = re.compile(r"(?P<year>\d{4})\s*年")


def _prose(view: NormalizedText, start: int, tiers: TierScheme) -> list[TargetRecord]:
    text = view.text
    out = []
    for s in _SENTENCE.finditer(text, start):
        years = list(_YEAR_MARK.finditer(text, s.start(), s.end()))
        if not years:
            continue
        for mention in tiers.mentions(text, years[0].end(), s.end()):
            m = _COUNT_AFTER.match(text, mention.end)
            if not m:
                continue
            year = [y for y in years if y.start() < mention.start][-1]
            region = text[year.start():m.end()]
            cumulative = "累计" in region
            try:
                n = count(m.group("n"))
            except ValueError:
                continue
            out.append(TargetRecord(mention.tier, n, int(year.group("year")), cumulative,
                                    view.evidence(mention.start, m.end())))
    return out


def _table_rows(text: str, start: int) -> list[list[tuple[int, int, list[tuple[int, int]]]]]:
    """Tables as lists of rows; a row is (start, end, cell spans)."""
    tables: list[list[tuple[int, int, list[tuple[int, int]]]]] = []
    rows: list[tuple[int, int, list[tuple[int, int]]]] = []
    cells: list[tuple[int, int]] = []
    pos = start
    in_table = False

    def close_row():
        nonlocal cells
        if cells:
            rows.append((cells[0][0], cells[-1][1], cells))
        cells = []

    for line in text[start:].splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        if line.startswith("\t"):
            in_table = True
            cells.append((s + 1, e))
        elif in_table and not line.strip():
            close_row()
        elif in_table and cells and len(line.strip()) <= 12:
            cells[-1] = (cells[-1][0], e)  # a cell's second line: （累计数）
        else:
            if in_table:
                close_row()
                tables.append(rows)
                rows = []
            in_table = False
    close_row()
    if rows:
        tables.append(rows)
    return tables


def _tables(view: NormalizedText, start: int, tiers: TierScheme) -> list[TargetRecord]:
    text = view.text
    out = []
    for rows in _table_rows(text, start):
        header = None
        for r_start, r_end, cells in rows:
            labels = [text[a:b] for a, b in cells]
            years = [_YEAR_CELL.search(c) for c in labels]
            if sum(1 for y in years if y) >= 2:
                header = [(int(y.group("year")), "累计" in c, "基数" in c) if y else None
                          for y, c in zip(years, labels, strict=True)]
                continue
            if header is None or len(cells) != len(header):
                continue
            tier = next((t for t in (tiers.match(c.strip()) for c in labels) if t), None)
            if tier is None:
                continue
            for (a, b), col in zip(cells, header, strict=True):
                if col is None:
                    continue
                try:
                    n = count(text[a:b])
                except ValueError:
                    continue
                year, cumulative, baseline = col
                out.append(TargetRecord(tier, n, year, cumulative or baseline, view.evidence(r_start, r_end),
                                        baseline=baseline))
    return out


def extract_targets(view: NormalizedText, start: int, tiers: TierScheme | None = None) -> list[TargetRecord]:
    tiers = tiers or TierScheme.load()
    return _prose(view, start, tiers) + _tables(view, start, tiers)
