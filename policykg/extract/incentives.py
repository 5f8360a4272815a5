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
(eligibility conditions) are not incentives, except a threshold the bracket states
(``实际投资（税后超100万元）的10%`` → threshold 1000000).

Not every sum is an enterprise's:

    市工信专项资金每年统筹安排不高于1000万元服务券   → a budget (allocation, ≤, per year), no incentive
    共奖励企业69家，奖励资金2650万元                → a budget (disbursed total)
    支持市县运用创新券…给予不低于80%的兑付补助       → an incentive for lower governments (a directive)
    对平台运营机构给予最高50万元补助                → an incentive for a service provider
"""
from __future__ import annotations

import re

from policykg.extract.amounts import Figure, money, rates
from policykg.extract.patterns import CLOSE_BRACKETS, OPEN_BRACKETS
from policykg.ingest.normalize import NormalizedText
from policykg.records import BudgetRecord, IncentiveRecord
from policykg.reference.schemes import IncentiveTypes, TierScheme

_OPEN, _CLOSE = OPEN_BRACKETS + "《", CLOSE_BRACKETS + "》"  # titles are masked too
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSE_SEP = "，,"
_CONTINUES = re.compile(
    r"^\s*(?:单个企业|单家企业|每家(?:企业)?|每个(?:企业|项目|案例)?|单个项目|单个案例|最高|不超过|每年最高|且)"
)
_CAP_WORDS = r"(?:不超过|不高于|最高|最多|上限为?|封顶)"
_CAP_BEFORE = re.compile(_CAP_WORDS + r"(?:可)?(?:获得|给予|享受)?(?:补助|补贴|奖励|资助|奖补|给予|不超过)?\s*$")
_RATE_CAP_BEFORE = re.compile(_CAP_WORDS + r"[^，,、%‰]*$")
_FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少)\s*$")
_CONDITION_AFTER = re.compile(r"\s*(?:以上|以下|及以上|及以下)")
_CHANGE = re.compile(r"由\s*(?P<old>\S+?元)\s*(?:调整|降低|下调|降|提高|上调|放宽)(?:为|至|到)\s*(?P<new>\S+?元)")
_PER_YEAR = re.compile(r"每年|每年度|/年|一年一次")
# a programme's money: allocated (统筹安排, 安排…专项资金, 设立…资金, 资金规模) or paid out (共奖励…, 下达…)
_ALLOCATION = re.compile(r"统筹安排|(?:每年|年度)?安排|设立|筹集|资金规模|基金规模|预算安排")
_PROGRAMME = re.compile(r"资金|基金|预算|用于")  # the clause says the sum is a fund's, or what it is for
_DISBURSED = re.compile(r"(?:共|合计|总计|累计)(?:奖励|补助|补贴|兑现|拨付|下达|发放)"
                        r"|(?:下达|拨付|兑现|发放)了?[^，,。；]{0,12}资金")
_GRANTS = re.compile(r"给予|奖励[^资]|补助|补贴")  # a clause that grants, not only reports a sum
# who benefits when it is not an enterprise: lower governments the clause directs (支持市县…给予),
# service providers it funds (给予运营机构…, 对平台运营机构给予…)
_LOWER = (r"(?:各地|各市|各县|各区|各县区|各县（市、区）|市县|区县|市、县|县（市、区）|县\(市、区\)|县市区|地方|各级政府"
          r"|市州|各市（州）)")
_DIRECTIVE = re.compile(rf"^[\s\u3000]*(?:同时|并|另外)?(?:鼓励|支持|引导|推动|指导|督促|要求){_LOWER}"
                        rf"|^[\s\u3000]*{_LOWER}(?:可|要|应)")
_PROVIDER_BODY = r"(?:运营机构|服务机构|服务平台|示范平台|运营单位|运营主体|公共服务机构|担保机构)"
_PROVIDER = re.compile(rf"给予[^，,。；]{{0,20}}?{_PROVIDER_BODY}|^[\s\u3000]*对[^，,。；]{{0,24}}?{_PROVIDER_BODY}")


def _beneficiary(text: str, c_start: int, c_end: int, prev: str | None) -> str:
    """Who the clause's incentive is for, read in the unmasked text (县（市、区） is bracketed)."""
    clause = text[c_start:c_end]
    if _DIRECTIVE.match(clause):
        return "lower-government"
    if _PROVIDER.search(clause) or (prev and _PROVIDER.match(prev)):
        return "service-provider"
    return "enterprise"


_INVESTMENT_THRESHOLD = re.compile(
    r"投资(?:额|总额)?(?:达到|超过|在|达)?\s*(?P<money>[\d.]+\s*(?:亿元|万元|元))\s*(?:及)?以上")
_BRACKET_THRESHOLD = re.compile(
    r"[（(][^（）()]{0,10}?(?:超|超过|达到|不低于)\s*(?P<money>[\d.]+\s*(?:亿元|万元|元))[^（）()]{0,6}[）)]")


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


def _budget_kind(masked: str, s_start: int, c_start: int, first: int, disbursed: bool) -> str | None:
    """'allocation' or 'disbursed' when the clause's sums are a programme's, else None."""
    clause_end = next((i for i in range(first, len(masked)) if masked[i] in "，,。；;"), len(masked))
    if _ALLOCATION.search(masked, c_start, first) and _PROGRAMME.search(masked, c_start, clause_end):
        return "allocation"  # 市财政每年安排3000万元专项资金, 设立规模10亿元的基金, 安排…用于
    if _ALLOCATION.search(masked, s_start, first) and re.search(r"服务券|创新券", masked[first:clause_end]):
        return "allocation"  # 市工信专项资金每年统筹安排不高于1000万元服务券: the vouchers' yearly budget
    if disbursed and not _GRANTS.search(masked, c_start, first):
        return "disbursed"
    return None


def _bracket_threshold(text: str, c_start: int, c_end: int, s_start: int):
    """A threshold the clause's bracket states (实际投资（税后超100万元）), or its sentence's
    condition (设备投资额达到500万元以上的，按…8%给予补助)."""
    m = _BRACKET_THRESHOLD.search(text, c_start, c_end) or _INVESTMENT_THRESHOLD.search(text, s_start, c_end)
    found = money(m.group("money")) if m else []
    return found[0].value if found else None


class IncentiveReader:
    def __init__(self, types: IncentiveTypes | None = None, tiers: TierScheme | None = None):
        self.types = types or IncentiveTypes.load()
        self.tiers = tiers or TierScheme.load()

    def read(self, view: NormalizedText, start: int, end: int) -> list[IncentiveRecord]:
        return self.read_all(view, start, end)[0]

    def read_all(self, view: NormalizedText, start: int, end: int) -> tuple[list[IncentiveRecord], list[BudgetRecord]]:
        """The incentives and the budgets of ``view.text[start:end]``."""
        text = view.text
        masked = text[:start] + _masked(text[start:end]) + text[end:]
        out: list[IncentiveRecord] = []
        budgets: list[BudgetRecord] = []
        for m in _SENTENCE.finditer(masked, start, end):
            out.extend(self._sentence(view, masked, m.start(), m.end(), budgets))
        return out, budgets

    def _sentence(self, view: NormalizedText, masked: str, s_start: int, s_end: int,
                  budgets: list[BudgetRecord]) -> list[IncentiveRecord]:
        text = view.text
        sentence = masked[s_start:s_end]
        ev_start, ev_end = s_start, s_end
        while ev_start < ev_end and text[ev_start] in " \t\u3000\n":
            ev_start += 1
        while ev_end > ev_start and text[ev_end - 1] in " \t\u3000\n":
            ev_end -= 1
        if ev_end <= ev_start:
            return []  # blank: no sentence
        evidence = view.evidence(ev_start, ev_end)
        out: list[IncentiveRecord] = []
        last: IncentiveRecord | None = None
        disbursed = bool(_DISBURSED.search(sentence))
        for c_start, c_end in _clauses(masked, s_start, s_end):
            amounts, rate_figs = _figures(masked, c_start, c_end)
            if not amounts and not rate_figs:
                continue
            first = min([f.start for f in amounts + rate_figs])
            clause = masked[c_start:c_end]
            before = text[s_start:c_start].rstrip("，, ")  # brackets read unmasked: 鼓励县（市、区）对…
            prev = before.rsplit("，", 1)[-1].rsplit(",", 1)[-1] if before else None
            beneficiary = _beneficiary(text, c_start, c_end, prev)
            per_year = bool(_PER_YEAR.search(masked, c_start, first) or _PER_YEAR.search(clause))
            budget = _budget_kind(masked, s_start, c_start, first, disbursed) if amounts else None
            if budget:  # a programme's money, not an enterprise's
                budgets.extend(BudgetRecord(budget, fig.value, evidence, _bound(masked, c_start, fig), per_year)
                               for fig in amounts)
                last = None
                continue
            if last is not None and _CONTINUES.match(clause):
                self._fill(last, masked, c_start, amounts, rate_figs)
                last.per_year |= per_year
                continue
            kind = self.types.kind(masked[first:c_end], masked[s_start:first], sentence)
            if kind is None:
                continue
            change = self._changed(kind, evidence, masked, s_start, c_start, c_end, first)
            if change is not None:
                out.append(change)
                last = change
                continue
            shared = self._distributed(kind, evidence, masked, s_start, c_start, c_end, first, amounts)
            if shared:
                for rec in shared:
                    rec.per_year, rec.beneficiary = per_year, beneficiary
                out.extend(shared)
                last = out[-1]
                continue
            rec = IncentiveRecord(kind, evidence, per_year=per_year, beneficiary=beneficiary)
            rec.tiers = self._tier_keys(masked, s_start, first)
            self._fill(rec, masked, c_start, amounts, rate_figs)
            if rec.min_investment is None:
                rec.min_investment = _bracket_threshold(text, c_start, c_end, s_start)
            out.append(rec)
            last = rec
        return out

    def _changed(self, kind: str, evidence, masked: str, s_start: int, c_start: int, c_end: int,
                 first: int) -> IncentiveRecord | None:
        """总投资要求由1000万元调整为500万元: a threshold with the one it replaces."""
        change = _CHANGE.search(masked, c_start, c_end)
        if not change or kind != "investment-threshold":
            return None
        old, new = money(change.group("old")), money(change.group("new"))
        if not (old and new):
            return None
        rec = IncentiveRecord(kind, evidence, min_investment=new[0].value, previous_min_investment=old[0].value)
        rec.tiers = self._tier_keys(masked, s_start, first)
        return rec

    def _distributed(self, kind: str, evidence, masked: str, s_start: int, c_start: int, c_end: int,
                     first: int, amounts: list[Figure]) -> list[IncentiveRecord]:
        """分别给予不超过100万元、100万元、20万元 (or a list joined by 、): one incentive per
        figure, each for the tier listed at its place when the counts agree, the list's
        不超过 shared."""
        listed = all(masked[a.end:b.start].strip() in ("、", "和", "或") for a, b in zip(amounts, amounts[1:], strict=False))
        if len(amounts) < 2 or not ("分别" in masked[s_start:c_end] or listed):
            return []
        tiers = self.tiers.mentions(masked, s_start, first)
        if len(tiers) > len(amounts):  # the tiers listed last before the figures: those they are for
            tiers = tiers[-len(amounts):]
        list_bound = _bound(masked, c_start, amounts[0])
        out = []
        for i, fig in enumerate(amounts):
            rec = IncentiveRecord(kind, evidence)
            self._money(rec, fig, _bound(masked, c_start, fig) or list_bound)
            if len(tiers) == len(amounts):
                rec.tiers = [tiers[i].tier]
            out.append(rec)
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
