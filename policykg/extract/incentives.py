"""Incentives in a measure's text: rewards, subsidies, interest subsidies, fee caps,
vouchers, thresholds and prizes, with their figures and tiers.

A measure is read sentence by sentence (。；), each sentence clause by clause (，).
A clause with a money or rate figure and a type cue (``reference/incentive-types.toml``)
is an incentive. Forms of the genre::

    分别给予不超过100万元、100万元、20万元一次性奖励   → three capped rewards, one per tier listed before
    按…的20%给予补助，最高补助100万元                 → rate 0.2 and a cap (the 最高 clause continues it)
    给予企业不高于1%的贷款贴息，单个企业最高不超过10万元 → rate ≤ 0.01, cap 100000
    单个企业每年最高补贴20万元                        → per year
    费率不高于5‰ / 千分之五                           → rate 0.005, a cap
    总投资要求由1000万元调整为500万元                 → threshold 5000000, previously 10000000

Figures inside brackets (payment schedules, exclusions) and figures followed by 以上/以下
(eligibility conditions) are not incentives.
"""
from __future__ import annotations

import re

from policykg.extract.amounts import Figure, money, rates
from policykg.extract.patterns import CLOSE_BRACKETS, OPEN_BRACKETS
from policykg.ingest.normalize import NormalizedText
from policykg.records import IncentiveRecord
from policykg.reference.schemes import IncentiveTypes, TierScheme

_OPEN, _CLOSE = OPEN_BRACKETS + "《", CLOSE_BRACKETS + "》"  # titles are masked too
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSE_SEP = "，,"
_CONTINUES = re.compile(
    r"^\s*(?:单个企业|单家企业|每家(?:企业)?|每个(?:企业|项目|案例)?|单个项目|单个案例|最高|不超过|每年最高|且)"
)
_CAP_WORDS = r"(?:不超过|不高于|最高|最多|上限为?|封顶)"
_CAP_BEFORE = re.compile(_CAP_WORDS + r"(?:补助|补贴|奖励|资助|奖补|给予|不超过)?\s*$")
_RATE_CAP_BEFORE = re.compile(_CAP_WORDS + r"[^，,、%‰]*$")
_FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少)\s*$")
_CONDITION_AFTER = re.compile(r"\s*(?:以上|以下|及以上|及以下)")
_CHANGE = re.compile(r"由\s*(?P<old>\S+?元)\s*(?:调整|降低|下调|降|提高|上调|放宽)(?:为|至|到)\s*(?P<new>\S+?元)")
_PER_YEAR = re.compile(r"每年|每年度|/年|一年一次")


def _masked(text: str) -> str:
    """``text`` with the inside of brackets blanked out (same length, offsets kept)."""
    out, depth = [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
            out.append(ch)
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
            out.append(ch)
        else:
            out.append("\u3000" if depth else ch)
    return "".join(out)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, s = [], start
    for i in range(start, end):
        if text[i] in _CLAUSE_SEP:
            spans.append((s, i))
            s = i + 1
    spans.append((s, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _bound(masked: str, clause_start: int, fig: Figure, rate: bool = False) -> str | None:
    """max for 不超过/最高/不高于 before the figure, min for 不低于; for a rate the cap word
    may stand further off: 不高于2023年以来实际完成投资额的20%."""
    before = masked[max(clause_start, fig.start - 8):fig.start]
    if _CAP_BEFORE.search(before) or (rate and _RATE_CAP_BEFORE.search(masked[clause_start:fig.start])):
        return "max"
    if _FLOOR_BEFORE.search(before):
        return "min"
    return None


def _figures(masked: str, start: int, end: int) -> tuple[list[Figure], list[Figure]]:
    keep = lambda f: not _CONDITION_AFTER.match(masked, f.end)  # noqa: E731
    return ([f for f in money(masked, start, end) if keep(f)],
            [f for f in rates(masked, start, end) if keep(f)])


class IncentiveReader:
    def __init__(self, types: IncentiveTypes | None = None, tiers: TierScheme | None = None):
        self.types = types or IncentiveTypes.load()
        self.tiers = tiers or TierScheme.load()

    def read(self, view: NormalizedText, start: int, end: int) -> list[IncentiveRecord]:
        text = view.text
        masked = text[:start] + _masked(text[start:end]) + text[end:]
        out: list[IncentiveRecord] = []
        for m in _SENTENCE.finditer(masked, start, end):
            out.extend(self._sentence(view, masked, m.start(), m.end()))
        return out

    def _sentence(self, view: NormalizedText, masked: str, s_start: int, s_end: int) -> list[IncentiveRecord]:
        text = view.text
        sentence = masked[s_start:s_end]
        ev_start, ev_end = s_start, s_end
        while ev_start < ev_end and text[ev_start] in " \t\u3000\n":
            ev_start += 1
        while ev_end > ev_start and text[ev_end - 1] in " \t\u3000\n":
            ev_end -= 1
        evidence = view.evidence(ev_start, ev_end)
        out: list[IncentiveRecord] = []
        last: IncentiveRecord | None = None
        for c_start, c_end in _clauses(masked, s_start, s_end):
            amounts, rate_figs = _figures(masked, c_start, c_end)
            if not amounts and not rate_figs:
                continue
            first = min([f.start for f in amounts + rate_figs])
            clause = masked[c_start:c_end]
            per_year = bool(_PER_YEAR.search(masked, c_start, first) or _PER_YEAR.search(clause))
            if last is not None and _CONTINUES.match(clause):
                self._fill(last, masked, c_start, amounts, rate_figs)
                last.per_year |= per_year
                continue
            kind = self.types.kind(masked[first:c_end], masked[s_start:first], sentence)
            if kind is None:
                continue
            change = _CHANGE.search(masked, c_start, c_end)
            if change and kind == "investment-threshold":
                old, new = money(change.group("old")), money(change.group("new"))
                if old and new:
                    rec = IncentiveRecord(kind, evidence, min_investment=new[0].value,
                                          previous_min_investment=old[0].value)
                    rec.tiers = self._tier_keys(masked, s_start, first)
                    out.append(rec)
                    last = rec
                    continue
            distributed = "分别" in masked[s_start:c_end] and len(amounts) > 1
            if distributed:
                tiers = self.tiers.mentions(masked, s_start, first)
                list_bound = _bound(masked, c_start, amounts[0])
                for i, fig in enumerate(amounts):
                    rec = IncentiveRecord(kind, evidence, per_year=per_year)
                    bound = _bound(masked, c_start, fig) or list_bound
                    self._money(rec, fig, bound)
                    if len(tiers) == len(amounts):
                        rec.tiers = [tiers[i].tier]
                    out.append(rec)
                last = out[-1]
                continue
            rec = IncentiveRecord(kind, evidence, per_year=per_year)
            rec.tiers = self._tier_keys(masked, s_start, first)
            self._fill(rec, masked, c_start, amounts, rate_figs)
            out.append(rec)
            last = rec
        return out

    def _tier_keys(self, masked: str, s_start: int, pos: int) -> list[str]:
        """The tiers of the nearest clause before the figure that names any (its own first)."""
        mentions = self.tiers.mentions(masked, s_start, pos)
        if not mentions:
            return []
        last = mentions[-1]
        clause_start = max(masked.rfind(sep, s_start, last.start) for sep in _CLAUSE_SEP) + 1
        keys: list[str] = []
        for m in mentions:
            if m.start >= clause_start and m.tier not in keys:
                keys.append(m.tier)
        return keys

    def _money(self, rec: IncentiveRecord, fig: Figure, bound: str | None) -> None:
        if rec.kind == "investment-threshold":
            rec.min_investment = fig.value
        elif bound == "max":
            rec.max_amount = fig.value
        else:
            rec.amount = fig.value

    def _fill(self, rec: IncentiveRecord, masked: str, c_start: int, amounts: list[Figure],
              rate_figs: list[Figure]) -> None:
        for fig in rate_figs[:1]:
            if rec.rate is None:
                rec.rate = fig.value
                rec.rate_bound = _bound(masked, c_start, fig, rate=True)
                if rec.rate_bound is None and re.match(r"^[\s\u3000]*(?:以内|为上限)", masked[fig.end:]):
                    rec.rate_bound = "max"
        for fig in amounts:
            self._money(rec, fig, _bound(masked, c_start, fig))
