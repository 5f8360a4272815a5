"""Co-leads: a measure may name several lead units (（牵头部门：区经信局、区发改局）), as real
district and city plans do. They are all leads in the graph, the shapes accept them, and the
queries about leads count each of them."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from policykg.build import build
from policykg.cli import app
from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.reference.areas import Gazetteer
from policykg.validate.run import validate_paths

# written as district plans write it: a 印发 notice, then the measures, each closed by its
# units; the first names two lead departments and a cooperating one
PLAN = """杭州市钱塘区人民政府办公室关于印发钱塘区促进专精特新企业高质量发展若干措施的通知

各街道办事处，区级各部门：
《钱塘区促进专精特新企业高质量发展若干措施》已经区政府同意，现印发给你们，请认真贯彻执行。

杭州市钱塘区人民政府办公室
2025年3月10日

钱塘区促进专精特新企业高质量发展若干措施

一、加大培育力度
1.支持企业争创国家级专精特新“小巨人”企业，对首次认定的企业给予一次性奖励50万元。（牵头部门：区经信局、区发改局；配合部门：区财政局）
2.支持企业加大研发投入，按研发费用的10%给予补助，单个企业最高不超过100万元。（责任单位：区科技局、区财政局）
"""
runner = CliRunner()


@pytest.fixture(scope="module")
def co_lead_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("co-leads")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "colead.txt").write_text(PLAN, "utf-8")
    result = build(folder / "corpus", folder / "graph", jobs=1)
    assert not result.errors
    return folder / "graph"


def test_both_labelled_leads_are_leads():
    record, _ = extract(normalize("colead.txt", PLAN), Gazetteer.load())
    first = record.measures[0].responsibility
    assert [(u.name, u.role) for u in first.units] == [
        ("区经信局", "lead"), ("区发改局", "lead"), ("区财政局", "cooperating")]
    assert first.lead_basis == "stated"
    second = record.measures[1].responsibility  # no label: the first listed leads, by convention
    assert [(u.name, u.role) for u in second.units] == [("区科技局", "lead"), ("区财政局", "responsible")]
    assert second.lead_basis == "first-listed"


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_co_leads_are_no_violation(co_lead_graph, backend):
    report = validate_paths([co_lead_graph], backend=backend, reasoner=False, jobs=1)
    assert report.count("violation") == 0, [f.rule for f in report.findings]


def test_lead_counts_counts_each_co_lead(co_lead_graph):
    r = runner.invoke(app, ["query", "lead-counts", "--param", "doc=钱塘区促进", "--graph", str(co_lead_graph),
                            "-f", "csv"])
    assert r.exit_code == 0, r.output
    rows = {line.split(",")[1]: line.split(",")[2:] for line in r.stdout.splitlines()[1:]}
    assert rows["区经信局"] == ["1", "1", "0"] and rows["区发展改革局"] == ["1", "1", "0"]
    assert rows["区财政局"] == ["0", "2", "1"]


@pytest.mark.parametrize("unit", ["区经信局", "区发改局"])
def test_department_shows_each_co_lead_leading(co_lead_graph, unit):
    r = runner.invoke(app, ["query", "department", "--param", f"unit={unit}", "--graph", str(co_lead_graph),
                            "-f", "csv"])
    assert r.exit_code == 0, r.output
    roles = [line.split(",")[4:6] for line in r.stdout.splitlines()[1:]]
    assert roles == [["牵头", "stated"]]


def test_co_leads_share_their_measure(co_lead_graph):
    r = runner.invoke(app, ["query", "co-responsibility", "--graph", str(co_lead_graph), "-f", "csv"])
    pairs = {frozenset((line.split(",")[1], line.split(",")[3])) for line in r.stdout.splitlines()[1:]}
    assert frozenset(("区经信局", "区发展改革局")) in pairs
