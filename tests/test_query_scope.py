"""Named queries kept to an area (``#+ scope:`` and ``--param area=…``) on the real graph:
the area and the areas within it, on both backends, through the CLI and the endpoint, and
the one-line errors of an unknown or ambiguous area."""
from __future__ import annotations

import json

import pytest
from rdflib import RDF, Graph, Literal
from typer.testing import CliRunner

from policykg.cli import app
from policykg.namespaces import ID, PKG, SKOS
from policykg.query.library import QueryError, named_queries
from policykg.query.params import resolve_area

runner = CliRunner()
def rows(built, backend, name, **params):
    args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    r = runner.invoke(app, ["query", name, *args, "--format", "json", "--graph", str(built[1]), "--backend", backend])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.slow  # the CLI loads the graph, on Oxigraph too, for each query
@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_an_area_keeps_its_documents_and_those_of_the_areas_within_it(built, backend):
    city = rows(built, backend, "documents", area="杭州市")
    assert {r["area"] for r in city} == {"杭州市", "钱塘区"}
    assert "杭政办函〔2023〕81号" in {r["number"] for r in city}
    assert "浙政办发〔2024〕21号" not in {r["number"] for r in city}  # the province's, above the city
    district = rows(built, backend, "documents", area="杭州市钱塘区")
    assert [r["area"] for r in district] == ["钱塘区"] and "钱塘区" in district[0]["title"]
    assert rows(built, backend, "documents", area="浙江省/杭州市/钱塘区") == district
    assert rows(built, backend, "documents", area="id:area/浙江省/杭州市/钱塘区") == district
    assert rows(built, backend, "documents", area="宁波市") == []  # an area without documents of its own
    everything = rows(built, backend, "documents")
    assert rows(built, backend, "documents", area="all") == everything
    province = rows(built, backend, "documents", area="浙江省")
    assert {r["doc"] for r in province} == {r["doc"] for r in everything if r["area"]}  # referenced-only ones have none


def test_the_queries_kept_to_an_area_and_a_district_search(built):
    """Each scoped query keeping a part of its rows, the same on both backends, is checked with
    its answer (test_query_library.py::test_named_query_answer, per query and backend)."""
    scoped = {name: q for name, q in named_queries().items() if q.scope}
    assert {"documents", "status", "in-force", "incentives", "search", "successor-changes"} <= set(scoped)
    district = rows(built, "rdflib", "search", text="贴息", area="钱塘区")
    assert [r["measureNumber"] for r in district] == ["四.5"]  # the one 贴息 measure of 钱塘区's plan
    assert {r["doc"].rsplit("/", 1)[-1] for r in district} == {"杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"}


def test_the_scope_is_shown_as_a_parameter():
    r = runner.invoke(app, ["query", "documents", "--help"])
    assert r.exit_code == 0 and "--param area=…" in r.output and "all" in r.output
    for name in ("hierarchy", "department"):  # no scope, no area: a department is already one area's
        assert "area" not in {p.name for p in named_queries()[name].params}


@pytest.mark.parametrize("value, message", [
    ("火星市", "unknown area '火星市': no division of the gazetteer has that name; "
              "the graph's documents are of 宁波市、杭州市、浙江省、钱塘区"),
    ("id:area/浙江省/西湖区", "unknown area 'id:area/浙江省/西湖区'"),
])
def test_an_unknown_area_is_a_one_line_error(built, value, message):
    r = runner.invoke(app, ["query", "documents", "--param", f"area={value}", "--graph", str(built[1])])
    assert r.exit_code == 1 and message in r.output  # a wrong parameter, as the command's exit codes say
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_a_name_two_areas_share_is_ambiguous_until_the_area_above_is_named():
    g = Graph()
    for path in ("江苏省", "江苏省/南京市", "江苏省/南京市/鼓楼区", "福建省", "福建省/福州市", "福建省/福州市/鼓楼区"):
        area = ID[f"area/{path}"]
        if "/" in path:
            g.add((area, PKG.withinArea, ID[f"area/{path.rsplit('/', 1)[0]}"]))
        g.add((area, RDF.type, PKG.AdministrativeArea))
        g.add((area, SKOS.prefLabel, Literal(path.rsplit("/", 1)[-1], lang="zh")))
    with pytest.raises(QueryError, match="ambiguous: it matches 江苏省/南京市/鼓楼区, 福建省/福州市/鼓楼区"):
        resolve_area(g, "鼓楼区")
    assert resolve_area(g, "南京市鼓楼区") == (ID["area/江苏省/南京市/鼓楼区"],)
    assert resolve_area(g, "江苏省") == (ID["area/江苏省"], ID["area/江苏省/南京市"], ID["area/江苏省/南京市/鼓楼区"])
    assert resolve_area(g, "ALL") is None


@pytest.mark.slow  # the CLI loads the graph, on Oxigraph too, for each query
def test_a_query_file_of_ones_own_takes_a_scope(built, tmp_path):
    """The scope and the values go into the query's WHERE group, not into a comment that
    mentions one."""
    mine = tmp_path / "titles.rq"
    mine.write_text("#+ summary: Titles\n#+ scope: d\n#+ param: level (xsd:string) the level\n"
                    "# one row per document: SELECT ?d WHERE { … } is the shape\n"
                    "SELECT ?d ?title WHERE { ?d eli:title ?title ; eli:jurisdiction/pkg:areaLevel ?level }\n", "utf-8")
    for backend in ("rdflib", "oxigraph"):
        r = runner.invoke(app, ["query", str(mine), "--param", "area=杭州市", "--param", "level=district",
                                "--format", "json", "--graph", str(built[1]), "--backend", backend])
        assert r.exit_code == 0, r.output
        titles = [row["title"] for row in json.loads(r.stdout)]
        assert titles == ["杭州市钱塘区专精特新企业培育三年行动方案（2024—2026年)"]  # as its text writes it
