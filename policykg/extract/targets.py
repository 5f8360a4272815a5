"""Cultivation targets: how many enterprises of a tier by which year.

In prose, a year marker (至/到2028年) then tiers each followed by a count::

    到2028年，全市累计培育专精特新中小企业4750家、省隐形冠军企业110家 …
    中央奖补支持重点专精特新“小巨人”企业力争累计突破150家
    力争到2026年新增省级“专精特新”中小企业达到100家，新增省“隐形冠军”3家

累计 makes a target cumulative, 新增 an increment. The year is that of 到X年, X年底/末,
“十四五”末 (2025) or a sentence opening with its year; a yearly plan's 新增 counts with no
year of their own are for the plan's year (its title's). ``60家、力争100家`` is a target of
60 with a stretch figure of 100. Increments per year (每年新增, 年均) and the stock already
reached (目前已培育) are no targets. In a table (cells on lines opening
with a tab, rows parted by blank lines, as PDF/Word captures give them), a header row of
year columns (``2024年（累计数）``, ``2023年基数``) and rows whose label names a tier.
"""
from __future__ import annotations

import re

from policykg.extract.amounts import count
from policykg.ingest.normalize import NormalizedText
from policykg.records import TargetRecord
from policykg.reference.schemes import QUOTES, TierScheme

# the year a target is for: 到2028年, 到2025年底, 2025年末, “十四五”末 (→ 2025), or a
# sentence that opens with its year (2025年，新认定…)
_YEAR_MARK = re.compile(
    r"(?:(?:至|到|截至|截止)\s*(?P<by>\d{4})\s*年(?:底|末)?"
    r"|(?P<end>\d{4})\s*年(?:底|末|前|以前)"
    rf"|[{QUOTES}]?(?P<plan>十[一二三四五六])五[{QUOTES}]?(?:规划)?(?:期末|末|期间|时期)"
    r"|(?P<opens>\d{4})\s*年(?:度)?\s*[,，:：])"
)
_PLAN_END = {"十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030, "十六": 2035}
_SENTENCE = re.compile(r"[^。；;\n]+")
_COUNT = r"(?P<n>\d+(?:\.\d+)?\s*万?|[一二两三四五六七八九十百千万]+)\s*(?:家|个|户)(?:左右|以上)?"
_COUNT_AFTER = re.compile(
    rf"[{QUOTES}\s]*(?:数量|总数|总量|数)?\s*(?P<verb>(?:力争)?(?:累计)?(?:达到|突破|超过|新增|新认定|培育)?)\s*{_COUNT}"
    # 60家、力争100家: the target is 60, 100 the stretch figure
    r"(?:[、，,]\s*力争(?:达到|突破)?\s*(?P<stretch>\d+)\s*(?:家|个|户))?"
)
# a count or stock that is no target: 每年新增 / 年均增加 increments, 目前已培育 stock
_NOT_A_TARGET = re.compile(r"每年|年均|已培育|已认定|已有|现有|目前|累计已|已累计|已达|已经")
# A、B、C分别达到1500家、500家、60家: one count per tier listed, in order
_SHARED_COUNTS = re.compile(
    rf"[{QUOTES}\s]*(?:数量|总数)?\s*分别(?P<verb>(?:力争)?(?:累计)?(?:达到|突破|超过|新增|新认定|培育)?)\s*"
    r"(?P<counts>\d+\s*(?:家|个|户)?(?:\s*[、和]\s*\d+\s*(?:家|个|户)?)+)")
_NEW = re.compile(r"新增|新认定")
# a plan for one year names it in its title (武汉市2023年中小企业工作要点); no range (2024—2026年)
_PLAN_YEAR = re.compile(r"(?<![\d—\-–~至])(?P<year>\d{4})\s*年(?:度)?(?!\s*[—\-–~至到])")
_YEAR_CELL = re.compile(r"(?P<year>\d{4})\s*年")


def _year(m: re.Match[str]) -> int:
    if m.group("plan"):
        return _PLAN_END[m.group("plan")]
    return int(m.group("by") or m.group("end") or m.group("opens"))


def plan_year(title: str | None) -> int | None:
    """The one year a yearly plan's title names (2023年…工作要点), or None.

    >>> plan_year("武汉市2023年中小企业工作要点"), plan_year("专精特新企业三年倍增行动方案（2024—2026年）")
    (2023, None)
    """
    years = {int(m.group("year")) for m in _PLAN_YEAR.finditer(title or "")}
    return years.pop() if len(years) == 1 and not re.search(r"\d{4}\s*[—\-–~至到]", title or "") else None


def _shared(view: NormalizedText, mentions: list, years: list[re.Match[str]]) -> list[TargetRecord]:
    """Targets listed as tiers then counts: A、B、C分别达到1500家、500家、60家."""
    text, out = view.text, []
    for i, last in enumerate(mentions):
        m = _SHARED_COUNTS.match(text, last.end)
        if not m:
            continue
        counts = [int(c) for c in re.findall(r"\d+", m.group("counts"))]
        listed = mentions[max(0, i + 1 - len(counts)):i + 1]
        before = [y for y in years if y.start() < listed[0].start]
        lead_in = text[before[-1].start() if before else listed[0].start:listed[0].start]
        if len(listed) != len(counts) or not before or _NOT_A_TARGET.search(lead_in):
            continue
        for mention, n in zip(listed, counts, strict=True):
            out.append(TargetRecord(mention.tier, n, _year(before[-1]), "累计" in lead_in + m.group("verb"),
                                    view.evidence(listed[0].start, m.end())))
    return out


def _prose(view: NormalizedText, start: int, tiers: TierScheme, year_of_plan: int | None) -> list[TargetRecord]:
    text = view.text
    out = []
    for s in _SENTENCE.finditer(text, start):
        opening = s.start() + len(s.group()) - len(s.group().lstrip())
        years = [y for y in _YEAR_MARK.finditer(text, s.start(), s.end()) if not y.group("opens") or y.start() == opening]
        mentions = tiers.mentions(text, years[0].end() if years else s.start(), s.end())
        out.extend(_shared(view, mentions, years))
        for mention in mentions:
            m = _COUNT_AFTER.match(text, mention.end)
            if not m:
                continue
            before = [y for y in years if y.start() < mention.start]
            lead_in = text[before[-1].start() if before else s.start():mention.start]
            if _NOT_A_TARGET.search(lead_in + m.group("verb")):
                continue
            if before:
                year = _year(before[-1])
            elif year_of_plan and _NEW.search(lead_in + m.group("verb")):
                year = year_of_plan  # 新增…500家 in a yearly plan: that year's additions
            else:
                continue
            region = lead_in + text[mention.start:m.end()]
            try:
                n = count(m.group("n"))
            except ValueError:
                continue
            stretch = int(m.group("stretch")) if m.group("stretch") else None
            out.append(TargetRecord(mention.tier, n, year, "累计" in region,
                                    view.evidence(mention.start, m.end()), stretch=stretch))
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


def extract_targets(view: NormalizedText, start: int, tiers: TierScheme | None = None,
                    title: str | None = None) -> list[TargetRecord]:
    """The targets of ``view`` from ``start``; a yearly plan's ``title`` dates its 新增 counts."""
    tiers = tiers or TierScheme.load()
    return _prose(view, start, tiers, plan_year(title)) + _tables(view, start, tiers)
