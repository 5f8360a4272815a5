"""Documents in styles the seed corpus does not have: the rules are the genre's, not the files'."""
from __future__ import annotations

import datetime as dt

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.link.documents import link
from policykg.reference.areas import Gazetteer


def _extract(text, name="x.txt"):
    return extract(normalize(name, text), Gazetteer.load())


NINGBO = """宁波市人民政府关于促进专精特新企业发展的若干意见
甬政发〔2023〕12号
各区（县、市）人民政府，市直及部属驻甬各单位：
为贯彻落实《浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见》（浙政办发〔2024〕21号）精神，结合我市实际，制定本意见。
一、对首次认定的企业给予奖励。
本意见自印发之日起施行，有效期三年。《宁波市人民政府关于加快中小企业发展的意见》（甬政发〔2019〕3号）同时废止。
宁波市人民政府
二〇二三年三月十五日
"""


def test_city_document_with_chinese_numeral_date_and_issue_date_start():
    record, diagnostics = _extract(NINGBO)
    assert record.doc_number.value == "甬政发〔2023〕12号"
    assert [i.value for i in record.issuers] == ["宁波市人民政府"]
    assert record.jurisdiction == ("浙江省", "宁波市")
    assert record.date_document.value == dt.date(2023, 3, 15)
    assert record.entry_into_force.value == dt.date(2023, 3, 15)  # 自印发之日: no 印发 line, so the signature
    assert record.validity_years.value == 3
    assert record.no_longer_in_force.value == dt.date(2026, 3, 14)
    assert [r.doc_number for r in record.repeals] == ["甬政发〔2019〕3号"]
    assert [r.doc_number for r in record.implements] == ["浙政办发〔2024〕21号"]


def test_references_resolve_across_documents():
    ningbo, _ = _extract(NINGBO, "ningbo.txt")
    corpus = link([ningbo], Gazetteer.load())
    old = corpus.documents["甬政发-2019-3"]
    assert old.referenced_only and old.jurisdiction == ("浙江省", "宁波市")
    assert [i.value for i in old.issuers] == ["宁波市人民政府"]
    assert old.no_longer_in_force.value == dt.date(2023, 3, 14)


def test_half_width_brackets_and_spaces_in_doc_number():
    record, _ = _extract("某某办法\n苏政办发[2022] 7 号\n为规范管理，制定本办法，现予印发，请认真贯彻执行。\n")
    assert record.doc_number.value == "苏政办发〔2022〕7号"


def test_impossible_date_is_a_warning_not_a_crash():
    record, diagnostics = _extract(
        "测试实施方案\n为推进工作，特制定本方案，请认真组织实施，确保取得实效。\n本方案自2024年2月30日起施行。\n")
    assert record.entry_into_force is None
    assert any("2024年2月30日" in d.message for d in diagnostics)


def test_unlisted_district_under_a_known_city():
    """A district the gazetteer does not list counts where an organ of it issues; a title's
    phrase after the city (城区改造) is no district."""
    body = "为推进工作，特制定本方案，请认真组织实施，确保取得实效。\n"
    record, _ = _extract("杭州市测试新区管委会关于印发测试新区实施方案的通知\n" + body)
    assert record.jurisdiction == ("浙江省", "杭州市", "测试新区")
    record, _ = _extract("杭州市城区改造提升实施方案\n" + body)
    assert record.jurisdiction == ("浙江省", "杭州市")


def test_crlf_offsets_point_into_the_original():
    text = "某市实施意见\r\n本意见自2024年5月1日起施行，有效期至2026年4月30日。\r\n"
    record, _ = _extract(text)
    ev = record.no_longer_in_force.evidence
    assert text[ev.start:ev.end] == ev.exact == "有效期至2026年4月30日"


LONG_TITLE = """浙江省人民政府办公厅关于印发浙江省加快培育专精特新中小企业高质量发展行动方案（2024—2027年）的通知
浙政办发〔2024〕33号
各市、县（市、区）人民政府，省政府直属各单位：
《浙江省加快培育专精特新中小企业高质量发展行动方案（2024—2027年）》已经省政府同意，现印发给你们，请结合实际认真贯彻落实。
浙江省人民政府办公厅
2024年9月2日
"""


def test_a_title_of_forty_characters_and_more_is_still_the_head():
    record, diagnostics = _extract(LONG_TITLE)
    assert len(record.title.value) >= 40
    assert record.doc_number.value == "浙政办发〔2024〕33号"
    assert not [d for d in diagnostics if "文号" in d.message]
