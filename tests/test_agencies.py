"""Unit names read as area + function + kind (policykg/reference/organizations.py)."""
from __future__ import annotations

import json

import pytest

from policykg.reference.organizations import Directory
from tests.conftest import SHARED

HANGZHOU = ("浙江省", "杭州市")
JIANGMEN = ("广东省", "江门市")
TIANJIN = ("天津市",)
QIANTANG = ("浙江省", "杭州市", "钱塘区")
IT = "industry-information-technology"


@pytest.fixture(scope="module")
def d():
    return Directory.load()


def test_short_and_full_function_wording_are_one_organization(d):
    short, full = d.resolve("市工信局", JIANGMEN), d.resolve("市工业和信息化局", JIANGMEN)
    assert short.key == full.key == "江门市工信局" and short.functions == (IT,)
    assert d.resolve("市发改委", HANGZHOU).key == d.resolve("市发展和改革委员会", HANGZHOU).key == "杭州市发展改革委"
    assert d.resolve("区人社局", QIANTANG).key == "钱塘区人力社保局"


def test_full_area_prefix_and_level_prefix_are_one_organization(d):
    assert d.resolve("江门市工业和信息化局", JIANGMEN).key == d.resolve("市工信局", JIANGMEN).key
    r = d.resolve("江门市人民政府国有资产监督管理委员会", JIANGMEN)
    assert (r.key, r.pref_label, r.functions) == ("江门市国资委", "市国资委", ("state-assets",))
    r = d.resolve("区经信科技局", QIANTANG)
    assert (r.key, r.area, r.functions) == ("钱塘区经信科技局", QIANTANG, (IT,))
    assert d.resolve("市财政局", TIANJIN).key == "天津市财政局"  # a 直辖市 is province and city


def test_collective_units(d):
    r = d.resolve("各区县〔市〕政府", ("河南省", "郑州市"))
    assert r.collective and r.functions == ("government",) and r.area == ("河南省", "郑州市")
    assert d.resolve("各开发区管委会", ("河南省", "郑州市")).functions == ("development-zone",)
    assert d.resolve("各区人民政府", TIANJIN).functions == ("government",)
    r = d.resolve("市促进中小企业发展工作领导小组各成员单位", TIANJIN)
    assert r.collective and r.functions == ("leading-group",)
    assert d.resolve("有关部门", HANGZHOU).collective
    assert d.resolve("各地经信部门", ("湖北省",)).functions == (IT,)


def test_vertical_bodies(d):
    tax = d.resolve("国家税务总局江门市税务局", JIANGMEN)
    assert (tax.key, tax.pref_label, tax.functions) == ("江门市税务局", "市税务局", ("taxation",))
    assert d.resolve("国家税务总局杭州市税务局", HANGZHOU).key == d.resolve("市税务局", HANGZHOU).key
    pbc = d.resolve("中国人民银行江门市分行", JIANGMEN)
    assert (pbc.key, pbc.area, pbc.functions) == ("人行江门市分行", JIANGMEN, ("central-bank",))
    assert d.resolve("人民银行浙江省分行", ("浙江省",)).key == "人行浙江省分行"
    customs = d.resolve("江门海关", JIANGMEN)
    assert (customs.key, customs.area, customs.functions) == ("江门海关", JIANGMEN, ("customs",))
    assert d.resolve("钱江海关", HANGZHOU).parent.key == "杭州海关"  # no area names it: a reference entry
    nfra = d.resolve("国家金融监督管理总局江门监管分局", JIANGMEN)
    assert nfra.key == "金融监管总局江门监管分局" and nfra.functions == ("financial-regulation-office",)


def test_leading_group_office(d):
    r = d.resolve("天津市促进中小企业发展工作领导小组办公室", TIANJIN)
    assert r.known and r.functions[0] == "leading-group" and r.pref_label == "市促进中小企业发展工作领导小组办公室"


def test_reorganized_and_party_organs(d):
    assert d.resolve("市委金融办", HANGZHOU).functions == d.resolve("市地方金融监管局", HANGZHOU).functions
    assert d.resolve("市委宣传部", HANGZHOU).key == "杭州市委宣传部"


def test_unknown_name_is_kept_and_unread(d):
    r = d.resolve("市数字化改革促进中心", ("浙江省", "温州市"))
    assert not r.known and r.key == "温州市数字化改革促进中心" and r.functions == ()


REALWORLD = SHARED / "realworld"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="no ../shared/realworld")
@pytest.mark.parametrize("stem", ["41_jiangmen", "13_tianjin"])
def test_dev_issuers_and_units_get_a_function(d, stem):
    gold = json.loads(next((REALWORLD / "gold").glob(stem + "*.json")).read_text("utf-8"))
    text = json.dumps(gold, ensure_ascii=False)
    place = JIANGMEN if "jiangmen" in stem else TIANJIN
    names = set(gold.get("x_issuers") or [gold["issuer"]])
    for measure in gold.get("measures", []):
        for key in ("responsible", "responsible_units", "lead", "leads"):
            value = measure.get(key)
            names |= set(value) if isinstance(value, list) else ({value} if value else set())
    assert names, text[:200]
    for name in names:
        assert d.resolve(name, place).functions, name


def test_a_unit_the_issuer_names_is_the_issuer(tmp_path):
    """江门市工业和信息化局 signs; 市工信局 in its 责任单位 is the same organization."""
    from policykg.link.organizations import resolve_organizations
    from policykg.records import Corpus, DocumentRecord, Fact

    doc = DocumentRecord(key="jm", source_file="jm.txt")
    doc.jurisdiction = JIANGMEN
    doc.issuers = [Fact("江门市工业和信息化局")]
    corpus = Corpus(documents={"jm": doc})
    corpus.documents["jm"].summary = lambda: type("S", (), {"units_named": [("1", 3, "市工信局", ())]})()
    assert resolve_organizations(corpus) == []
    assert corpus.unit_organizations[("jm", "市工信局")] == "江门市工业和信息化局"
    org = corpus.organizations["江门市工业和信息化局"]
    assert org.functions == (IT,) and {"市工信局", "江门市工信局"} <= org.alt_labels


def test_an_unknown_name_is_kept_and_warned():
    from policykg.link.organizations import resolve_organizations
    from policykg.records import Corpus, DocumentRecord

    doc = DocumentRecord(key="wz", source_file="wz.txt")
    doc.jurisdiction = ("浙江省", "温州市")
    corpus = Corpus(documents={"wz": doc})
    doc.summary = lambda: type("S", (), {"units_named": [("4", 9, "市数字化改革促进中心", ())]})()
    [warning] = resolve_organizations(corpus)
    assert warning.level == "warning" and "市数字化改革促进中心" in warning.message
    assert corpus.organizations["温州市数字化改革促进中心"].functions == ()


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="no ../shared/realworld")
def test_dev_graph_classifies_every_issuer_and_unit(tmp_path):
    """41 (江门, 14 joint issuers) and 13 (天津) built: every issuer and responsible unit has
    org:classification, a concept of pkg:GovernmentFunctionScheme."""
    from policykg.build import build
    from policykg.evaluate.run import copy_corpus
    from policykg.query.run import load_graph

    docs = tmp_path / "docs"
    docs.mkdir()
    for path in (REALWORLD / "docs").glob("*.txt"):
        if path.name.startswith(("41_", "13_")):
            (docs / path.name).write_text(path.read_text("utf-8"), "utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    copy_corpus(docs, corpus)
    build(corpus, tmp_path / "graph", use_cache=False)
    g = load_graph(tmp_path / "graph")
    rows = list(g.query("""
        PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o (SAMPLE(?c) AS ?f) WHERE {
          { ?d eli:passed_by ?o } UNION { ?m pkg:responsibleUnit ?o }
          OPTIONAL { ?o org:classification ?c . ?c skos:inScheme pkg:GovernmentFunctionScheme }
        } GROUP BY ?o"""))
    assert len(rows) >= 14 + 5
    assert [str(r.o) for r in rows if r.f is None] == []
    functions = {str(r.f).rsplit("/", 1)[-1] for r in rows}
    assert {"market-regulation", "taxation", "central-bank", "financial-regulation-office", "leading-group"} <= functions


# ---- found in review: each case as real documents write it

@pytest.mark.parametrize("name", ["全国工商联", "中华人民共和国工业和信息化部", "全国总工会"])
def test_a_national_name_is_no_crash_and_no_local_body(name):
    r = Directory.load().resolve(name, ("浙江省", "杭州市"))
    assert r.area == ()


@pytest.mark.parametrize("name, key, label", [
    ("市经信局", "义乌市经信局", "市经信局"), ("市政府", "义乌市政府", "市政府"), ("义乌市财政局", "义乌市财政局", "市财政局")])
def test_a_county_level_citys_own_bureaus_are_its_own(name, key, label):
    r = Directory.load().resolve(name, ("浙江省", "金华市", "义乌市"))
    assert (r.key, r.pref_label, r.area) == (key, label, ("浙江省", "金华市", "义乌市"))


def test_districts_of_one_name_in_two_cities_are_two_organizations():
    d = Directory.load()
    nanchang, hangzhou = d.resolve("西湖区科技局", ("江西省", "南昌市")), d.resolve("西湖区科技局", ("浙江省", "杭州市"))
    assert (nanchang.key, hangzhou.key) == ("南昌市西湖区科技局", "杭州市西湖区科技局")
    assert d.resolve("区经信科技局", ("浙江省", "杭州市", "钱塘区")).key == "钱塘区经信科技局"  # a unique name stays short


def test_a_district_bureau_named_in_a_city_document_stays_the_citys_and_unknown():
    r = Directory.load().resolve("区经信局", ("浙江省", "杭州市"))
    assert r.key.startswith("杭州市") and not r.known


def test_a_bare_bureau_is_the_documents_own_area_and_a_national_one_is_national():
    d = Directory.load()
    assert d.resolve("财政局", ("浙江省", "杭州市")).key == "杭州市财政局"
    assert d.resolve("国家知识产权局", ("浙江省", "杭州市")).area == ()
