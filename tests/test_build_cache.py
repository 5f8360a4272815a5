"""The build's caches: extraction, emitting and version alignment done again only for what
changed, each cache versioned by the code its stage runs, and a broken or half-written
cache never stopping the next build."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds copies of the corpus, two or three times each


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
