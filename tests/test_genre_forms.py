"""Forms of the genre (issue 19): tiers named anywhere in a document, heads without a title
line, page headlines, metadata fields, article-style measures, a plan's frame, HTML and
mojibake noise. Each rule has snippets written as such documents write them, and the dev
texts it was measured on."""
from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.reference.areas import Gazetteer
from policykg.reference.schemes import TierScheme
from tests.conftest import SHARED

REALWORLD = SHARED / "realworld"
BODY = "各区人民政府，市各有关部门：\n现将有关事项通知如下，请认真贯彻执行，结合实际抓好落实工作。\n"


def _record(text: str):
    return extract(normalize("t.txt", text), Gazetteer.load())[0]


def _dev(name: str):
    text = (REALWORLD / "docs" / f"{name}.txt").read_text("utf-8").split("\n", 1)[1]
    gold = json.loads((REALWORLD / "gold" / f"{name}.json").read_text("utf-8"))
    return extract(normalize(f"{name}.txt", text), Gazetteer.load())[0], gold


needs_dev = pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is absent")


# -- tiers at document level ---------------------------------------------------------------
def test_a_document_names_the_tiers_of_its_title_and_preamble_outside_any_measure():
    r = _record("某某市专精特新“小巨人”企业培育计划\n" + BODY + "到2025年，新增创新型中小企业100家。\n")
    assert [t.value for t in r.tiers] == ["little-giant", "innovative-sme"]
    assert r.tiers[0].evidence.exact == "专精特新“小巨人”企业" and r.measures == []


def test_a_tier_inside_a_cited_title_is_that_documents_not_this_ones():
    r = _record("某某市中小企业工作要点\n为贯彻落实《某某省专精特新“小巨人”企业培育办法》，结合实际，制定本要点。\n")
    assert r.tiers == []


def test_a_tier_wording_as_a_slogans_attribute_is_no_tier():
    assert TierScheme.load().mentions("助力我市打造制造业单项冠军之城。") == []
    assert [m.tier for m in TierScheme.load().mentions("培育制造业单项冠军企业10家")] == ["single-champion"]


@pytest.mark.parametrize("wording, tier", [
    ("“小升规”培育企业", "scale-up-candidate"),
    ("专精特新中小企业“小巨人”", "little-giant"),
    ("“专精特新”优质中小企业", "specialized-enterprise"),
    ("省级制造业单项冠军", "single-champion"),
])
def test_tier_wordings_of_other_provinces(wording, tier):
    assert [m.tier for m in TierScheme.load().mentions(f"加快培育{wording}。")] == [tier]


@needs_dev
@pytest.mark.parametrize("name", ["09_wuhan-sme-work-points-2023-trad", "16_quanzhou-zjtx-action-plan",
                                  "37_miit-2nd-batch-xiaojuren-notice-2020"])
def test_dev_texts_name_their_tiers_outside_measures(name):
    r, gold = _dev(name)
    named = {str(t.value) for t in r.tiers}
    assert "specialized-sme" in named or "specialized-enterprise" in named
    assert len(named) >= len(gold["tiers_mentioned"]) - 1  # 09 also names 科技型中小企业, a tier of the scheme


# -- heads -------------------------------------------------------------------------------
def test_a_page_headline_above_its_date_line_gives_way_to_the_documents_own_head():
    text = ("某某市工业和信息化局 关于印发《2025某某市专精特新企业培育方案》的通知\n"
            "发布时间:2025年02月11日 来源:某某市工业和信息化局官网 点击数:\n\n"
            "某某市工业和信息化局关于印发《2025年某某市专精特新企业培育方案》的通知\n" + BODY)
    r = _record(text)
    assert r.title.value == "2025年某某市专精特新企业培育方案"
    assert [c.title for c in r.cites] == []  # the headline's variant of the title is no citation


def test_a_consultation_notice_without_a_headline_is_the_draft_it_names():
    text = ("为规范认定管理，根据《中华人民共和国中小企业促进法》，市工业和信息化局起草了"
            "《某某市“专精特新”中小企业认定管理办法(征求意见稿)》。\n现面向社会各界公开征求意见，时间为4月12日-4月20日。\n"
            "某某市工业和信息化局\n2021年4月12日\n")
    r = _record(text)
    assert r.title.value == "某某市“专精特新”中小企业认定管理办法(征求意见稿)" and r.is_draft.value is True
    assert [c.title for c in r.cites] == ["中华人民共和国中小企业促进法"]  # a law is cited; the draft is not
    assert str(r.date_document.value) == "2021-04-12"


def test_a_news_report_of_a_policy_gives_its_title_and_issuer():
    r = _record("近日，某某市人民政府办公室印发某某市专精特新企业三年倍增行动方案，其中明确提出：对新认定的企业给予奖励。\n")
    assert r.title.value == "某某市专精特新企业三年倍增行动方案"
    assert [str(i.value) for i in r.issuers] == ["某某市人民政府办公室"]


def test_no_title_line_records_no_title_and_warns():
    view = normalize("t.txt", "一、加强企业培育。对新认定的企业给予奖励，各地要抓好落实。\n二、优化服务。\n")
    record, diagnostics = extract(view, Gazetteer.load())
    assert record.title is None
    assert any("no title found" in d.message for d in diagnostics)


def test_a_broken_title_lines_tail_is_no_title():
    r = _record("某某州人民政府办公室\n关于印发《某某州优质中小企业梯度培育试点\n专项资金管理办法(试行)》的通知\n" + BODY)
    assert r.title is None or "》" not in str(r.title.value)


def test_a_notice_that_issues_a_policy_and_more_does_not_cite_what_it_issues():
    r = _record("关于印发《某某省优质中小企业梯度培育管理实施方案》暨做好2022年申报工作的通知\n" + BODY
                + "我厅制定了《某某省优质中小企业梯度培育管理实施方案》（以下简称《实施方案》），现印发你们。\n")
    assert r.cites == []


def test_a_notice_quoted_with_its_inner_title_is_one_citation():
    r = _record("某某州人民政府办公室关于做好贯彻落实《某某省专精特新企业倍增三年行动计划》工作的通知\n" + BODY
                + "贯彻落实《某某省人民政府办公厅关于印发〈某某省专精特新企业倍增三年行动计划〉的通知》"
                + "（某政办发〔2025〕12号）。\n")
    assert [(c.title, c.doc_number) for c in r.cites] == [
        ("某某省人民政府办公厅关于印发〈某某省专精特新企业倍增三年行动计划〉的通知", "某政办发〔2025〕12号")]


# -- metadata fields -----------------------------------------------------------------------
def test_metadata_fields_give_validity_and_an_empty_field_is_no_fact():
    head = ("索引号: 307/2025 发布机构:\n生效日期: 2025-11-21 废止日期:\n文 号: 所属主题: 政策\n"
            "废止日期:\n文 号:\n时效性: 有效\n")
    r = _record(head + "某某州专精特新企业培育资金管理办法\n" + BODY)
    assert str(r.entry_into_force.value) == "2025-11-21"
    assert r.no_longer_in_force is None  # 废止日期: left empty
    assert r.stated_validity.value == "有效"


def test_a_bulleted_file_number_field_is_the_documents_number():
    r = _record("某某省人民政府关于实施专精特新中小企业梯度培育工程的意见\n  • 文件号 某政办明电〔2022〕1号\n" + BODY)
    assert r.doc_number.value == "某政办明电〔2022〕1号"


# -- measures ------------------------------------------------------------------------------
def test_an_articles_own_items_are_part_of_the_article():
    text = ("某某市中小企业发展项目扶持计划操作规程\n第一章 总则\n第一条 为了贯彻落实有关规定，制定本规程。\n"
            "第二条 本规程所列资助项目的具体支持对象如下：\n（一）民营企业，是指由国内民间资本控股的企业；\n"
            "（二）中小微企业，是指依据划分标准认定的企业。\n第三条 本规程自发布之日起施行。\n")
    r = _record(text)
    assert [m.number for m in r.measures] == ["第一条", "第二条", "第三条"]
    assert "中小微企业，是指" in r.measures[1].text


def test_a_plans_frame_is_no_measure():
    text = ("某某市专精特新企业培育计划\n" + BODY + "一、总体要求\n"
            "（一）总体思路。以习近平新时代中国特色社会主义思想为指导，推进工作。\n"
            "（二）培育目标。培育一批专精特新企业，到2025年达到100家。\n二、主要任务\n"
            "（一）加强梯度培育。建立培育库，对入库企业给予支持。（责任单位：市经信局）\n")
    r = _record(text)
    assert [(m.number, m.heading) for m in r.measures] == [("（一）", "加强梯度培育")]


# -- noise ---------------------------------------------------------------------------------
@pytest.mark.parametrize("written, read", [
    ("支持&ldquo;专精特新&rdquo;企业", "支持“专精特新”企业"),
    ("支持ldquo;专精特新rdquo;企业", "支持“专精特新”企业"),
    ("<p id=\"h4sia\"><td></td></p>专精特新", "专精特新"),
    ("专精@@特新企业", "专精特新企业"),
    ("专精\ufffd\ufffd特新企业", "专精特新企业"),
    ("专精??特新企业", "专精特新企业"),
    ("—、总体要求", "一、总体要求"),
])
def test_noise_is_read_through(written, read):
    view = normalize("t.txt", written)
    assert view.text == read
    for start in range(len(view.text)):  # every quote still exact at its offsets
        ev = view.evidence(start, start + 1)
        assert view.original[ev.start:ev.end] == ev.exact


def test_a_run_of_question_marks_that_pads_a_line_stays():
    view = normalize("t.txt", "附件:江夏区奖励资金明细表\n??????????\n??????江夏区科学技术和经济信息化局\n2023年6月6日\n")
    assert "??????江夏区" in view.text


@needs_dev
def test_dev_text_html_remnants_give_no_measures():
    r, gold = _dev("30_jilin-zjtx-tiered-cultivation-opinions-2022")
    assert r.measures == [] and r.doc_number.value == gold["doc_number"]


@needs_dev
@pytest.mark.parametrize("name", ["05_dezhou-zjtx-rules-draft-notice-2021", "09_wuhan-sme-work-points-2023-trad",
                                  "23_zhengzhou-zjtx-tiered-plan-2025", "40_shenzhen-sme-support-procedures-2023",
                                  "42_zhengzhou-zjtx-doubling-plan-2024-summary-trad"])
def test_dev_text_titles(name):
    r, gold = _dev(name)
    assert str(r.title.value).replace("(征求意见稿)", "") == gold["title"]


@needs_dev
def test_dev_text_metadata_block_effective_date():
    r, gold = _dev("32_qinghai-hainanzhou-tiered-fund-measures-2025")
    assert str(r.entry_into_force.value) == gold["date_effective"] and r.no_longer_in_force is None


# -- targets -------------------------------------------------------------------------------
def _targets(text: str):
    return [(t.tier, t.count, t.year, t.cumulative, t.stretch) for t in _record("某某市专精特新企业培育方案\n" + text).targets]


@pytest.mark.parametrize("sentence, expected", [
    ("到2025年底，累计培育专精特新中小企业500家。", [("specialized-sme", 500, 2025, True, None)]),
    ("到“十四五”末，培育专精特新“小巨人”企业30户。", [("little-giant", 30, 2025, False, None)]),
    ("2027年末，全市创新型中小企业达到1000个。", [("innovative-sme", 1000, 2027, False, None)]),
    ("2025年，新认定国家级专精特新“小巨人”企业20家，省级专精特新中小企业300家。",
     [("little-giant", 20, 2025, False, None), ("specialized-sme", 300, 2025, False, None)]),
    ("到2026年，新增国家级专精特新企业60家、力争100家。", [("specialized-enterprise", 60, 2026, False, 100)]),
    ("目前已培育专精特新中小企业300家，到2025年，每年新增专精特新中小企业50家。", []),  # stock and increments
    ("到2025年，规上工业企业达到2000家，专精特新企业占比达到30%。", []),  # not tiers; a share is no count
])
def test_targets_in_their_usual_wordings(sentence, expected):
    assert _targets(sentence) == expected


def test_a_yearly_plans_additions_are_for_its_year():
    r = _record("某某市2023年中小企业工作要点\n全市新增“四上”企业1000家，新增创新型中小企业1000家，新增省级专精特新企业500家。\n")
    assert [(t.tier, t.count, t.year) for t in r.targets] == [("innovative-sme", 1000, 2023), ("specialized-sme", 500, 2023)]


@needs_dev
@pytest.mark.parametrize("name", ["09_wuhan-sme-work-points-2023-trad", "20_ningbo-xiaojuren-cultivation-plan",
                                  "23_zhengzhou-zjtx-tiered-plan-2025"])
def test_dev_text_targets(name):
    r, gold = _dev(name)
    assert sorted((t.count, t.year) for t in r.targets) == sorted((g["count"], g["by_year"]) for g in gold["targets"])


@needs_dev
def test_dev_text_stretch_figure():
    r, _ = _dev("09_wuhan-sme-work-points-2023-trad")
    assert [(t.count, t.stretch) for t in r.targets if t.stretch] == [(60, 100)]  # 新增国家级专精特新企业60家、力争100家


# -- amounts -------------------------------------------------------------------------------
def test_a_lead_paragraph_offers_its_own_incentives_and_a_summary_of_a_measure_is_that_measures():
    text = ("近日，某某市人民政府办公室印发某某市专精特新企业三年倍增行动方案，其中明确提出：市财政对新认定的"
            "国家级专精特新“小巨人”企业、省级专精特新中小企业分别给予不超过200万元、50万元的一次性奖励。\n"
            "对新认定的国家级、省级中小企业特色产业集群，市财政给予每家申报主体不超过100万元、50万元的一次性奖励。\n"
            "对企业购置设备的，按照不超过实际投资（税后超100万元）的10%给予补助，最高不超过200万元。\n"
            "二、主要任务\n1.支持企业加大研发投入。对企业购置设备的，按照不超过实际投资（税后超100万元）的10%给予补助，"
            "最高不超过200万元。（责任单位：市工信局）\n")
    r = _record(text)
    assert [(i.tiers, i.max_amount) for i in r.incentives[:2]] == [(["little-giant"], 2000000), (["specialized-sme"], 500000)]
    assert [i.max_amount for i in r.incentives[2:]] == [1000000, 500000]  # the 、 list shares its 不超过
    (subsidy,) = r.measures[0].incentives
    assert (subsidy.rate, subsidy.max_amount, subsidy.min_investment) == (D("0.1"), 2000000, 1000000)


def test_a_total_paid_out_is_a_budget():
    r = _record("关于某某区专精特新企业奖励资金的公示\n经审核，第一至四批专精特新中小企业奖励资金"
                "共奖励企业69家，奖励资金2650万元（详见附件）。\n")
    assert r.incentives == [] and [(b.kind, b.amount) for b in r.budgets] == [("disbursed", 26500000)]


def test_a_directive_to_lower_governments_is_not_an_enterprises_incentive():
    r = _record("某某省促进专精特新中小企业发展的若干措施\n（一）推进成果转化。鼓励金融机构开发专项保险产品，"
                "支持市县运用创新券对企业投保费用给予不低于80%的兑付补助。\n")
    assert [i.beneficiary for i in r.measures[0].incentives] == ["lower-government"]


# -- dates ---------------------------------------------------------------------------------
def test_a_notice_closed_by_its_date_alone_is_dated():
    r = _record("某某市工业和信息化局关于印发《某某市专精特新企业梯度培育实施方案》的通知\n各区县工信部门：\n"
                "现将《某某市专精特新企业梯度培育实施方案》印发给你们，请结合实际认真贯彻执行。\n\n2025年2月11日\n\n"
                "某某市专精特新企业梯度培育实施方案\n一、总体要求\n")
    assert str(r.date_document.value) == "2025-02-11"


def test_a_page_that_names_a_website_as_its_source_is_a_repost():
    r = _record("某某市专精特新企业培育方案\n发布时间:2025年02月11日 来源:某某市工业和信息化局官网 点击数:\n" + BODY)
    assert r.date_publication is None


# -- 文号 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["某工信发〔2021〕12号", "某工信发[2021]12号", "某工信发（2021）12号",
                                     "某工信发(2021)12号", "某工信发 〔 2021 〕 12 号"])
def test_doc_number_brackets_and_spaces(written):
    r = _record(f"某某市专精特新企业培育办法\n{written}\n" + BODY)
    assert r.doc_number.value == "某工信发〔2021〕12号"


def test_a_garbled_doc_number_is_kept_as_written_never_repaired():
    view = normalize("t.txt", "某某省专精特新企业培育办法\n吉政发〔20221号\n" + BODY)
    record, diagnostics = extract(view, Gazetteer.load())
    assert record.doc_number is None and record.number_as_written.value == "吉政发〔20221号"
    assert any("garbled" in d.message for d in diagnostics)


def test_a_citation_with_a_garbled_number_is_cited_by_its_title():
    r = _record("某某市专精特新企业培育办法\n为贯彻落实《某某省人民政府关于促进中小企业发展的意见》"
                "（吉政发〔20221号），制定本办法。\n")
    (cite,) = r.cites
    assert (cite.title, cite.doc_number, cite.number_as_written) == (
        "某某省人民政府关于促进中小企业发展的意见", None, "吉政发〔20221号")


# -- dates ---------------------------------------------------------------------------------
@pytest.mark.parametrize("written, day", [
    ("2022年5月 9 日", "2022-05-09"), ("二〇二二年五月九日", "2022-05-09"), ("2022年5月9", "2022-05-09"),
    ("2022 年 5 月 9 日", "2022-05-09"),
])
def test_signature_dates_as_written(written, day):
    r = _record("某某市专精特新企业培育办法\n" + BODY + f"某某市经济和信息化局\n{written}\n")
    assert str(r.date_document.value) == day


def test_a_signature_date_above_its_issuer():
    r = _record("某某市专精特新企业培育办法\n" + BODY + "2022年5月9日\n某某市经济和信息化局\n")
    assert str(r.date_document.value) == "2022-05-09"


# -- a people's congress decision ------------------------------------------------------------
def test_a_congress_decision_its_adoption_body_and_duties():
    text = ("宁波市人民代表大会常务委员会关于促进专精特新中小企业高质量发展的决定\n"
            "（2023年9月27日宁波市第十六届人民代表大会常务委员会第十五次会议通过）\n"
            "为了促进专精特新中小企业高质量发展，根据有关法律法规，结合本市实际，作出如下决定：\n"
            "一、市、县（市）区人民政府应当加强对专精特新中小企业培育工作的领导，建立健全工作协调机制。\n"
            "二、市经济和信息化主管部门负责专精特新中小企业的认定和培育工作。\n"
            "三、本决定自2023年11月1日起施行。\n")
    r = _record(text)
    assert str(r.date_document.value) == "2023-09-27" and r.date_document.evidence.exact == "2023年9月27日"
    assert [str(i.value) for i in r.issuers] == ["宁波市人民代表大会常务委员会"]
    assert [[u.name for u in m.responsibility.units] if m.responsibility else [] for m in r.measures] == [
        ["市、县（市）区人民政府"], ["市经济和信息化主管部门"], []]
    assert str(r.entry_into_force.value) == "2023-11-01"


# -- site furniture -------------------------------------------------------------------------
def test_a_sites_listing_gives_no_facts():
    text = ("某某市专精特新企业培育办法\n" + BODY + "某某市经济和信息化局\n2022年5月9日\n\n相关推荐\n"
            "申報日期 2023-05-01 ~ 2023-06-01\n扶持金额：50万元  浏览次数：1024\n")
    r = _record(text)
    assert r.date_publication is None and r.incentives == [] and r.budgets == [] and r.targets == []
    assert str(r.date_document.value) == "2022-05-09"


# -- forms a hostile review found (texts written in the genre's style, not from the dev set) ---------
@pytest.mark.parametrize("sentence, expected", [
    ("到2025年，全市创新型中小企业、专精特新中小企业、专精特新“小巨人”企业分别达到1500家、500家、60家。",
     [("innovative-sme", 1500, 2025, False, None), ("specialized-sme", 500, 2025, False, None),
      ("little-giant", 60, 2025, False, None)]),
    ("到2026年，专精特新中小企业数量达到100家。", [("specialized-sme", 100, 2026, False, None)]),
    ("2025年前，培育专精特新“小巨人”企业300家。", [("little-giant", 300, 2025, False, None)]),
    ("“十四五”期间，新增专精特新“小巨人”企业30家。", [("little-giant", 30, 2025, False, None)]),
    ("截至2023年底，全市已累计培育专精特新中小企业520家。", []),  # stock reached
])
def test_more_target_wordings(sentence, expected):
    assert _targets(sentence) == expected


@pytest.mark.parametrize("sentence, budget", [
    ("市财政每年安排3000万元专项资金，支持专精特新企业发展。", ("allocation", 30000000, True)),
    ("设立规模10亿元的专精特新产业基金。", ("allocation", 1000000000, False)),
    ("市财政每年安排2000万元用于服务券兑付。", ("allocation", 20000000, True)),
])
def test_programme_money_written_before_its_fund(sentence, budget):
    r = _record("某某市专精特新企业培育若干措施\n（一）加大资金支持。" + sentence + "\n")
    (m,) = r.measures
    assert [(b.kind, b.amount, b.per_year) for b in m.budgets] == [budget] and m.incentives == []


def test_a_fund_and_the_rewards_of_one_sentence_are_kept_apart():
    r = _record("某某市专精特新企业培育若干措施\n（一）加大奖励。市财政每年安排3000万元专项资金，"
                "对新认定的国家级专精特新“小巨人”企业、省级专精特新中小企业，分别给予30万元、5万元奖励。\n")
    (m,) = r.measures
    assert [b.amount for b in m.budgets] == [30000000]
    assert [(i.tiers, i.amount) for i in m.incentives] == [(["little-giant"], 300000), (["specialized-sme"], 50000)]


def test_an_investment_condition_is_the_incentives_threshold():
    r = _record("某某市专精特新企业培育若干措施\n（一）支持技术改造。"
                "设备投资额达到500万元以上的，按设备投资额的8%给予补助，最高200万元。\n")
    (i,) = r.measures[0].incentives
    assert (i.rate, i.max_amount, i.min_investment) == (D("0.08"), 2000000, 5000000)


@pytest.mark.parametrize("sentence, beneficiary", [
    ("对平台运营机构，给予最高50万元补助。", "service-provider"),
    ("鼓励各区对新认定的专精特新企业给予10万元奖励。", "lower-government"),
    ("鼓励县（市、区）对新认定的企业给予最高2万元的奖励。", "lower-government"),
    ("对新认定的专精特新企业，最高可获得100万元奖励。", "enterprise"),
])
def test_who_benefits(sentence, beneficiary):
    r = _record("某某市专精特新企业培育若干措施\n（一）加大支持。" + sentence + "\n")
    assert [i.beneficiary for i in r.measures[0].incentives] == [beneficiary]


def test_a_cap_written_as_what_can_be_got():
    r = _record("某某市专精特新企业培育若干措施\n（一）加大支持。对新认定的专精特新企业，最高可获得100万元奖励。\n")
    assert r.measures[0].incentives[0].max_amount == 1000000


def test_a_public_notice_title_below_a_breadcrumb():
    r = _record("首页 > 政务公开 > 通知公告\n关于2024年度某某市专精特新中小企业拟认定名单的公示\n" + BODY)
    assert r.title.value == "关于2024年度某某市专精特新中小企业拟认定名单的公示"


def test_a_date_note_below_the_title_is_no_part_of_it_but_a_version_note_is():
    assert _record("某某区专精特新企业培育实施方案\n（2023年11月）\n" + BODY).title.value == "某某区专精特新企业培育实施方案"
    title = _record("某某市专精特新企业培育实施细则\n（2025年修订版）\n" + BODY).title.value
    assert title == "某某市专精特新企业培育实施细则（2025年修订版）"
    r = _record("某某市专精特新企业培育办法\n（征求意见稿）\n" + BODY)
    assert r.is_draft.value is True


def test_an_enterprises_recognition_validity_is_not_the_documents():
    r = _record("某某市专精特新企业认定办法\n" + BODY
                + "经认定的企业，认定有效期为3年。本办法自2023年1月1日起施行，有效期5年。\n")
    assert r.validity_years.value == 5


def test_bracketed_metadata_labels():
    r = _record("【发文字号】海政发(2023)5号 【发布日期】2023年03月03日\n某某市专精特新企业认定办法\n" + BODY)
    assert r.doc_number.value == "海政发〔2023〕5号" and str(r.date_publication.value) == "2023-03-03"


def test_a_year_with_a_circle_for_zero():
    r = _record("某某市专精特新企业培育办法\n" + BODY + "某某市经济和信息化局\n二○二四年三月五日\n")
    assert str(r.date_document.value) == "2024-03-05"


def test_a_drafts_planned_entry_into_force_is_not_kept():
    r = _record("某某省优质中小企业梯度培育实施细则（征求意见稿）\n" + BODY + "本细则自2023年X月X日起施行。\n")
    assert r.entry_into_force is None and r.entry_into_force_bounds is None


def test_who_interprets_a_text_is_no_unit_of_its_article():
    r = _record("某某区专精特新企业认定办法\n第一条 为推进工作，制定本办法。\n第七条 本办法由区经济和信息化局负责解释。\n")
    assert [m.responsibility for m in r.measures] == [None, None]


def test_citation_numbers_in_half_width_brackets_and_bare_numbers_after_a_verb():
    r = _record("某某市专精特新企业认定办法\n各有关单位：为推进专精特新企业培育工作，现将有关事项通知如下，请认真贯彻执行落实。\n"
                "依据《东莞市“专精特新”企业认定管理办法》(东工信(2022)15号)，按照宁政发〔2022〕5号文件要求，制定本办法。\n")
    assert [(c.title, c.doc_number) for c in r.cites] == [
        ("东莞市“专精特新”企业认定管理办法", "东工信〔2022〕15号"), (None, "宁政发〔2022〕5号")]
