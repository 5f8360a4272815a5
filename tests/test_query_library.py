"""The query library: every named query's answer on the real corpus, the README's table and
worked examples, `query NAME --help`, tsv, and `policykg diff`."""
from __future__ import annotations

import json
import re
import shlex

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from policykg.cli import app
from policykg.query.library import named_queries
from policykg.query.run import answer

runner = CliRunner()
QT = "id/doc/杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"


def ask_on(g, name, given: dict[str, str]):
    """The query's rows on a loaded graph, as `policykg query NAME --format json` prints them."""
    return json.loads(json.dumps(answer(g, named_queries()[name], given)[1], ensure_ascii=False))


def asker(g):
    """``ask(name, "key=value", …)``: the query's rows on the graph ``g`` (either backend)."""
    def ask(name, *params):
        return ask_on(g, name, {k.strip(): v.strip() for k, _, v in (p.partition("=") for p in params)})
    return ask


def _status(rows):
    return {(r["number"] or r["doc"].rsplit("/", 1)[-1]): r["status"] for r in rows}


def check_status(ask):
    before = _status(ask("status", "date=2024-01-01"))
    assert before["杭政办函〔2023〕81号"] == "尚未生效"
    assert before["杭政办函〔2022〕29号"] == "不确定"  # no source gives its start
    mid = _status(ask("status", "date=2025-06-01"))
    assert mid["杭政办函〔2022〕29号"] == "已废止" and mid["浙政办发〔2022〕19号"] == "已废止"
    assert mid["杭政办函〔2023〕81号"] == "有效" and mid["杭政办函〔2025〕65号"] == "尚未生效"
    assert mid["杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"] == "有效"
    assert mid["于进一步促进专精特新中小企业高质量发展的若干措施征求意见稿"] == "草案"
    later = _status(ask("status", "date=2026-03-01"))
    assert later["杭政办函〔2023〕81号"] == "已失效" and later["杭政办函〔2025〕65号"] == "有效"
    assert _status(ask("status", "date=2027-06-01"))[QT.rsplit("/", 1)[-1]] == "不确定"


def check_in_force(ask):
    assert {r["number"] for r in ask("in-force", "date=2026-03-01")} >= {"杭政办函〔2025〕65号"}


def check_supersession(ask):
    rows = ask("supersession", "doc=杭政办函〔2025〕65号")
    assert {(r["direction"], r["number"], r["relation"]) for r in rows} == {
        ("earlier", "杭政办函〔2023〕81号", "succeeds"), ("earlier", "杭政办函〔2022〕29号", "repeals")}


def check_repeals(ask):
    rows = ask("repeals", "doc=杭政办函〔2023〕81号")
    assert [(r["direction"], r["number"], r["until"]) for r in rows] == [("repeals", "杭政办函〔2022〕29号", "2024-01-26")]
    assert "同时废止" in rows[0]["quote"]
    back = ask("repeals", "doc=浙政办发〔2022〕19号")
    assert [(r["direction"], r["number"]) for r in back] == [("repealed by", "浙政办发〔2024〕21号")]


def check_cites(ask):
    assert ask("cites", "doc=钱塘")


def check_hierarchy(ask):
    rows = {r["name"]: (r["level"], r["withinName"], r["documents"]) for r in ask("hierarchy")}
    assert rows["浙江省"] == ("province", None, 4)
    assert rows["杭州市"] == ("city", "浙江省", 3)
    assert rows["钱塘区"] == ("district", "杭州市", 1)


def check_implements(ask):
    rows = {(r["level"], r["implementedNumber"], r["implementedLevel"]) for r in ask("implements")}
    assert rows == {("district", "杭政办函〔2023〕81号", "city"), ("district", "浙政办发〔2017〕15号", "province")}


def check_documents(ask):
    rows = ask("documents")
    assert len(rows) == 9
    by_number = {r["number"]: (r["level"], r["issuer"]) for r in rows if r["number"]}
    assert by_number["浙政办发〔2024〕21号"] == ("province", "浙江省人民政府办公厅")
    assert by_number["杭政办函〔2025〕65号"] == ("city", "杭州市人民政府办公厅")


def check_rewards(ask):
    assert {r["maxAmount"] for r in ask("rewards") if r["number"]} == {1000000}


def check_incentives(ask):
    assert {r["number"]: r["maxAmount"] for r in ask("incentives") if r["number"]} == {
        "杭政办函〔2023〕81号": 100000, "杭政办函〔2025〕65号": 200000}


def check_thresholds(ask):
    assert [(r["previous"], r["new"], r["lowered"]) for r in ask("thresholds")] == [
        (10000000, 5000000, True)] * 2


def check_department(ask):
    assert any(r["role"] == "牵头" for r in ask("department", "unit=市经信局"))


def check_lead_counts(ask):
    assert ask("lead-counts", "doc=浙政办发〔2024〕21号")[0]["label"] == "省经信厅"


def check_co_responsibility(ask):
    rows = {(r["label"], r["partnerLabel"]): (r["shared"], r["documents"]) for r in ask("co-responsibility")}
    assert rows[("省经信厅", "省财政厅")] == (16, 2)  # the draft and 21号
    assert rows[("市科技局", "市经信局")] == (10, 2)
    # listed on 81号 1 and 65号 （一）; implied (以下均需…负责) on every later measure, which does not count
    assert rows.get(("各区、县（市）政府", "市经信局"), rows.get(("市经信局", "各区、县（市）政府"))) == (2, 2)


def check_function(ask):
    rows = ask("function", "function=工信")
    labels = {r["label"] for r in rows}
    assert {"市经信局", "省经信厅", "区经信科技局"} <= labels
    assert not labels & {"市发展改革委", "省财政厅"}
    assert {r["label"] for r in ask("function", "function=经济和信息化")} == labels
    assert {r["label"] for r in ask("function", "function=发改")} == {"市发展改革委", "省发展改革委", "区发展改革局"}


def check_reorganizations(ask):
    rows = {(r["originalLabel"], r["resultingLabel"]): (r["originalMeasures"], r["resultingMeasures"])
            for r in ask("reorganizations")}
    assert rows == {("市地方金融监管局", "市委金融办"): (2, 1), ("省地方金融监管局", "省委金融办"): (4, 4),
                    ("省大数据局", "省数据局"): (1, 1)}


def check_targets(ask):
    assert {(r["year"], r["count"]) for r in ask("targets") if r["level"] == "city"} == {("2025", 500), ("2028", 750)}


def check_tiers(ask):
    assert [r["position"] for r in ask("tiers", "doc=杭政办函〔2023〕81号")] == [1, 2, 2, 3]


def check_search(ask):
    assert [r["measureNumber"] for r in ask("search", "text=展位费")] == ["13", "（十五）"]  # the draft's 展位费70%; 65号


def check_overlap_rules(ask):
    rows = {r["number"] or "钱塘": r["principles"] for r in ask("overlap-rules")}
    assert rows == {"杭政办函〔2023〕81号": "不重复、从优、就高", "杭政办函〔2025〕65号": "不重复、从优、就高",
                    "钱塘": "不重复、从优、从高"}


def check_evidence(ask):
    (row,) = ask("evidence", "node=id:relation/repeals/杭政办函-2023-81--杭政办函-2022-29")
    assert row["file"] == "hangzhou-2023-81.txt" and "同时废止" in row["exact"]


def check_draft_changes(ask):
    rows = ask("draft-changes")
    assert len(rows) == 20 and {r["kind"] for r in rows} == {"modified"}
    booth = next(r for r in rows if r["before"] == "13")
    assert (booth["after"], booth["figuresBefore"], booth["figuresAfter"]) == ("四（二）", "70%", None)


def check_successor_changes(ask):
    rows = ask("successor-changes")
    finance = next(r for r in rows if r["after"] == "（十一）")
    assert finance["kind"] == "merged" and set(finance["before"].split("、")) == {"17", "18"}
    assert (finance["figuresBefore"], finance["figuresAfter"]) == ("10万元", "20万元")
    kinds = {r["kind"] for r in rows}
    assert {"merged", "modified", "added", "removed"} <= kinds


ANSWERS = {name.replace("_", "-").removeprefix("check-"): fn for name, fn in globals().items() if name.startswith("check_")}


def test_every_named_query_has_an_asserted_answer():
    assert set(ANSWERS) == set(named_queries())


# one sample value for each parameter of every named query, to compare the backends by
SAMPLE_PARAMS = {"doc": "杭政办函〔2023〕81号", "date": "2025-06-01", "unit": "市市场监管局", "text": "贴息",
                 "node": "id:doc/杭政办函-2023-81/measure/17", "tier": "小巨人", "type": "贴息",
                 "function": "工信"}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_named_query_answer(name, backend_graph, rdflib_graph):
    """Every asserted answer holds on each backend, each loaded once per session; with the
    sample parameters (and, kept to an area, with area=杭州市) each backend answers as rdflib
    does, and an area keeps a part of the rows."""
    backend, g = backend_graph
    ANSWERS[name](asker(g))
    q = named_queries()[name]
    given = {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.name in SAMPLE_PARAMS}
    assert sorted(map(str, ask_on(g, name, given))) == sorted(map(str, ask_on(rdflib_graph, name, given))), backend
    if q.scope:
        assert len(given) + 1 == len(q.params), name  # a sample for each parameter but the area
        whole = ask_on(rdflib_graph, name, given)
        part = ask_on(rdflib_graph, name, given | {"area": "杭州市"})
        assert all(row in whole for row in part), name
        assert sorted(map(str, ask_on(g, name, given | {"area": "杭州市"}))) == sorted(map(str, part)), backend


def test_at_least_twenty_queries():
    assert len(named_queries()) >= 20


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_query_has_a_full_header(name):
    q = named_queries()[name]
    assert q.summary and q.fields.get("summary_zh") and q.fields.get("terms"), q.name
    assert "SELECT *" not in q.text, q.name  # variables projected explicitly


def _readme() -> str:
    return (ROOT / "README.md").read_text("utf-8")


def test_readme_lists_every_query():
    section = _readme().split("### Named queries", 1)[1].split("### Worked examples", 1)[0]
    listed = dict(re.findall(r"^\| `([\w-]+)`( ◎)? \|", section, re.M))
    assert set(listed) == set(named_queries())
    assert {name for name, mark in listed.items() if mark} == {n for n, q in named_queries().items() if q.scope}


def test_readme_worked_examples_are_real_output(built):
    blocks = re.findall(r"```console\n\$ (policykg query [^\n]+)\n(.*?)```", _readme(), re.S)
    assert len(blocks) >= 3
    for command, expected in blocks:
        args = shlex.split(command)[1:] + ["--graph", str(built[1])]
        r = runner.invoke(app, args)
        assert r.exit_code == 0 and r.stdout == expected, command


def test_query_help_shows_parameters_and_defaults():
    r = runner.invoke(app, ["query", "rewards", "--help"])
    assert r.exit_code == 0
    assert "--param tier=…" in r.output and "little-giant" in r.output and "各文件对某一梯度企业的奖励" in r.output
    general = runner.invoke(app, ["query", "--help"])
    assert general.exit_code == 0 and "NAME --help" in general.output


def test_tsv_format(built):
    r = runner.invoke(app, ["query", "thresholds", "--format", "tsv", "--graph", str(built[1])])
    assert r.stdout.splitlines()[0] == "doc\tnumber\tmeasureNumber\tprevious\tnew\tlowered\tquote"


def test_diff_81_to_65_marks_the_interest_subsidy_cap(built):
    r = runner.invoke(app, ["diff", "杭政办函〔2023〕81号", "杭政办函〔2025〕65号", "--graph", str(built[1]),
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    finance = next(c for c in data["correspondences"] if [m["number"] for m in c["after"]] == ["（十一）"])
    assert finance["kind"] == "merged" and (finance["figures_before"], finance["figures_after"]) == (["10万元"], ["20万元"])
    table = runner.invoke(app, ["diff", "杭政办函〔2023〕81号", "杭政办函〔2025〕65号", "--graph", str(built[1])],
                          terminal_width=160)
    assert "10万元 → 20万元" in table.stdout


def test_diff_draft_to_final_shows_the_dropped_booth_subsidy(built):
    r = runner.invoke(app, ["diff", "征求意见稿", "浙政办发〔2024〕21号", "--graph", str(built[1]), "-f", "json"])
    data = json.loads(r.stdout)
    assert len(data["correspondences"]) == 20
    booth = next(c for c in data["correspondences"] if c["figures_before"] == ["70%"])
    assert [m["number"] for m in booth["before"]] == ["13"] and [m["number"] for m in booth["after"]] == ["四（二）"]
    assert booth["figures_after"] == []


def test_diff_unknown_document(built):
    r = runner.invoke(app, ["diff", "不存在的文件", "杭政办函〔2025〕65号", "--graph", str(built[1])])
    assert r.exit_code == 1 and "unknown document" in r.output


def test_vocabulary_reference_is_current(graph):
    from rdflib import Graph

    from policykg.export.vocabulary import render
    expected = render(Graph().parse(ROOT / "ontology" / "policykg.ttl"), graph)
    assert (ROOT / "docs" / "vocabulary.md").read_text("utf-8") == expected
    assert "### `pkg:correspondsTo`" in expected and "example: `id:" in expected
