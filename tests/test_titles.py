"""Titles as web pages print them: a cover notice that 印发 or 转发 a policy carries the
policy's own title; a page's metadata fields are never a title."""
from __future__ import annotations

import json

import pytest

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.reference.areas import Gazetteer
from tests.conftest import SHARED

BODY = "各区人民政府，市各有关部门：\n现将《办法》印发给你们，请认真贯彻执行。为推进工作，特制定本办法，请各单位认真落实。\n"


def _record(text: str):
    return extract(normalize("t.txt", text), Gazetteer.load())[0]


@pytest.mark.parametrize("verb", ["印发", "转发"])
def test_a_cover_notice_carries_the_title_it_quotes(verb):
    r = _record(f"某某市工业和信息化局关于{verb}《某某市专精特新企业培育办法》的通知\n" + BODY)
    assert r.title.value == "某某市专精特新企业培育办法"
    assert r.title.evidence.exact == "某某市专精特新企业培育办法"  # quoted from the notice's line, 《》 left out
    assert [str(i.value) for i in r.issuers] == ["某某市工业和信息化局"]  # the notice's title names its issuer


def test_a_cover_notice_followed_by_the_policys_own_title_line_takes_that_line():
    text = ("某某市人民政府办公室关于印发某某市专精特新企业培育办法的通知\n" + BODY
            + "某某市专精特新企业培育办法\n第一条 为推进工作，制定本办法。\n")
    r = _record(text)
    assert r.title.value == "某某市专精特新企业培育办法" and r.title.evidence.start > len("某某市人民政府办公室")


@pytest.mark.parametrize("field", ["文 号: 所属主题: 政策", "所属主题: 政策法规", "发布机构：某某市人民政府办公室"])
def test_a_metadata_field_is_no_title(field):
    r = _record(f"{field}\n某某市专精特新企业培育办法\n" + BODY)
    assert r.title.value == "某某市专精特新企业培育办法"


REALWORLD = SHARED / "realworld"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is absent")
@pytest.mark.parametrize("name", ["13_tianjin-sme-competitiveness-measures-2022", "18_hebei-zjtx-guide-notice-2021",
                                  "32_qinghai-hainanzhou-tiered-fund-measures-2025"])
def test_real_cover_notices_and_metadata_pages(name):
    text = (REALWORLD / "docs" / f"{name}.txt").read_text("utf-8").split("\n", 1)[1]
    gold = json.loads((REALWORLD / "gold" / f"{name}.json").read_text("utf-8"))
    assert extract(normalize(f"{name}.txt", text), Gazetteer.load())[0].title.value == gold["title"]


@pytest.mark.parametrize("head, kept", [
    ("发布日期: 2025-09-03\n时效性: 有效\n", True),  # an official site's metadata block
    ("发布时间:2022-01-19 10:57:00      来源:  某某省政府  字体:\n", True),  # the issuing government's own page
    ("发布时间:2020年07月09日 来源:某某省中小企业公共服务平台 阅读:62次\n", False),  # a platform's repost
    ("发布日期:2025-08-14\n字体\n", False),  # a page's timestamp among its furniture, no source named
])
def test_a_reposting_pages_date_is_not_the_documents(head, kept):
    r = _record(head + "某某市专精特新企业培育办法\n" + BODY)
    assert (r.date_publication is not None) == kept


def test_a_citation_followed_by_its_number_and_a_short_name_takes_the_number():
    """《…》（工信部企业〔2022〕63号，以下简称《暂行办法》）: the 文号 opens the bracket, and the
    short name the text gives is no citation of its own."""
    text = ("某某市优质中小企业梯度培育实施细则\n为贯彻落实《优质中小企业梯度培育管理暂行办法》"
            "（工信部企业〔2022〕63号，以下简称《暂行办法》），结合本市实际，制定本细则。\n第一条 本细则适用于本市。\n")
    cites = [(c.title, c.doc_number) for c in _record(text).cites]
    assert cites == [("优质中小企业梯度培育管理暂行办法", "工信部企业〔2022〕63号")]


def test_a_draft_notice_does_not_cite_its_own_draft():
    text = ("某某市“专精特新”中小企业认定管理办法\n现将《某某市“专精特新”中小企业认定管理办法（征求意见稿）》"
            "公开征求意见，请于2021年5月1日前反馈意见。\n")
    assert _record(text).cites == []
