"""Validation document by document: the two validation engines agreeing, the units a graph
is cut into, the rules across documents checked again around a change, the cache of unit
results."""
from __future__ import annotations

import datetime as dt
import shutil

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest import ROOT
from policykg.cli import app
from policykg.store.backends import (
    graph_files,
    store_location,
)
from policykg.validate.run import validate_paths
from policykg.validate.shapes import across_rules, local_shapes
from policykg.validate.units import units_of

pytestmark = pytest.mark.slow  # validates fixtures and the graph on both engines

runner = CliRunner()
FIXTURES = ROOT / "tests" / "shapes"
DAY = dt.date(2026, 1, 1)


def test_rules_across_documents_are_marked_in_the_shapes():
    names = {r.constraint.rsplit("#", 1)[-1] for r in across_rules()}
    assert names == {"declared-inverse", "no-cycle", "repeal-before-start", "correspondence-sides"}
    assert not any(c.endswith("no-cycle") for c in map(str, local_shapes().objects(None, None)))


def test_the_cycle_rule_is_answered_by_components_as_its_query_answers_it(tmp_path):
    """pks:no-cycle ($this (eli:repeals|pkg:succeeds)+ $this) is quadratic in the chains on
    Oxigraph; over the store it runs as strongly connected components, with the same rows."""
    from policykg.validate.across import on_cycles

    rule = next(r for r in across_rules() if str(r.constraint).endswith("no-cycle"))
    assert rule.cycle is not None
    store = ox.Store()
    store.load(path=str(FIXTURES / "invalid" / "no-cycle.ttl"), format=ox.RdfFormat.TURTLE)
    by_query = sorted((row["this"].value, row["path"].value) for row in store.query(rule.query))
    assert by_query and sorted((r["this"].value, r["path"].value) for r in on_cycles(store, rule)) == by_query


def _keys(report) -> list[str]:
    return sorted(repr((f.severity, f.rule, f.focus, f.message, f.path, f.value, f.quote, f.document, f.source_file))
                  for f in report.findings)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_by_document_finds_what_the_whole_graph_run_finds(path, tmp_path):
    shutil.copy(path, tmp_path / path.name)
    whole = validate_paths([tmp_path / path.name], backend="rdflib", reasoner=False, check_date=DAY)
    by_doc = validate_paths([tmp_path / path.name], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert _keys(by_doc) == _keys(whole)


def test_by_document_on_the_real_graph_in_parallel(graph_copy, monkeypatch):
    import policykg.validate.by_document as by_document

    monkeypatch.setattr(by_document, "PARALLEL_UNITS_FROM", 2)  # the seed graph's 9 files go to the workers
    whole = validate_paths([graph_copy], backend="rdflib", reasoner=False, check_date=DAY)
    by_doc = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=2)
    assert _keys(by_doc) == _keys(whole) and len(whole.findings) == 7
    assert by_doc.documents == whole.documents and by_doc.triples == whole.triples == 7049


def test_large_files_are_cut_into_whole_resources(graph_copy, monkeypatch):
    import policykg.validate.units as dv

    monkeypatch.setattr(dv, "SLICE_BYTES", 1000)
    monkeypatch.setattr(dv, "SLICE_TRIPLES", 20)
    units = units_of([graph_copy / "organizations.ttl"])
    assert len(units) >= 2  # the seed graph's organizations, over slices by hash
    owners = [{dv.owner(t.subject.value) for t in ox.parse(input=u.ntriples, format=ox.RdfFormat.N_TRIPLES)}
              for u in units]
    assert all(not (a & b) for i, a in enumerate(owners) for b in owners[i + 1:])
    assert units_of([graph_copy / "organizations.ttl"]) == units  # the same slices every time
    whole = validate_paths([graph_copy], backend="rdflib", reasoner=False, check_date=DAY)
    assert _keys(validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)) == _keys(whole)


def test_validate_cli_on_oxigraph_exit_codes(tmp_path):
    shutil.copy(FIXTURES / "invalid" / "no-cycle.ttl", tmp_path / "g.ttl")
    r = runner.invoke(app, ["validate", str(tmp_path / "g.ttl"), "--backend", "oxigraph", "--no-reasoner"])
    assert r.exit_code == 1 and "pks:no-cycle" in r.output
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.ttl").write_text("<a> <b> .\n", "utf-8")
    r = runner.invoke(app, ["validate", str(tmp_path / "bad"), "--backend", "oxigraph"])
    assert r.exit_code == 1 and "x.ttl: not valid Turtle" in r.output and "Traceback" not in r.output


def test_rules_across_documents_are_checked_again_around_a_change(graph_copy, monkeypatch):
    """A measure of the 2023 policy moved to another document makes a correspondence in the
    2025 policy's file stray: the one-step rules, checked again only around the changed
    subjects, find it as a run over the whole store does, and lose it when it is undone."""
    from rdflib import Graph, Namespace, URIRef

    import policykg.validate.across as across
    import policykg.validate.by_document as by_document

    eli, doc = Namespace("http://data.europa.eu/eli/ontology#"), "https://w3id.org/policykg/id/doc/"
    first = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    whole_runs: list[list[str]] = []
    real = across.across_documents
    for module in (across, by_document):  # the whole-store run, from either place that calls it
        monkeypatch.setattr(module, "across_documents", lambda fs, day, rules=None: (
            whole_runs.append([r.constraint.split("#")[-1] for r in rules or across.across_rules()]),
            real(fs, day, rules))[1])
    path = graph_copy / "hangzhou-2023-81.ttl"
    original = path.read_bytes()
    g = Graph().parse(path)
    m7 = URIRef(f"{doc}杭政办函-2023-81/measure/7")
    g.set((m7, eli.is_part_of, URIRef(f"{doc}杭政办函-2025-65")))
    path.write_text(g.serialize(format="turtle"), "utf-8")
    around = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert whole_runs == []  # the one-step rules around the change, the cycle rule from it
    stray = [f for f in around.findings if f.rule == "pks:correspondence-sides"]
    assert stray and all("2025-65" in f.focus and "outside its two documents" in f.message for f in stray)
    (store_location([path]) / "validation-cache.pickle").unlink()
    assert _keys(validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)) == \
        _keys(around)
    path.write_bytes(original)
    assert _keys(validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)) == \
        _keys(first)
    assert len(whole_runs) == 1  # the run whose cache was deleted, only


def test_a_cycle_made_by_a_change_is_found_from_it_and_lost_when_undone(graph_copy, monkeypatch):
    """pks:no-cycle after a change follows the edges from the changed subjects and from the
    nodes on a cycle last time, never the whole store: the 2023 policy said to succeed the
    2025 one that succeeds it is found on both sides, as a run from scratch finds it."""
    import policykg.validate.across as across
    import policykg.validate.by_document as by_document

    doc = "https://w3id.org/policykg/id/doc/"
    first = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert not [f for f in first.findings if f.rule == "pks:no-cycle"]
    for module in (across, by_document):
        monkeypatch.setattr(module, "across_documents", lambda *a, **k: pytest.fail("a rule ran over the whole store"))
    path = graph_copy / "hangzhou-2023-81.ttl"
    original = path.read_bytes()
    path.write_text(path.read_text("utf-8") + f"\n<{doc}杭政办函-2023-81> <https://w3id.org/policykg/ontology#succeeds> "
                    f"<{doc}杭政办函-2025-65> .\n", "utf-8")
    changed = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert sorted(f.focus for f in changed.findings if f.rule == "pks:no-cycle") == \
        ["id:doc/杭政办函-2023-81", "id:doc/杭政办函-2025-65"]
    monkeypatch.undo()
    (store_location([path]) / "validation-cache.pickle").unlink()
    assert _keys(validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)) == \
        _keys(changed)
    for module in (across, by_document):
        monkeypatch.setattr(module, "across_documents", lambda *a, **k: pytest.fail("a rule ran over the whole store"))
    path.write_bytes(original)
    assert _keys(validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)) == \
        _keys(first)


def test_unit_results_are_reused_and_redone_where_a_change_reaches(graph_copy, monkeypatch):
    import policykg.validate.by_document as dv

    first = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    done: list[str] = []
    real = dv.validate_unit
    monkeypatch.setattr(dv, "validate_unit", lambda args: (done.append(args[0].id), real(args))[1])
    again = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert done == [] and _keys(again) == _keys(first)
    # one organization's label changes: the units whose context holds it are redone, no other
    orgs = graph_copy / "organizations.ttl"
    label = 'skos:prefLabel "市市场监管局"@zh'
    orgs.write_text(orgs.read_text("utf-8").replace(label, 'skos:prefLabel "市场监管局"@zh'), "utf-8")
    validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert "organizations.ttl#0" in done and "hangzhou-2023-81.ttl#0" in done
    assert "zhejiang-2024-21.ttl#0" not in done  # names no city unit
    # a broken shape of an organization is found through the cache as without it
    done.clear()
    orgs.write_text(orgs.read_text("utf-8").replace('skos:prefLabel "市场监管局"@zh', 'skos:prefLabel "市场监管局"@en'), "utf-8")
    cached = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    fresh = validate_paths([graph_copy], backend="rdflib", reasoner=False, check_date=DAY)
    assert _keys(cached) == _keys(fresh) and cached.count("violation") >= 1


def test_descriptions_are_rewritten_by_shard_and_a_lost_one_revalidates_everything(graph_copy, monkeypatch):
    """What each unit described is kept in shards apart from the rest of the cache: a change
    rewrites the shards of the units validated again; without the old descriptions of a
    changed unit, which units its change reaches is not known, and all are validated."""
    import policykg.validate.by_document as dv
    import policykg.validate.unit_cache as unit_cache

    validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    folder = store_location(graph_files([graph_copy])) / unit_cache.DESCRIPTIONS_DIR
    shards = {f.name: f.stat().st_mtime_ns for f in folder.glob("*.pickle")}
    assert len(shards) == unit_cache.DESCRIPTION_SHARDS
    done: list[str] = []
    real = dv.validate_unit
    monkeypatch.setattr(dv, "validate_unit", lambda args: (done.append(args[0].id), real(args))[1])
    doc = graph_copy / "zhejiang-2024-21.ttl"
    doc.write_text(doc.read_text("utf-8") + "\n", "utf-8")  # new bytes, the same triples
    validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert done == ["zhejiang-2024-21.ttl#0"]
    rewritten = {f.name for f in folder.glob("*.pickle") if f.stat().st_mtime_ns != shards[f.name]}
    assert rewritten == {f"{unit_cache.Descriptions.shard('zhejiang-2024-21.ttl#0'):02x}.pickle"}
    done.clear()
    for f in folder.glob("*.pickle"):
        f.unlink()
    doc.write_text(doc.read_text("utf-8") + "\n", "utf-8")
    again = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY, jobs=1)
    assert len(done) == len(graph_files([graph_copy])) and len(list(folder.glob("*.pickle"))) == len(shards)
    fresh = validate_paths([graph_copy], backend="rdflib", reasoner=False, check_date=DAY)
    assert _keys(again) == _keys(fresh)


def test_a_new_check_date_revalidates_everything(graph_copy):
    a = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=DAY)
    b = validate_paths([graph_copy], backend="oxigraph", reasoner=False, check_date=dt.date(2023, 1, 1))
    whole = validate_paths([graph_copy], backend="rdflib", reasoner=False, check_date=dt.date(2023, 1, 1))
    assert _keys(b) == _keys(whole) and _keys(a) != _keys(b)
