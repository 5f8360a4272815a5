"""Measures and their responsible units, on the real corpus."""
from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from policykg.namespaces import ID, ORG, PKG

H81, H65, Z21 = "杭政办函-2023-81", "杭政办函-2025-65", "浙政办发-2024-21"
QT = "杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"
DRAFT = "于进一步促进专精特新中小企业高质量发展的若干措施征求意见稿"


def _measure(docs, key, number):
    found = [m for m in docs[key].measures if m.number == number]
    assert len(found) == 1, f"{key} {number}: {[m.number for m in docs[key].measures]}"
    return found[0]


def _units(m, role=None):
    return [u.name for u in m.responsibility.units if role is None or u.role == role]


@pytest.mark.parametrize("key, count, first, last", [
    (H81, 26, "1", "26"),
    (H65, 15, "（一）", "（十五）"),
    (Z21, 20, "一（一）", "六（四）"),
    (QT, 32, "三.1", "五.3"),
    (DRAFT, 20, "1", "20"),
])
def test_measure_counts_and_numbers(docs, key, count, first, last):
    measures = docs[key].measures
    assert len(measures) == count
    assert [m.ordinal for m in measures] == list(range(1, count + 1))
    assert (measures[0].number, measures[-1].number) == (first, last)
    assert len({m.number for m in measures}) == count  # numbers unique once sections prefix them


def test_numbering_restarts_take_their_section(docs):
    assert [m.number for m in docs[Z21].measures][4:8] == ["二（一）", "二（二）", "二（三）", "二（四）"]
    qt = [m.number for m in docs[QT].measures]
    assert qt[20:23] == ["三.21", "四.1", "四.2"] and qt[-3:] == ["五.1", "五.2", "五.3"]


def test_sections_headings_and_text(docs):
    m = _measure(docs, QT, "三.1")
    assert m.section == "三、主要任务 / （一）实施企业梯度培育行动"
    assert m.heading == "培育科技企业固本强基"
    assert m.text.startswith("深入实施“国高企业规上化")
    assert "责任单位" not in m.text
    m81 = _measure(docs, H81, "9")
    assert m81.section == "三、深化融圈强链,支持企业产业链能级提升"
    assert m81.heading is None and m81.text.startswith("专精特新企业申请制造业技改补助的总投资要求由1000万元调整为500万元")
    assert _measure(docs, H65, "（十一）").heading == "加大金融支持力度"


def test_units_and_leads_81(docs):
    m = _measure(docs, H81, "4")
    assert _units(m) == ["市经信局", "国家税务总局杭州市税务局", "市科技局", "各区、县(市)政府"]
    assert _units(m, "lead") == ["市经信局"]
    assert m.responsibility.lead_basis == "first-listed"  # 81号 states no lead rule
    assert _units(_measure(docs, H81, "8"), "lead") == ["市市场监管局"]
    assert _units(_measure(docs, H81, "16"), "lead") == ["市地方金融监管局"]
    implied = [u for u in _measure(docs, H81, "2").responsibility.units if u.implicit]
    assert [u.name for u in implied] == ["各区、县(市)政府"]  # 以下均需各区、县(市)政府负责，不再列出
    first = _measure(docs, H81, "1").responsibility.units
    assert [(u.name, u.implicit) for u in first] == [("市经信局", False), ("各区、县(市)政府", False)]


def test_units_and_leads_65(docs):
    m = _measure(docs, H65, "（十一）")
    assert _units(m) == ["市经信局", "市委金融办", "市财政局", "市国资委", "市市场监管局", "市融资担保集团",
                         "各区、县（市）政府"]
    assert m.responsibility.units[1].alternates == ("市地方金融局",)  # the nested nameplate
    assert m.responsibility.lead_basis == "stated"  # 列第一位的为牵头单位，下同
    assert _units(_measure(docs, H65, "（六）"), "lead") == ["市科技局"]
    assert _units(_measure(docs, H65, "（十）"), "lead") == ["市规划资源局"]
    assert "钱江海关" in _units(_measure(docs, H65, "（十五）"))


def test_units_and_leads_21_and_draft(docs):
    m = _measure(docs, Z21, "二（一）")
    assert _units(m, "lead") == ["省科技厅"] and "省税务局" in _units(m)
    assert m.responsibility.lead_basis == "stated"
    assert [u.name for u in m.responsibility.units if u.implicit] == ["各市、县〔市、区〕政府"]
    d = _measure(docs, DRAFT, "8")
    assert _units(d, "lead") == ["省经信厅"]
    assert "省地方金融监管局" in _units(d) and "国家金融监督管理总局浙江监管局" in _units(d)
    assert [u.name for u in d.responsibility.units if u.implicit] == ["各市、县(市、区)政府"]


def test_units_cooperating_in_qiantang(docs):
    m = _measure(docs, QT, "三.5")
    assert _units(m, "lead") == ["区经信科技局"]
    assert _units(m, "responsible") == ["区发展改革局"]
    assert _units(m, "cooperating") == ["区财政局", "各平台", "各街道", "区产业集团"]
    m19 = _measure(docs, QT, "三.19")
    assert m19.responsibility.units[0].name == "区行政审批局"
    assert m19.responsibility.units[0].alternates == ("区企业综合服务中心",)
    assert _measure(docs, QT, "五.1").responsibility is None  # 保障措施 list no units


def _org(graph, measure_iri, prop):
    return sorted(str(o).removeprefix(str(ID["org/"])) for o in graph.objects(URIRef(measure_iri), prop))


def test_organizations_resolved_across_documents(graph):
    m81 = f"{ID}doc/{H81}/measure/"
    m65 = f"{ID}doc/{H65}/measure/"
    # 市发改委 (81号) = 市发展改革委 (65号); 市规划和自然资源局 = 市规划资源局; 国家税务总局杭州市税务局 = 市税务局
    assert "杭州市发展改革委" in _org(graph, m81 + "5", PKG.responsibleUnit)
    assert "杭州市发展改革委" in _org(graph, m65 + "3", PKG.responsibleUnit)
    assert "杭州市规划资源局" in _org(graph, m81 + "13", PKG.responsibleUnit)
    assert _org(graph, m65 + "10", PKG.leadUnit) == ["杭州市规划资源局"]
    assert "杭州市税务局" in _org(graph, m81 + "4", PKG.responsibleUnit)
    assert "杭州市税务局" in _org(graph, m65 + "5", PKG.responsibleUnit)
    org = ID["org/杭州市发展改革委"]
    assert {str(label) for label in graph.objects(org, SKOS.prefLabel)} == {"市发展改革委"}
    assert "市发改委" in {str(label) for label in graph.objects(org, SKOS.altLabel)}


def test_levels_are_different_organizations(graph):
    labels = {str(graph.value(ID[f"org/{k}"], SKOS.prefLabel)) for k in ("浙江省经信厅", "杭州市经信局", "钱塘区经信科技局")}
    assert labels == {"省经信厅", "市经信局", "区经信科技局"}
    # 区发展改革局 = 区发改局 in the 钱塘 plan
    qt = f"{ID}doc/{QT}/measure/"
    assert "钱塘区发展改革局" in _org(graph, qt + "5", PKG.responsibleUnit)
    assert "钱塘区发展改革局" in _org(graph, qt + "22", PKG.responsibleUnit)
    branch = ID["org/杭州市规划资源局钱塘分局"]
    assert graph.value(branch, ORG.subOrganizationOf) == ID["org/杭州市规划资源局"]


def test_reorganizations_are_change_events(graph):
    events = {
        (str(graph.value(e, ORG.originalOrganization)).rsplit("/", 1)[-1],
         str(graph.value(e, ORG.resultingOrganization)).rsplit("/", 1)[-1])
        for e in graph.subjects(None, ORG.ChangeEvent)
    }
    assert ("杭州市地方金融监管局", "杭州市委金融办") in events
    assert ("浙江省地方金融监管局", "浙江省委金融办") in events
    assert ("浙江省大数据局", "浙江省数据局") in events


def test_implied_units_in_graph_have_the_note_as_evidence(graph):
    m = URIRef(f"{ID}doc/{H65}/measure/2")
    assert graph.value(m, PKG.impliedUnit) == ID["org/杭州市各区、县（市）政府"]
    note = URIRef(f"{m}/evidence/impliedUnit")
    assert "不再列出" in str(graph.value(note, URIRef("http://www.w3.org/ns/oa#exact")))


def test_every_measure_with_units_has_one_lead(graph):
    rows = graph.query("""
        SELECT ?m (COUNT(DISTINCT ?lead) AS ?n) WHERE {
          ?m a pkg:Measure ; pkg:responsibleUnit ?u .
          FILTER NOT EXISTS { ?m pkg:impliedUnit ?u }
          OPTIONAL { ?m pkg:leadUnit ?lead }
        } GROUP BY ?m""")
    counts = {int(r.n) for r in rows}
    assert counts == {1}


def test_no_unknown_organization_warnings_on_the_corpus(built):
    assert not [d for d in built[0].warnings if "unknown organization" in d.message]
