"""Measures, units and incentives in styles the seed corpus does not have."""
from __future__ import annotations

from decimal import Decimal as D

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.link.documents import link
from policykg.link.organizations import resolve_organizations
from policykg.reference.areas import Gazetteer

WENZHOU = """温州市人民政府办公室关于加快专精特新企业培育的若干措施
温政办发〔2024〕3号
各县（市、区）人民政府，市政府直属各单位：
一、强化梯度培育
1.对首次认定的国家级专精特新“小巨人”企业、省级专精特新中小企业，分别给予一百万元、二十万元奖励。（牵头单位：市经信局，配合单位：市财政局、市科技局）
2.支持企业上市融资，对在境内外上市的专精特新企业给予最高1.5亿元的奖补。（市经信局、市财政局）
3.推进数字化改造，按投资额的百分之二十给予补助，单个项目最高补助一百万元。
责任单位：市经信局、市财政局
4.鼓励企业参与标准制定，对主导制定国际标准的企业给予三十万元奖励。（责任单位：市市场监管局；配合单位：市数字化改革促进中心）
5.支持企业开拓市场，对参加境外展会的企业按展位费的50%给予
"""


def _extract(text, name="wenzhou.txt"):
    return extract(normalize(name, text), Gazetteer.load())


def test_lead_and_cooperating_labels():
    record, _ = _extract(WENZHOU)
    m = record.measures[0]
    assert [(u.name, u.role) for u in m.responsibility.units] == [
        ("市经信局", "lead"), ("市财政局", "cooperating"), ("市科技局", "cooperating")]
    assert m.responsibility.lead_basis == "stated"
    assert [(i.tiers, i.amount) for i in m.incentives] == [(["little-giant"], D(1000000)),
                                                          (["specialized-sme"], D(200000))]


def test_bare_bracket_units_and_decimal_amounts():
    record, _ = _extract(WENZHOU)
    m = record.measures[1]
    assert [u.name for u in m.responsibility.units] == ["市经信局", "市财政局"]
    assert m.responsibility.lead_basis == "first-listed"
    (inc,) = m.incentives
    assert (inc.kind, inc.max_amount) == ("subsidy", D(150000000))


def test_units_on_their_own_line_and_chinese_rates():
    record, _ = _extract(WENZHOU)
    m = record.measures[2]
    assert [u.name for u in m.responsibility.units] == ["市经信局", "市财政局"]
    assert m.evidence.exact.endswith("责任单位：市经信局、市财政局")
    (inc,) = m.incentives
    assert (inc.rate, inc.max_amount) == (D("0.2"), D(1000000))


def test_semicolon_between_labels_and_unknown_unit_warns():
    record, _ = _extract(WENZHOU)
    m = record.measures[3]
    assert [(u.name, u.role) for u in m.responsibility.units] == [
        ("市市场监管局", "lead"), ("市数字化改革促进中心", "cooperating")]
    corpus = link([record], Gazetteer.load())
    warnings = resolve_organizations(corpus)
    assert [str(w) for w in warnings] == [
        "wenzhou.txt:9: warning: unknown organization '市数字化改革促进中心' in measure 4: added as "
        "'温州市数字化改革促进中心'; add it to reference/organizations.toml if it is another name of a known agency"]
    assert corpus.organizations["温州市数字化改革促进中心"].pref_label == "市数字化改革促进中心"
    assert corpus.organizations["温州市经信局"].area == ("浙江省", "温州市")


def test_measure_cut_off_mid_sentence_is_kept_with_a_warning():
    record, diagnostics = _extract(WENZHOU)
    assert len(record.measures) == 5
    assert record.measures[-1].text.endswith("按展位费的50%给予")
    assert any("measure 5 ends mid-sentence" in d.message and d.line == 10 for d in diagnostics)


ARTICLES = """某某省专精特新中小企业培育办法
第一章 总则
第一条 为促进专精特新中小企业高质量发展，制定本办法。
第二条 本办法适用于本省行政区域内的中小企业。
第二章 支持措施
第三条 对新认定的制造业单项冠军企业给予一次性奖励五十万元。
第四条 政府性融资担保机构担保费率不高于百分之一。
"""


def test_article_numbering_and_chapters():
    record, _ = _extract(ARTICLES, "articles.txt")
    assert [m.number for m in record.measures] == ["第一条", "第二条", "第三条", "第四条"]
    assert record.measures[2].section == "第二章 支持措施"
    (reward,) = record.measures[2].incentives
    assert (reward.kind, reward.amount, reward.tiers) == ("one-off-reward", D(500000), ["single-champion"])
    (fee,) = record.measures[3].incentives
    assert (fee.kind, fee.rate, fee.rate_bound) == ("guarantee-fee-cap", D("0.01"), "max")


def test_targets_in_another_city_style():
    text = ("某市专精特新企业培育行动方案\n一、主要目标\n到2027年，力争全市累计培育创新型中小企业2000家、"
            "专精特新中小企业五百家，新增国家级专精特新“小巨人”企业20家。\n")
    record, _ = _extract(text, "targets.txt")
    assert [(t.tier, t.count, t.year, t.cumulative) for t in record.targets] == [
        ("innovative-sme", 2000, 2027, True), ("specialized-sme", 500, 2027, True), ("little-giant", 20, 2027, True)]
