"""The signature block: one issuer or many, as real notices sign them."""
from __future__ import annotations

import json

import pytest

from policykg.extract.pipeline import extract
from policykg.extract.signature import signature
from policykg.ingest.normalize import normalize
from policykg.reference.areas import Gazetteer
from tests.conftest import SHARED

BODY = "各有关单位：\n现将有关事项通知如下，请认真贯彻执行。\n"


def _organs(block: str) -> list[str]:
    found = signature(BODY + block)
    return [name for name, _, _ in found.organs] if found else []


def test_one_organ_above_its_date():
    assert _organs("杭州市人民政府办公厅\n2023年12月27日\n") == ["杭州市人民政府办公厅"]


def test_joint_issuers_and_the_date_on_one_line():
    assert _organs("四川省财政厅 四川省经济和信息化厅 2023年12月29日\n") == ["四川省财政厅", "四川省经济和信息化厅"]


def test_two_columns_with_names_broken_across_lines():
    block = ("某某市市场监督管理局 某某市发展和改革局\n"
             "某某市人民政府国有资产 某某市金融工作局\n"
             "监督管理委员会\n"
             "某某市政务服务数据管理局 国家税务总局\n"
             "某某市税务局\n"
             "中国人民银行某某市分行 国家金融监督管理总局\n"
             "某某监管分局\n"
             "2024年1月11日\n")
    assert _organs(block) == ["某某市市场监督管理局", "某某市发展和改革局", "某某市人民政府国有资产监督管理委员会",
                              "某某市金融工作局", "某某市政务服务数据管理局", "国家税务总局某某市税务局",
                              "中国人民银行某某市分行", "国家金融监督管理总局某某监管分局"]


def test_a_seal_lent_is_not_an_issuer():
    block = "某某市促进中小企业发展工作领导小组办公室\n\n（某某市工业和信息化局代章）\n\n2022年6月18日\n"
    assert _organs(block) == ["某某市促进中小企业发展工作领导小组办公室"]


def test_scraper_noise_before_the_organ_is_passed_over():
    block = "??????????\n?\n????????某某区科学技术和经济信息化局\n2023年6月6日\n"
    assert _organs(block) == ["某某区科学技术和经济信息化局"]


def test_a_title_line_right_above_the_block_is_not_an_organ():
    block = "某某市专精特新企业培育行动方案\n某某市工业和信息化局\n2024年3月1日\n"
    assert _organs(block) == ["某某市工业和信息化局"]


@pytest.mark.parametrize("above", ["特此通知", "（三）加强组织保障", "此页无正文"])
def test_the_line_above_the_block_is_not_glued_to_the_issuer(above):
    """Scraped notices often lose the 。 after 特此通知: the line above is no part of a name."""
    assert _organs(f"{above}\n工业和信息化部办公厅\n2024年3月1日\n") == ["工业和信息化部办公厅"]
    assert _organs(f"{above}\n国家税务总局\n2024年3月1日\n") == ["国家税务总局"]


def test_a_metadata_date_is_no_signature():
    assert signature("成文日期 2023年12月27日\n" + BODY) is None


def test_the_evidence_quotes_the_broken_name_as_printed():
    text = BODY + "某某市人民政府国有资产 某某市金融工作局\n监督管理委员会\n2024年1月11日\n"
    record, _ = extract(normalize("joint.txt", text), Gazetteer.load())
    first = record.issuers[0]
    assert first.value == "某某市人民政府国有资产监督管理委员会"
    assert first.evidence is not None and first.evidence.exact == "某某市人民政府国有资产 某某市金融工作局\n监督管理委员会"


REALWORLD = SHARED / "realworld"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is absent")
@pytest.mark.parametrize("name", ["08_sichuan-sme-fund-allocation-2023", "13_tianjin-sme-competitiveness-measures-2022",
                                  "41_jiangmen-manufacturing-quality-brand-measures-2024",
                                  "10_wuhan-jiangxia-zjtx-reward-notice-2023-trad"])
def test_real_joint_and_sealed_signatures(name):
    text = (REALWORLD / "docs" / f"{name}.txt").read_text("utf-8").split("\n", 1)[1]  # line 1: # source:
    gold = json.loads((REALWORLD / "gold" / f"{name}.json").read_text("utf-8"))
    record, _ = extract(normalize(f"{name}.txt", text), Gazetteer.load())
    assert "、".join(str(i.value) for i in record.issuers) == gold["issuer"]
    assert record.date_document is not None and record.date_document.value.isoformat() == gold["date_signed"]
