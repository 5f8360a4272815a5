"""The extractor on documents it has never seen: a seeded synthetic corpus in the genre's
styles (scripts/generate_corpus.py), checked against what each generated text says."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from policykg.build import build

ROOT = Path(__file__).resolve().parent.parent
SIZE = 60  # documents asked of the generator
READ = 62  # what it writes for seed 11: the 60 and the drafts of two of them, each checked as its own case


def _generator():
    spec = importlib.util.spec_from_file_location("generate_corpus", ROOT / "scripts" / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("synthetic")
    expected = _generator().write(corpus, SIZE, seed=11)
    result = build(corpus, tmp_path_factory.mktemp("graph"))
    by_file = {r.source_file: r for r in result.corpus.documents.values() if r.source_file}
    return expected, by_file, result


def test_the_generator_is_seeded(tmp_path):
    gen = _generator()
    assert [t for _, t, _ in gen.generate(5, seed=3)] == [t for _, t, _ in gen.generate(5, seed=3)]
    assert [t for _, t, _ in gen.generate(5, seed=3)] != [t for _, t, _ in gen.generate(5, seed=4)]


def test_the_synthetic_corpus_builds_without_errors_in_three_numbering_styles(synthetic):
    expected, by_file, result = synthetic
    assert len(expected) == READ and not result.errors
    assert len({e.numbers[0][:1] for e in expected}) >= 3  # 1 / 一（一） / 第一条 all met


@pytest.mark.parametrize("index", range(READ))
def test_every_generated_document_is_read_as_written(synthetic, index):
    expected, by_file, result = synthetic
    e = expected[index]
    rec = by_file[e.file]
    assert (rec.doc_number.value if rec.doc_number else None) == e.number, e.file
    assert [m.number for m in rec.measures] == e.numbers, e.file
    first = rec.measures[0].responsibility
    assert [u.name for u in first.units if u.role == "lead"] == [e.lead_of_first], e.file
    rewards = sorted(int(i.max_amount) for m in rec.measures for i in m.incentives if i.kind == "one-off-reward")
    assert rewards == sorted(e.rewards.values()), e.file
    caps = [int(i.max_amount) for m in rec.measures for i in m.incentives if i.kind == "interest-subsidy"]
    assert caps == [e.interest_cap], e.file
    assert [r.doc_number for r in rec.repeals] == ([e.repeals] if e.repeals else []), e.file
    assert bool(rec.is_draft.value) == e.is_draft


def test_repeals_resolve_across_the_synthetic_corpus(synthetic):
    expected, by_file, result = synthetic
    repeals = [r for r in result.corpus.relations if r.kind == "repeals"]
    assert len(repeals) == sum(1 for e in expected if e.repeals)
    assert not [d for d in result.warnings if "unknown organization" in d.message]
