"""A damaged or foreign cache is a cache miss, never an abort (issue 20): the graph built over
it equals a fresh build."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from policykg.build import build
from tests.conftest import CORPUS


def _graph_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.ttl"))}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("fresh") / "graph"
    build(CORPUS, out, jobs=1)
    return _graph_bytes(out)


def _cached(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "graph"
    build(CORPUS, out, jobs=1)
    folder = next((out / ".cache" / "extract").iterdir())
    return out, folder


def _forget_later_stages(out: Path, folder: Path) -> None:
    for name in ("_heads.pickle",):
        (folder / name).unlink(missing_ok=True)
    for name in ("emit.pickle", "align.pickle"):
        for p in (out / ".cache").rglob(name):
            p.unlink()


@pytest.mark.parametrize("content", [b"", b"not a pickle"])
def test_a_damaged_parts_file_is_a_miss_and_is_rewritten(tmp_path, fresh, content):
    out, folder = _cached(tmp_path)
    parts = sorted(folder.glob("*.parts.pickle"))[0]
    parts.write_bytes(content)
    _forget_later_stages(out, folder)
    result = build(CORPUS, out, jobs=1)
    assert not result.errors and _graph_bytes(out) == fresh
    assert parts.read_bytes() not in (b"", b"not a pickle")  # rewritten


@pytest.mark.parametrize("content", [pickle.dumps(42), b"\x80\x05garbage", b""])
def test_a_head_file_of_the_wrong_shape_is_a_miss(tmp_path, fresh, content):
    out, folder = _cached(tmp_path)
    head = sorted(p for p in folder.glob("*.pickle") if p.name.count(".") == 1 and not p.name.startswith("_"))[0]
    head.write_bytes(content)
    _forget_later_stages(out, folder)
    result = build(CORPUS, out, jobs=1)
    assert not result.errors and _graph_bytes(out) == fresh


def test_a_cache_file_others_can_write_is_never_unpickled(tmp_path, fresh, monkeypatch):
    out, folder = _cached(tmp_path)
    head = sorted(p for p in folder.glob("*.pickle") if p.name.count(".") == 1 and not p.name.startswith("_"))[0]
    head.write_bytes(pickle.dumps((os.system, ("true",))))  # what a poisoned file would hold
    os.chmod(head, 0o666)
    _forget_later_stages(out, folder)
    loaded = []
    real = pickle.load
    monkeypatch.setattr(pickle, "load", lambda fh, *a, **k: loaded.append(fh.name) or real(fh, *a, **k))
    result = build(CORPUS, out, jobs=1)
    assert str(head) not in loaded and not result.errors and _graph_bytes(out) == fresh


def test_no_cache_rewrites_a_damaged_cache(tmp_path, fresh):
    out, folder = _cached(tmp_path)
    for p in folder.glob("*.parts.pickle"):
        p.write_bytes(b"")
    build(CORPUS, out, jobs=1, use_cache=False)
    assert all(p.stat().st_size > 0 for p in next((out / ".cache" / "extract").iterdir()).glob("*.parts.pickle"))
    assert _graph_bytes(out) == fresh
    shutil.rmtree(out)


def test_a_file_above_the_size_limit_is_refused_and_the_others_are_built(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "manifest.toml").unlink()
    (corpus / "huge.txt").write_text("某某市专精特新企业培育办法\n" + "支持企业发展。" * 2000, "utf-8")
    result = build(corpus, tmp_path / "graph", jobs=1, max_file_bytes=30_000)
    errors = [d for d in result.corpus.diagnostics if d.level == "error"]
    assert [(d.source_file, "above the limit of 30,000" in d.message) for d in errors] == [("huge.txt", True)]
    assert sum(not d.referenced_only for d in result.corpus.documents.values()) == 5


@pytest.mark.parametrize("form", ["（{i}）", "[责任单位:" + "（" * 50_000 + "市经信局" + "）" * 50_000 + "]"])
def test_long_lines_of_numbers_or_nested_brackets_are_read_in_linear_time(form):
    """A 140 KB line of （1）（2）… and 100 KB of nested brackets after [责任单位: took minutes
    (quadratic in extract_ladder and in reading a unit's nameplates)."""
    import time

    from policykg.extract.pipeline import extract
    from policykg.ingest.normalize import normalize
    from policykg.reference.areas import Gazetteer
    line = "".join(form.format(i=i % 99 + 1) for i in range(36_000)) if "{i}" in form else form
    text = "某某市专精特新企业培育办法\n一、加强培育。支持企业发展。" + line + "\n"
    started = time.perf_counter()
    extract(normalize("x.txt", text), Gazetteer.load())
    assert time.perf_counter() - started < 30  # a guard against the quadratic case (minutes), not a benchmark
