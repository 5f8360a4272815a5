"""The store interface (rdflib and Oxigraph) and validation document by document.

Every named query giving the same answers on both backends is checked where the answers are
asserted (test_query_library.py, run on each backend); here: the store kept in step with
the files, its failure modes, and the two validation engines agreeing."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest import ROOT
from policykg.cli import app
from policykg.store import backends, filestore
from policykg.store.backends import (
    choose_backend,
    graph_files,
    open_graph,
    store_location,
)
from policykg.store.errors import StoreError
from policykg.store.filestore import FileStore
from policykg.validate.findings import ValidationError
from policykg.validate.run import validate_paths
from policykg.validate.shapes import across_rules, local_shapes
from policykg.validate.units import units_of

runner = CliRunner()
FIXTURES = ROOT / "tests" / "shapes"
DAY = dt.date(2026, 1, 1)


@pytest.fixture
def graph_copy(built, tmp_path) -> Path:
    dest = tmp_path / "graph"
    shutil.copytree(built[1], dest, ignore=shutil.ignore_patterns(".oxigraph"))
    return dest


def count(g, pattern: str) -> int:
    return int(next(iter(g.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))[0])


def test_auto_backend_by_size(graph_copy, monkeypatch):
    files = graph_files([graph_copy])
    assert choose_backend(files) == "rdflib"  # the seed graph is small
    monkeypatch.setattr(backends, "OXIGRAPH_FROM_BYTES", 1000)
    assert choose_backend(files) == "oxigraph"
    with pytest.raises(StoreError, match="unknown backend 'neo4j'"):
        choose_backend(files, "neo4j")


def test_both_backends_hold_the_same_triples(graph_copy):
    mem, _, _ = open_graph([graph_copy], "rdflib")
    oxi, chosen, _ = open_graph([graph_copy], "oxigraph")
    assert chosen == "oxigraph" and (graph_copy / ".oxigraph" / "store").is_dir()
    assert count(oxi, "?s ?p ?o") == len(mem) == 6299
    doc = "<https://w3id.org/policykg/id/doc/杭政办函-2023-81>"
    assert count(oxi, f"{doc} eli:has_part ?m") == count(mem, f"{doc} eli:has_part ?m") == 26
    # the triple-pattern API reads the store too (views and exports use it)
    assert str(oxi.value(next(iter(oxi.subjects(None, None))), None)) is not None


def test_no_triple_is_stated_in_two_files(built):
    """Oxigraph's union of the file graphs keeps a triple once per file; the build states
    each triple in one file only, so both backends count the same."""
    seen: dict[str, str] = {}
    for f in graph_files([built[1]]):
        for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
            assert seen.setdefault(str(t), f.name) == f.name, f"{t} in {seen[str(t)]} and {f.name}"


def test_store_reloads_only_changed_files(graph_copy):
    files = graph_files([graph_copy])
    fs = FileStore(store_location(files))
    first = fs.sync(files)
    assert len(first.loaded) == len(files)
    assert fs.pending() is None  # a new store: everything is new to validation
    fs.clear_pending()
    again = fs.sync(files)
    assert again.loaded == [] and again.kept == len(files)
    target = graph_copy / "hangzhou-2025-65.ttl"
    target.touch()  # a new modification time, the same bytes: hashed, not reloaded
    assert fs.sync(files).loaded == [] and fs.pending() == set()
    target.write_text(target.read_text("utf-8").replace('"杭政办函〔2025〕65号"', '"杭政办函〔2025〕66号"'), "utf-8")
    assert fs.sync(files).loaded == ["hangzhou-2025-65.ttl"]
    doc = "https://w3id.org/policykg/id/doc/杭政办函-2025-65"
    assert fs.pending() == {doc, f"{doc}/evidence/id_local"}  # the subjects whose triples changed: the 文号 and its quote
    g = fs.dataset()
    assert count(g, '?d eli:id_local "杭政办函〔2025〕66号"') == 1
    assert count(g, '?d eli:id_local "杭政办函〔2025〕65号"') == 0
    fs.close()
    (graph_copy / "qiantang-2024-plan.ttl").unlink()
    report = fs.sync(graph_files([graph_copy]))
    assert report.removed == ["qiantang-2024-plan.ttl"]
    assert len(fs.pending()) > 100  # and every subject of the file removed
    plan = "<https://w3id.org/policykg/id/doc/杭州市钱塘区专精特新企业培育三年行动方案2024-2026年>"
    assert count(fs.dataset(), f"?m eli:is_part_of {plan}") == 0


def test_bulk_load_equals_loading_file_by_file(graph_copy, tmp_path, monkeypatch):
    files = graph_files([graph_copy])
    one = FileStore(tmp_path / "one")
    one.sync(files)
    monkeypatch.setattr(filestore, "BULK_FROM", 1)
    bulk = FileStore(tmp_path / "bulk")
    bulk.sync(files)
    quads = [sorted(str(q) for q in fs.store) for fs in (one, bulk)]
    assert quads[0] == quads[1] and len(quads[0]) == 6299


def test_bad_turtle_names_the_file_and_keeps_the_others(graph_copy, monkeypatch):
    broken = graph_copy / "zhejiang-2024-21.ttl"
    broken.write_text(broken.read_text("utf-8") + "\n<a> <b> .\n", "utf-8")
    files = graph_files([graph_copy])
    for bulk_from in (64, 1):  # one by one, and when the bulk stream fails
        monkeypatch.setattr(filestore, "BULK_FROM", bulk_from)
        with pytest.raises(StoreError, match=r"zhejiang-2024-21\.ttl: not valid Turtle"):
            FileStore(graph_copy / f".store-{bulk_from}").sync(files)
    r = runner.invoke(app, ["query", "documents", "--graph", str(graph_copy), "--backend", "oxigraph"])
    assert r.exit_code == 1 and "zhejiang-2024-21.ttl: not valid Turtle" in r.output and "Traceback" not in r.output


def test_a_sync_stopped_half_way_leaves_everything_to_check_again(graph_copy):
    """Files reloaded before a bad one are in the store already: the next sync would see no
    change in them, so the stopped sync leaves "all changed" for validation."""
    files = graph_files([graph_copy])
    fs = FileStore(store_location(files))
    fs.sync(files)
    fs.clear_pending()
    first, broken = graph_copy / "hangzhou-2023-81.ttl", graph_copy / "zhejiang-2024-21.ttl"
    first.write_text(first.read_text("utf-8").replace('"杭政办函〔2023〕81号"', '"杭政办函〔2023〕82号"'), "utf-8")
    broken.write_text(broken.read_text("utf-8") + "\n<a> <b> .\n", "utf-8")
    with pytest.raises(StoreError, match="not valid Turtle"):
        fs.sync(files)
    assert fs.pending() is None


def test_query_and_export_cli_on_oxigraph(graph_copy, tmp_path):
    r = runner.invoke(app, ["query", "lead-counts", "-p", "doc=81号", "--graph", str(graph_copy),
                            "--backend", "oxigraph", "-f", "csv"])
    assert r.exit_code == 0 and "市市场监管局" in r.stdout
    out = tmp_path / "docs.graphml"
    r = runner.invoke(app, ["export", "--view", "documents", "-f", "graphml", "-o", str(out),
                            "--graph", str(graph_copy), "--backend", "oxigraph"])
    assert r.exit_code == 0, r.output
    assert "杭政办函〔2023〕81号" in out.read_text("utf-8")


# --- validation document by document ------------------------------------------------------

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
    assert by_doc.documents == whole.documents and by_doc.triples == whole.triples == 6299


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


def test_a_locked_store_is_a_clear_error(graph_copy):
    files = graph_files([graph_copy])
    store_location(files).mkdir()
    holder = ox.Store(str(store_location(files) / "store"))  # another process writing
    try:
        with pytest.raises((StoreError, ValidationError), match="cannot be opened"):
            open_graph([graph_copy], "oxigraph")
    finally:
        del holder


def test_a_directive_after_the_first_triple_is_loaded_file_by_file(graph_copy, tmp_path, monkeypatch):
    """The bulk stream wraps each file as a TriG block, which needs its directives first; a
    file with a later @prefix makes the run load file by file, losing nothing."""
    areas = graph_copy / "areas.ttl"
    areas.write_text(areas.read_text("utf-8") + "\n@prefix zz: <http://example.org/> .\nzz:a zz:b zz:c .\n", "utf-8")
    monkeypatch.setattr(filestore, "BULK_FROM", 1)
    fs = FileStore(tmp_path / "store")
    fs.sync(graph_files([graph_copy]))
    assert len(fs.store) == 6300


# --- incremental: the extraction cache and the cache of unit results ------------------------

def test_extraction_cache_extracts_only_changed_documents(corpus_copy, tmp_path, monkeypatch):
    import policykg.build as build_module

    out = tmp_path / "out"
    first = build_module.build(corpus_copy, out, jobs=1)
    calls: list[str] = []
    real = build_module._extract_path
    monkeypatch.setattr(build_module, "_extract_path", lambda p: (calls.append(p.name), real(p))[1])
    mtimes = {f.name: f.stat().st_mtime_ns for f in out.glob("*.ttl")}
    again = build_module.build(corpus_copy, out, jobs=1)
    assert calls == [] and again.triples == first.triples
    assert {f.name: f.stat().st_mtime_ns for f in out.glob("*.ttl")} == mtimes  # nothing rewritten
    changed = next(p for p in corpus_copy.glob("*.txt") if "65号" in p.read_text("utf-8"))
    changed.write_text(changed.read_text("utf-8").replace("20万元", "30万元", 1), "utf-8")
    third = build_module.build(corpus_copy, out, jobs=1)
    assert calls == [changed.name]
    rewritten = {f.name for f in out.glob("*.ttl") if f.stat().st_mtime_ns != mtimes.get(f.name)}
    assert "hangzhou-2025-65.ttl" in rewritten and "zhejiang-2024-21.ttl" not in rewritten
    fresh = build_module.build(corpus_copy, tmp_path / "fresh", jobs=1, use_cache=False)
    assert third.triples == fresh.triples
    assert all(f.read_bytes() == (tmp_path / "fresh" / f.name).read_bytes() for f in out.glob("*.ttl"))


def test_a_corpus_file_is_read_again_only_when_its_size_or_time_changed(corpus_copy, tmp_path, monkeypatch):
    """A build keeps each file's key with its size and time; a file rewritten (to the same
    size) so recently that its clock may not have ticked is read again on every build."""
    import os
    import time
    from collections import Counter

    import policykg.build as build_module
    import policykg.cache.extraction as cache_module

    hour_ago = time.time_ns() - 3600 * 10**9
    for f in corpus_copy.glob("*.txt"):
        os.utime(f, ns=(hour_ago, hour_ago))
    out = tmp_path / "out"
    first = build_module.build(corpus_copy, out, jobs=1)
    hashed: list[str] = []
    real = cache_module.file_key
    monkeypatch.setattr(cache_module, "file_key", lambda p: (hashed.append(p.name), real(p))[1])
    build_module.build(corpus_copy, out, jobs=1)
    assert hashed == []
    changed = next(p for p in corpus_copy.glob("*.txt") if "65号" in p.read_text("utf-8"))
    changed.write_text(changed.read_text("utf-8").replace("20万元", "30万元", 1), "utf-8")  # same size
    result = build_module.build(corpus_copy, out, jobs=1)
    assert hashed == [changed.name]
    def caps(build):
        return Counter(i.max_amount for m in build.corpus.documents["杭政办函-2025-65"].measures for i in m.incentives)

    assert caps(result) - caps(first) == Counter({300000: 1}) and caps(first) - caps(result) == Counter({200000: 1})
    build_module.build(corpus_copy, out, jobs=1)
    assert hashed == [changed.name] * 2  # still too recent to be trusted by its time


def test_unchanged_files_are_not_emitted_nor_their_versions_aligned_again(corpus_copy, tmp_path, monkeypatch):
    import policykg.emit.write as emit_module
    import policykg.link.align as align_module
    from policykg.build import build

    out = tmp_path / "out"
    first = build(corpus_copy, out, jobs=1)
    emitted: list[str] = []
    aligned: list[tuple[str, str]] = []
    real_graph, real_pair = emit_module.document_graph, align_module._align_pair
    monkeypatch.setattr(emit_module, "document_graph",
                        lambda corpus, parts: (emitted.extend(parts.keys), real_graph(corpus, parts))[1])
    monkeypatch.setattr(align_module, "_align_pair", lambda pair: (aligned.append(pair), real_pair(pair))[1])
    shared: list[str] = []
    real_shared = emit_module.shared_graph
    monkeypatch.setattr(emit_module, "shared_graph", lambda name, *a: (shared.append(name), real_shared(name, *a))[1])
    again = build(corpus_copy, out, jobs=1)
    assert again.triples == first.triples
    assert emitted == [] and aligned == [] and shared == []
    kept = again.corpus.alignments[0]  # kept pickled, read when used
    assert isinstance(kept, align_module.StoredAlignment) and "correspondences" not in vars(kept)
    assert kept.correspondences == first.corpus.alignments[0].correspondences and kept.digest
    changed = next(p for p in corpus_copy.glob("*.txt") if "65号" in p.read_text("utf-8"))
    changed.write_text(changed.read_text("utf-8").replace("20万元", "30万元", 1), "utf-8")
    (out / "zhejiang-2024-21.ttl").write_text((out / "zhejiang-2024-21.ttl").read_text("utf-8") + "\n", "utf-8")
    (out / "areas.ttl").write_text((out / "areas.ttl").read_text("utf-8") + "\n", "utf-8")
    build(corpus_copy, out, jobs=1)
    assert set(emitted) == {"杭政办函-2025-65", "浙政办发-2024-21"}  # the changed one, and the file edited by hand
    assert aligned == [("杭政办函-2023-81", "杭政办函-2025-65")]  # the succession it is in
    assert shared == ["areas.ttl"]  # an amount changed no organization, area or tier: the file edited by hand
    unit = next(p for p in corpus_copy.glob("*.txt") if "81号" in p.read_text("utf-8"))
    unit.write_text(unit.read_text("utf-8").replace("责任单位:市经信局", "责任单位:市数据资源局", 1), "utf-8")
    build(corpus_copy, out, jobs=1)
    assert "organizations.ttl" in shared  # a unit no document named before
    build(corpus_copy, tmp_path / "fresh", jobs=1, use_cache=False)
    assert sorted(f.name for f in out.glob("*.ttl")) == sorted(f.name for f in (tmp_path / "fresh").glob("*.ttl"))
    assert all(f.read_bytes() == (tmp_path / "fresh" / f.name).read_bytes() for f in out.glob("*.ttl"))


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


def test_each_cache_is_versioned_by_the_code_its_stage_runs():
    """Extraction's version covers what extraction imports (also inside functions) and not
    the rest of the package: a change to the endpoint keeps the extracted records."""
    import policykg
    from policykg.cache.extraction import EXTRACTION_STAGE
    from policykg.cache.versions import code_files

    root = Path(policykg.__file__).resolve().parent

    def closure(*modules: str) -> set[str]:
        return {f.relative_to(root).as_posix() for f in code_files(*modules)}

    names = closure(*EXTRACTION_STAGE)
    assert {"extract/measures.py", "extract/responsibility.py", "extract/amounts.py", "ingest/normalize.py",
            "extract/dates.py"} <= names
    assert not {n for n in names if n.startswith(("serve/", "emit/", "validate/", "link/"))}
    emit_files = closure("policykg.emit.write")
    assert {"emit/write.py", "reference/areas.py", "cache/versions.py"} <= emit_files  # the last imported inside a method
    assert not {n for n in emit_files if n.startswith("serve/")}
    # how RDF is written is not what aligning or validating depends on: an edit to emit/
    # keeps their caches (a whole realignment and revalidation at 20,000 documents)
    # nor the extraction cache: an edit to how records are kept keeps the other stages' caches
    for stage in ("policykg.link.align", "policykg.validate.by_document", "policykg.link.documents"):
        files = closure(stage)
        assert not {n for n in files if n.startswith("emit/")} and "cache/extraction.py" not in files, stage


def test_a_broken_cache_entry_is_extracted_again(corpus_copy, tmp_path):
    from policykg.build import build

    out = tmp_path / "out"
    first = build(corpus_copy, out, jobs=1)
    for entry in (out / ".cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert build(corpus_copy, out, jobs=1).triples == first.triples


def test_a_build_stopped_while_writing_its_cache_leaves_nothing_that_stops_the_next(corpus_copy, tmp_path):
    """The temporary files of an interrupted write, in the folder of an older extractor
    version and in the current one, are removed by the next build, which builds as usual."""
    from policykg.build import build

    out = tmp_path / "out"
    first = build(corpus_copy, out, jobs=1)
    current = next((out / ".cache" / "extract").iterdir())
    older = current.parent / "0123456789abcdef"
    older.mkdir()
    (older / "abc.pickle").write_bytes(b"")
    (older / ".abc.text.pickle.x1y2.tmp").write_bytes(b"half")
    (current / ".abc.parts.pickle.z3w4.tmp").write_bytes(b"half")
    assert build(corpus_copy, out, jobs=1).triples == first.triples
    assert not older.exists() and not list(current.glob(".*.tmp"))


def test_heads_come_from_the_pack_and_from_their_files_when_it_is_lost(corpus_copy, tmp_path, monkeypatch):
    """A build reads the heads from the pack its predecessor wrote; without a readable pack
    it reads their own files, and extracts again what neither holds."""
    import policykg.build as build_module
    from policykg.cache.extraction import PACK

    out = tmp_path / "out"
    first = build_module.build(corpus_copy, out, jobs=1)
    folder = next((out / ".cache" / "extract").iterdir())
    heads = [f for f in folder.glob("*.pickle") if f.name.count(".") == 1 and f.name != PACK]
    assert (folder / PACK).is_file() and len(heads) == len(list(corpus_copy.glob("*.txt")))
    calls: list[str] = []
    real = build_module._extract_path
    monkeypatch.setattr(build_module, "_extract_path", lambda p: (calls.append(p.name), real(p))[1])
    kept = {f: f.read_bytes() for f in heads}
    for f in heads:
        f.write_bytes(b"not a pickle")
    assert build_module.build(corpus_copy, out, jobs=1).triples == first.triples and calls == []  # the pack's
    for f, data in kept.items():
        f.write_bytes(data)
    (folder / PACK).write_bytes(b"not a pickle")
    assert build_module.build(corpus_copy, out, jobs=1).triples == first.triples and calls == []  # the files'
    (folder / PACK).write_bytes(b"not a pickle")
    for f in heads:
        f.write_bytes(b"not a pickle")
    again = build_module.build(corpus_copy, out, jobs=1)
    assert again.triples == first.triples and sorted(calls) == sorted(p.name for p in corpus_copy.glob("*.txt"))
    assert (folder / PACK).read_bytes() != b"not a pickle"  # written again


def test_a_cached_record_reads_its_measures_and_text_only_when_used(corpus_copy, tmp_path, monkeypatch):
    """An unchanged build reads each record's head; the measures and body text of a document
    it neither emits, aligns nor compares by text stay on disk until something uses them,
    and are then the extracted ones. A head whose parts are gone is extracted again."""
    import policykg.build as build_module
    from policykg.cache.extraction import StoredRecord

    out = tmp_path / "out"
    first = build_module.build(corpus_copy, out, jobs=1).corpus.documents["杭政办函-2023-81"]
    again = build_module.build(corpus_copy, out, jobs=1)
    stored = again.corpus.documents["杭政办函-2023-81"]
    assert isinstance(stored, StoredRecord) and not {"measures", "body_text"} & set(vars(stored))
    assert stored.summary() == first.summary() and stored.summary().measures == 26
    assert stored.measures == first.measures and stored.body_text == first.body_text
    assert all(getattr(stored, f.name) == getattr(first, f.name) for f in dataclasses.fields(first))
    calls: list[str] = []
    real = build_module._extract_path
    monkeypatch.setattr(build_module, "_extract_path", lambda p: (calls.append(p.name), real(p))[1])
    parts = next((out / ".cache" / "extract").rglob("*.parts.pickle"))
    parts.unlink()
    assert build_module.build(corpus_copy, out, jobs=1).triples == again.triples and len(calls) == 1


def test_title_topics_come_from_the_link_cache(corpus_copy, tmp_path, monkeypatch):
    import policykg.build as build_module
    import policykg.link.documents as link_module

    out = tmp_path / "out"
    first = build_module.build(corpus_copy, out, jobs=1)
    computed: list[str] = []
    real = link_module._topic
    monkeypatch.setattr(link_module, "_topic", lambda title: (computed.append(title), real(title))[1])
    again = build_module.build(corpus_copy, out, jobs=1)
    assert computed == [] and again.corpus.relations == first.corpus.relations
    fresh = build_module.build(corpus_copy, tmp_path / "fresh", jobs=1, use_cache=False)
    assert computed and fresh.corpus.relations == first.corpus.relations


def test_a_draft_keeps_its_match_until_it_or_a_final_of_its_jurisdiction_changes(corpus_copy, tmp_path, monkeypatch):
    """Matching drafts to finals compares texts; a build where neither the draft nor any
    final of its jurisdiction changed keeps the last match, and one where a final changed
    matches again, to the same final as a build from scratch."""
    from policykg.build import build
    from policykg.link.documents import Linker

    out = tmp_path / "out"
    first = build(corpus_copy, out, jobs=1).corpus
    matched: list[str] = []
    real = Linker._match
    monkeypatch.setattr(Linker, "_match", lambda self, draft, pool: (matched.append(draft.key), real(self, draft, pool))[1])
    again = build(corpus_copy, out, jobs=1).corpus
    drafts = lambda c: [(r.source, r.target, r.method, r.score) for r in c.relations if r.kind == "draft_of"]  # noqa: E731
    assert matched == [] and drafts(again) == drafts(first) and [t for _, t, _, _ in drafts(first)] == ["浙政办发-2024-21"]
    final = corpus_copy / "zhejiang-2024-21.txt"
    final.write_text(final.read_text("utf-8") + "\n", "utf-8")
    third = build(corpus_copy, out, jobs=1).corpus
    assert len(matched) == 1 and drafts(third) == drafts(first)
    assert drafts(build(corpus_copy, tmp_path / "fresh", jobs=1, use_cache=False).corpus) == drafts(first)


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
