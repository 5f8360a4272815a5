"""The store interface (rdflib and Oxigraph) kept in step with the graph's files, and its
failure modes. Every named query giving the same answers on both backends is checked where
the answers are asserted (test_query_library.py, per query and backend)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

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

pytestmark = pytest.mark.slow  # Oxigraph stores loaded and synced from copies of the graph

runner = CliRunner()


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
    assert count(oxi, "?s ?p ?o") == len(mem) == 7049
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
    assert quads[0] == quads[1] and len(quads[0]) == 7049


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
    assert len(fs.store) == 7050
