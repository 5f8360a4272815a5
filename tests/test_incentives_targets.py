"""Incentives, tiers, ladders and targets, on the real corpus."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from test_measures import DRAFT, H65, H81, QT, Z21, _measure


def _incentives(docs, key, number, kind=None):
    return [i for i in _measure(docs, key, number).incentives if kind is None or i.kind == kind]


@pytest.mark.parametrize("key, number, capped", [(H81, "3", True), (H65, "（一）", True), (QT, "四.2", False)])
def test_one_off_rewards_per_tier_in_the_hangzhou_documents(docs, key, number, capped):
    rewards = _incentives(docs, key, number, "one-off-reward")
    by_tier = {tuple(i.tiers): (i.max_amount if capped else i.amount) for i in rewards}
    assert by_tier == {("little-giant",): D(1000000), ("hidden-champion",): D(1000000),
                       ("specialized-sme",): D(200000)}
    assert all((i.amount is None) == capped for i in rewards)


@pytest.mark.parametrize("key, number", [(H81, "9"), (QT, "四.3")])
def test_technical_renovation_threshold_and_subsidies(docs, key, number):
    threshold, high, other = _incentives(docs, key, number)
    assert threshold.kind == "investment-threshold"
    assert (threshold.min_investment, threshold.previous_min_investment) == (D(5000000), D(10000000))
    assert (high.kind, high.rate, high.max_amount) == ("subsidy", D("0.2"), D(100000000))
    assert (other.rate, other.max_amount) == (D("0.1"), D(50000000))


def test_technical_renovation_subsidy_of_81_is_a_maximum(docs):
    assert _incentives(docs, H81, "9")[1].rate_bound == "max"  # 按照不高于…的20%


def test_interest_subsidy_cap_rises_from_81_to_65(docs):
    (i81,) = _incentives(docs, H81, "17", "interest-subsidy")
    (i65,) = _incentives(docs, H65, "（十一）", "interest-subsidy")
    (iqt,) = _incentives(docs, QT, "四.5", "interest-subsidy")
    assert (i81.rate, i81.rate_bound, i81.max_amount, i81.per_year) == (D("0.01"), "max", D(100000), False)
    assert (i65.rate, i65.rate_bound, i65.max_amount, i65.per_year) == (D("0.01"), "max", D(200000), True)
    assert (iqt.rate, iqt.rate_bound, iqt.max_amount) == (D("0.01"), None, D(100000))  # 财政给予1%贷款贴息


@pytest.mark.parametrize("key, number", [(H81, "17"), (H65, "（十一）"), (QT, "四.5")])  # 5‰, 5‰, 千分之五
def test_guarantee_fee_caps_in_permille_and_chinese(docs, key, number):
    (fee,) = _incentives(docs, key, number, "guarantee-fee-cap")
    assert (fee.rate, fee.rate_bound) == (D("0.005"), "max")


@pytest.mark.parametrize("key, number", [(H81, "22"), (QT, "四.7")])
def test_digitalization_subsidy(docs, key, number):
    (sub,) = _incentives(docs, key, number, "subsidy")
    assert (sub.rate, sub.max_amount, sub.amount) == (D("0.2"), D(1000000), None)


@pytest.mark.parametrize("key, number", [(H81, "25"), (H65, "（十四）")])
def test_a_yearly_voucher_budget_is_a_budget_not_an_enterprises_cap(docs, key, number):
    """市…专项资金每年统筹安排不高于1000万元服务券: the city's yearly budget, which read as a
    per-enterprise cap (pkg:maxAmount 10000000) before issue 19."""
    m = _measure(docs, key, number)
    assert [(b.kind, b.amount, b.bound, b.per_year) for b in m.budgets] == [("allocation", D(10000000), "max", True)]
    assert "统筹安排不高于1000万元服务券" in m.budgets[0].evidence.exact
    assert not [i for i in m.incentives if i.max_amount == D(10000000)]


def test_beneficiaries_other_than_enterprises(docs):
    (directive,) = [i for i in _measure(docs, Z21, "二（二）").incentives if i.rate == D("0.8")]
    assert directive.beneficiary == "lower-government"  # 支持市县运用创新券…给予不低于80%的兑付补助
    park = _measure(docs, H65, "（四）").incentives  # 给予运营机构最高200万元补助
    assert [i.beneficiary for i in park] == ["service-provider", "service-provider"]
    assert _measure(docs, H65, "（一）").incentives[0].beneficiary == "enterprise"


def test_other_incentive_forms(docs):
    prizes = _incentives(docs, H65, "（二）", "prize")  # 创客中国大赛: 分别给予最高 50 万元、30 万元
    assert [p.max_amount for p in prizes] == [D(500000), D(300000)] and all(not p.tiers for p in prizes)
    (reward,) = _incentives(docs, H65, "（二）", "reward")
    assert (reward.max_amount, reward.tiers) == (D(500000), ["innovative-sme"])
    park = _incentives(docs, H65, "（四）", "subsidy")  # brackets' 40%/30% payment schedule is not a rate
    assert [(p.max_amount, p.rate, p.per_year) for p in park] == [(D(2000000), None, False), (D(500000), None, True)]
    (booth,) = _incentives(docs, DRAFT, "13")  # the draft's 展位费70%, dropped from the final
    assert (booth.kind, booth.rate, booth.rate_bound) == ("subsidy", D("0.7"), "max")
    assert not [i for m in docs[Z21].measures for i in m.incentives if i.rate == D("0.7")]
    (floor,) = _incentives(docs, Z21, "二（二）")  # 不低于80%
    assert (floor.rate, floor.rate_bound) == (D("0.8"), "min")


def test_conditions_are_not_incentives(docs):
    # 21号 二（一）: 研发费用占营业收入比重3%以上…超过1000万元的企业 are eligibility conditions
    assert _incentives(docs, Z21, "二（一）") == []
    # 21号 五（二）: a fund's size is not an incentive
    assert _incentives(docs, Z21, "五（二）") == []


def test_tier_mentions(docs):
    tiers = {t.tier for t in _measure(docs, H81, "3").tiers}
    assert {"little-giant", "hidden-champion", "specialized-sme"} <= tiers
    assert "key-little-giant" in {t.tier for t in _measure(docs, H65, "（十二）").tiers}
    assert "single-champion" in {t.tier for t in _measure(docs, Z21, "一（一）").tiers}


@pytest.mark.parametrize("key, rungs", [
    (H81, [["innovative-sme"], ["specialized-sme", "hidden-champion"], ["little-giant"]]),
    (H65, [["innovative-sme"], ["specialized-sme", "hidden-champion"], ["little-giant"]]),
    (Z21, [["tech-sme", "innovative-sme"], ["specialized-sme"], ["little-giant"]]),
    (QT, [["innovative-sme"], ["specialized-sme"], ["hidden-champion"], ["little-giant"]]),
    (DRAFT, [["innovative-sme"], ["specialized-sme"], ["little-giant"]]),
])
def test_ladders(docs, key, rungs):
    assert docs[key].ladder.rungs == rungs


def _targets(docs, key):
    return {(t.tier, t.year, t.baseline): (t.count, t.cumulative) for t in docs[key].targets}


def test_prose_targets(docs):
    assert _targets(docs, H81) == {
        ("innovative-sme", 2025, False): (30000, True), ("specialized-sme", 2025, False): (4000, True),
        ("hidden-champion", 2025, False): (100, True), ("little-giant", 2025, False): (500, True)}
    assert _targets(docs, H65) == {
        ("specialized-sme", 2028, False): (4750, True), ("hidden-champion", 2028, False): (110, True),
        ("little-giant", 2028, False): (750, True), ("key-little-giant", 2028, False): (150, True)}
    assert _targets(docs, Z21) == {} and _targets(docs, DRAFT) == {}


def test_qiantang_table_and_prose_targets(docs):
    t = _targets(docs, QT)
    assert t[("specialized-enterprise", 2023, True)] == (200, True)  # 2023年基数
    assert [t[("specialized-enterprise", y, False)] for y in (2024, 2025, 2026)] == [(270, True), (350, True), (400, True)]
    assert [t[("hidden-champion", y, False)][0] for y in (2024, 2025, 2026)] == [5, 6, 7]
    assert [t[("little-giant", y, False)][0] for y in (2023, 2024, 2025, 2026) if (("little-giant", y, False) in t)] \
        == [35, 40, 45]
    assert t[("little-giant", 2023, True)] == (29, True)
    # prose: 力争到2026年新增省级“专精特新”中小企业达到100家，新增省“隐形冠军”3家，国家专精特新“小巨人”企业15家
    assert t[("specialized-sme", 2026, False)] == (100, False)


def test_measure_level_evidence_quotes_the_original(docs):
    m = _measure(docs, DRAFT, "1")
    assert m.evidence.exact.startswith("1.建立梯度培育體系。加強頂層設計")  # the original, in traditional characters
    assert m.responsibility.evidence.exact.startswith("(責任單位:省經信廳")
