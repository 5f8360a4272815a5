"""The nationwide gazetteer: divisions with their codes, and how documents name their area.

The snippets are written as the genre writes them (issuer line, 文号, signature); the rules are
the genre's, not one file's."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.reference.areas import NATIONAL, Gazetteer
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = SHARED / "realworld"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


def _jurisdiction(text: str) -> tuple[str, ...]:
    record, _ = extract(normalize("x.txt", text), Gazetteer.load())
    return record.jurisdiction


def test_every_level_with_its_code(g):
    assert g.code(("浙江省", "杭州市", "钱塘区")) == "330114"
    assert g.code(("浙江省", "杭州市", "临平区")) == "330113"
    assert g.code(g.path("海南藏族自治州")) == "632500"
    assert g.path("锡林郭勒盟") == ("内蒙古自治区", "锡林郭勒盟") and g.code(g.path("锡林郭勒盟")) == "152500"
    assert g.code(g.path("阿里地区")) == "542500"
    for city, code in [("宁波市", "330200"), ("深圳市", "440300"), ("大连市", "210200"), ("青岛市", "370200"),
                       ("厦门市", "350200")]:  # the 计划单列市 are prefecture-level cities
        assert g.code(g.path(city)) == code and g.level(city) == "city"
    assert g.code((NATIONAL,)) is None and g.level(NATIONAL) == "national"


def test_historical_divisions_resolve(g):
    path, _ = g.parse_prefix("江干区人民政府关于印发")
    assert path == ("浙江省", "杭州市", "江干区") and g.by_path[path].historical
    assert g.by_path[path].successor == "330102"  # 上城区
    xiangfan = g.by_path[("湖北省", "襄樊市")]
    assert xiangfan.historical and xiangfan.successor == "420600"  # 襄阳市
    text = "襄樊市人民政府关于加快中小企业发展的意见\n各县（市、区）人民政府：\n现提出如下意见。\n"
    assert _jurisdiction(text) == ("湖北省", "襄樊市")


def test_haenan_prefecture_is_not_hainan_province():
    text = "海南州人民政府办公室关于印发专项资金管理办法的通知\n各县人民政府，州直各部门：\n现将办法印发给你们。\n"
    assert _jurisdiction(text) == ("青海省", "海南藏族自治州")
    assert _jurisdiction("海南省工业和信息化厅关于开展专精特新中小企业认定工作的通知\n各市县工信局：\n") == ("海南省",)


def test_a_shared_district_name_takes_the_parent_the_document_names(g):
    bare = "鼓楼区人民政府办公室关于印发专精特新企业培育方案的通知\n各街道办事处：\n现印发给你们。\n"
    assert _jurisdiction(bare) == ()  # four cities have a 鼓楼区: none is named, none is guessed
    named = bare + "为贯彻落实福州市人民政府关于促进中小企业发展的部署，结合我区实际，制定本方案。\n"
    assert _jurisdiction(named) == ("福建省", "福州市", "鼓楼区")
    assert g.parse_prefix("鼓楼区")[0] == ()
    assert g.parse_prefix("南京市鼓楼区")[0] == ("江苏省", "南京市", "鼓楼区")


def test_suffixless_names_in_the_issuer_but_not_in_body_text():
    assert _jurisdiction("广州工业和信息化局关于组织申报专精特新企业的通知\n各区工信部门：\n") == ("广东省", "广州市")
    body = ("关于组织开展专精特新企业申报工作的通知\n各有关单位：\n为促进全市中小企业发展，营造朝阳产业和平稳发展的环境，"
            "推动城区企业转型，现将有关事项通知如下。\n")
    assert _jurisdiction(body) == ()  # 朝阳, 和平 and 城区 are words here, not places


def test_the_number_prefix_through_province_abbreviations_only(g):
    text = "关于做好2022年专精特新中小企业认定工作的通知\n鲁工信发〔2022〕5号\n各市工业和信息化局：\n现将有关事项通知如下。\n"
    assert _jurisdiction(text) == ("山东省",)
    assert g.by_abbreviation("黔") == g.by_abbreviation("贵") == "贵州省"
    assert g.by_abbreviation("甬") is None and g.by_abbreviation("穗") is None  # no sourced table of cities'


def test_a_ministry_document_is_national():
    text = ("工业和信息化部办公厅关于开展第二批专精特新“小巨人”企业培育工作的通知\n工信厅企业函〔2020〕159号\n"
            "各省、自治区、直辖市及计划单列市中小企业主管部门：\n现将有关事项通知如下。\n")
    assert _jurisdiction(text) == (NATIONAL,)
    text = "关于促进中小企业专精特新发展的指导意见\n工信部企业〔2013〕264号\n各省中小企业主管部门：\n"
    assert _jurisdiction(text) == (NATIONAL,)


def test_national_new_areas_and_development_zones(g):
    assert _jurisdiction("重庆两江新区管理委员会关于支持专精特新企业发展的若干政策\n各部门：\n") == ("重庆市", "两江新区")
    path, _ = g.parse_prefix("河北雄安新区管理委员会")
    assert path == ("河北省", "保定市", "雄安新区") and g.code(path) is None and g.by_path[path].kind == "国家级新区"
    assert g.code(g.path("浦东新区")) == "310115"  # a 新区 that is also a county-level division keeps its code
    # a 开发区 the data package lists has its statistical code (统计用区划代码, xx71 for 经开区),
    # kept apart from the official ones
    path, _ = g.parse_prefix("郑州经济技术开发区管理委员会关于印发")
    assert path == ("河南省", "郑州市", "郑州经济技术开发区") and g.code(path) is None
    assert g.statistical_code(path) == "410171"
    path, _ = g.parse_prefix("宁波保税区管理委员会")  # one it does not: by pattern, within its city, no code
    assert path == ("浙江省", "宁波市", "宁波保税区") and g.code(path) is None


def test_a_signature_names_the_area_when_no_issuer_is_read():
    text = ("各有关单位：\n根据区委区政府有关文件精神，现将奖励资金明细予以公示。\n附件：奖励资金明细表\n"
            "江夏区科学技术和经济信息化局\n2023年6月6日\n")
    assert _jurisdiction(text) == ("湖北省", "武汉市", "江夏区")


def test_scope_accepts_every_gazetteer_area():
    from rdflib import Graph

    from policykg.query.library import QueryError
    from policykg.query.params import resolve_area

    empty = Graph()
    assert resolve_area(empty, "广州市") == (resolve_area(empty, "广东省/广州市")[0],)
    with pytest.raises(QueryError, match="ambiguous"):
        resolve_area(empty, "鼓楼区")
    with pytest.raises(QueryError, match="unknown area"):
        resolve_area(empty, "火星市")


@pytest.mark.skipif(importlib.util.find_spec("jionlp") is None, reason="jionlp (the data package) is not installed")
def test_make_divisions_reproduces_the_committed_table(tmp_path):
    committed = (ROOT / "reference" / "divisions.tsv").read_text("utf-8")
    script = (ROOT / "scripts" / "make_divisions.py").read_text("utf-8")
    out = tmp_path / "divisions.tsv"
    patched = script.replace('OUT = ROOT / "reference" / "divisions.tsv"', f"OUT = Path({str(out)!r})")
    patched = patched.replace("print(f\"{OUT.relative_to(ROOT)}", "print(f\"{OUT}")
    (tmp_path / "make.py").write_text(patched, "utf-8")
    subprocess.run([sys.executable, str(tmp_path / "make.py")], check=True, capture_output=True)
    assert out.read_text("utf-8") == committed


def _dev_texts():
    if not REALWORLD.is_dir():
        return []
    return sorted((REALWORLD / "docs").glob("*.txt"))


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is absent")
def test_dev_texts_jurisdiction_with_its_code(g):
    with_code, wrong = 0, []
    for path in _dev_texts():
        text = path.read_text("utf-8")
        if text.startswith("# source:"):
            text = text[text.index("\n") + 1:]
        record, _ = extract(normalize(path.name, text), g)
        gold = json.loads((REALWORLD / "gold" / f"{path.stem}.json").read_text("utf-8")).get("jurisdiction")
        found = record.jurisdiction
        if found and g.code(found):
            with_code += 1
        if gold and (not found or found[-1] != gold):
            wrong.append((path.stem, gold, found))
        if not gold and found:
            assert found == (NATIONAL,) or g.code(found), (path.stem, found)
    assert with_code >= 22
    assert len(wrong) <= 1, wrong  # 16 (泉州) names its city only without 市, in body text


def test_a_functional_zone_has_a_statistical_code_not_an_official_one():
    """GB/T 2260 gives no code to a 开发区; the statistics' code of one (fifth digit 7) is kept
    apart, as pkg:statisticalCode, so it is never read as an official division code."""
    g = Gazetteer.load()
    zone = ("河南省", "郑州市", "郑州经济技术开发区")
    assert (g.code(zone), g.statistical_code(zone)) == (None, "410171")
    district = ("浙江省", "杭州市", "钱塘区")
    assert (g.code(district), g.statistical_code(district)) == ("330114", None)
