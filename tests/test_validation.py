"""Validation: every shape proven by fixtures, the real graph's true warnings, OWL, the CLI."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from junitparser import JUnitXml
from rdflib import RDF, Graph, Namespace
from typer.testing import CliRunner

from conftest import ROOT
from policykg.cli import app
from policykg.validate import reasoning
from policykg.validate.run import validate_paths
from policykg.validate.shapes import ontology_graph, shapes_graph
from policykg.validate.whole_graph import validate_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
PKS = "https://w3id.org/policykg/shapes#"
FIXTURES = Path(__file__).parent / "shapes"
CHECK = dt.date(2026, 11, 22)
runner = CliRunner()
needs_java = pytest.mark.skipif(not reasoning.java_available(), reason="Java is not installed (HermiT needs it)")


def _rules(report):
    return {f.rule for f in report.findings}


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_fixtures_conform(path):
    report = validate_paths([path], check_date=CHECK, reasoner=False, quotes=False)
    assert report.findings == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_fixture_fails_for_its_reason(path):
    report = validate_paths([path], check_date=CHECK, reasoner=False, quotes=False)
    assert _rules(report) == {f"pks:{path.stem}"}


def _named_rules() -> set[str]:
    """Every shape or SPARQL constraint a result can name: named property shapes reached from
    a targeted node shape, SPARQL constraints, and targeted node shapes with their own test."""
    g = shapes_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target)
    targeted = {s for s in g.subjects(RDF.type, SH.NodeShape) if any((s, t, None) in g for t in targets)}
    names = set()
    for shape in targeted:
        names |= {str(p) for p in g.objects(shape, SH.property)}
        names |= {str(c) for c in g.objects(shape, SH.sparql)}
        if (shape, SH["or"], None) in g:
            names.add(str(shape))
    return {n.removeprefix(PKS) for n in names if n.startswith(PKS)}


def test_every_shape_has_an_invalid_fixture():
    fixtures = {p.stem for p in (FIXTURES / "invalid").glob("*.ttl")}
    assert _named_rules() - fixtures == set()
    assert fixtures - _named_rules() == set()


REAL_WARNINGS = {
    ("pks:entry-into-force-in-part", "id:doc/杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"),
    ("pks:header-date-contradicts", "id:doc/杭政办函-2023-81"),
    ("pks:stated-validity-contradicted", "id:doc/杭政办函-2023-81"),
    *{("pks:measure-has-units", f"id:doc/杭州市钱塘区专精特新企业培育三年行动方案2024-2026年/measure/{n}")
      for n in (29, 30, 31, 32)},  # 政策支持 8 (the overlap rule) and 保障措施 1–3 list no units
}


@pytest.fixture(scope="module")
def real_report(built):
    return validate_paths([built[1]], check_date=CHECK)


@pytest.mark.slow  # validates the real graph
def test_real_graph_has_no_violations_and_exactly_its_true_warnings(real_report):
    assert real_report.count("violation") == 0
    assert {(f.rule, f.focus) for f in real_report.findings} == REAL_WARNINGS
    header = next(f for f in real_report.findings if f.rule == "pks:header-date-contradicts")
    assert (header.source_file, header.quote, header.document_label) == (
        "hangzhou-2023-81.txt", "2024-05-29", "杭政办函〔2023〕81号")


@pytest.mark.slow  # validates the real graph
def test_stated_validity_depends_on_the_check_date(built):
    # on 2025-06-01 81号 is in force, as its page says: no warning
    report = validate_paths([built[1]], check_date=dt.date(2025, 6, 1), reasoner=False)
    assert "pks:stated-validity-contradicted" not in _rules(report)


@pytest.mark.slow  # validates the real graph
@needs_java
def test_ontology_with_the_real_graph_is_consistent(real_report):
    assert real_report.reasoner.status == "consistent"
    assert real_report.reasoner.unsatisfiable == []


@pytest.mark.slow  # runs the reasoner (Java)
@needs_java
def test_reasoner_finds_disjoint_classes_broken():
    data = Graph().parse(FIXTURES / "valid" / "complete.ttl")
    data.parse(data="""@prefix pkg: <https://w3id.org/policykg/ontology#> .
        <https://w3id.org/policykg/id/doc/A/measure/1> a pkg:Incentive .""", format="turtle")
    assert reasoning.reason(ontology_graph(), data).status == "inconsistent"


def test_reasoner_never_sees_unsupported_datatypes(graph):
    skeleton = reasoning.skeleton(ontology_graph(), graph)
    assert not any(str(o.datatype or "").endswith(("#date", "#gYear", "#duration"))
                   for o in skeleton.objects() if hasattr(o, "datatype"))
    assert (None, None, Namespace("http://www.w3.org/2001/XMLSchema#").date) not in skeleton


@pytest.mark.slow  # validates the real graph through the CLI
def test_without_java_the_reasoning_step_is_skipped(monkeypatch, built):
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    r = runner.invoke(app, ["validate", str(built[1]), "--date", "2026-11-22"])
    assert r.exit_code == 0, r.output
    assert "OWL reasoning skipped: Java is not installed" in r.output


@pytest.mark.slow  # validates the real graph
def test_validate_cli_text_grouped_by_document(built):
    r = runner.invoke(app, ["validate", str(built[1]), "--date", "2026-11-22", "--no-reasoner"])
    assert r.exit_code == 0, r.output
    assert "hangzhou-2023-81.txt — 杭政办函〔2023〕81号" in r.output
    assert "「2024-05-29」 (hangzhou-2023-81.txt 61–71)" in r.output
    assert "0 violation(s), 7 warning(s)" in r.output


@pytest.mark.slow  # validates the real graph
def test_validate_cli_fail_on_warning(built):
    r = runner.invoke(app, ["validate", str(built[1]), "--fail-on", "warning", "--no-reasoner"])
    assert r.exit_code == 1


def test_validate_cli_violation_exits_1():
    r = runner.invoke(app, ["validate", str(FIXTURES / "invalid" / "document-date-order.ttl"), "--no-reasoner"])
    assert r.exit_code == 1
    assert "dates out of order: 2024-03-01 (成文) is after 2024-01-27 (施行)" in r.output


@pytest.mark.parametrize("args, message", [
    (["nowhere"], "nowhere: no such file or folder"),
    (["--format", "xml"], "--format 'xml'"),
    (["--fail-on", "info"], "--fail-on 'info'"),
    (["--date", "2026-13-01"], "not a date"),
])
def test_validate_cli_runtime_errors_exit_2(args, message):
    r = runner.invoke(app, ["validate", *args])
    assert r.exit_code == (1 if args == ["nowhere"] else 2) and message in r.output and "Traceback" not in r.output


def test_validate_cli_bad_turtle_exits_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", "utf-8")
    r = runner.invoke(app, ["validate", str(bad)])
    assert r.exit_code == 1 and "bad.ttl: not valid Turtle" in r.output


@pytest.mark.slow  # validates the real graph
def test_validate_cli_json_and_junit(built, tmp_path):
    r = runner.invoke(app, ["validate", str(built[1]), "-f", "json", "--date", "2026-11-22", "--no-reasoner"])
    data = json.loads(r.stdout)
    assert (data["conforms"], data["violations"], data["warnings"]) == (True, 0, 7)
    out = tmp_path / "report.xml"
    r = runner.invoke(app, ["validate", str(FIXTURES / "invalid" / "measure-lead.ttl"), "-f", "junit",
                            "-o", str(out)])
    assert r.exit_code == 1
    suite = next(iter(JUnitXml.fromfile(str(out))))
    cases = {c.name: c for c in suite}
    assert "a.txt — 杭政办函〔2023〕81号" in cases and "OWL reasoning (HermiT)" in cases
    assert suite.failures == 1 and "pks:measure-lead" in cases["a.txt — 杭政办函〔2023〕81号"].result[0].message


def test_pre_commit_hook_is_declared():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "id: policykg-validate" in text and "entry: policykg validate" in text


@pytest.mark.slow  # validates the real graph
def test_build_runs_validation(tmp_path):
    r = runner.invoke(app, ["build", "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path / "g")])
    assert r.exit_code == 0, r.output
    assert "SHACL violations" in r.output and "OWL reasoning" in r.output


@pytest.mark.slow  # validates the real graph
def test_validate_graph_leaves_the_graph_untouched(graph):
    before = len(graph)
    validate_graph(graph, check_date=CHECK, reasoner=False)
    assert len(graph) == before
