"""validate compares every evidence quote with its corpus file (issue 20: fabricated evidence)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _validate(graph: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policykg", "validate", str(graph), "--no-reasoner", *args],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def graph_copy(tmp_path):
    shutil.copytree(ROOT / "graph", tmp_path / "graph", ignore=shutil.ignore_patterns(".cache", ".oxigraph"))
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path / "graph"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_committed_graph_quotes_its_corpus_exactly():
    r = _validate(ROOT / "graph")
    assert r.returncode == 0 and "evidence-matches-text" not in r.stdout


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_a_quote_changed_in_the_graph_is_a_violation(graph_copy, backend):
    _edit(graph_copy / "hangzhou-2023-81.ttl", 'oa:exact "2023年12月27日"', 'oa:exact "2099年12月27日"')
    r = _validate(graph_copy, "--backend", backend)
    assert r.returncode == 1 and "pks:evidence-matches-text" in r.stdout and "2099年12月27日" in r.stdout


def test_a_quote_moved_to_other_offsets_of_the_same_length_is_a_violation(graph_copy):
    path = graph_copy / "hangzhou-2023-81.ttl"
    text = path.read_text("utf-8")
    m = re.search(r'oa:exact "2023年12月27日" ;\s*oa:start (\d+)', text)
    assert m
    start = int(m.group(1))
    text = text.replace(f"oa:start {start} ", f"oa:start {start + 1} ", 1)
    text = text.replace(f"oa:end {start + 11} ", f"oa:end {start + 12} ", 1)
    path.write_text(text, "utf-8")
    assert _validate(graph_copy).returncode == 1


def test_a_source_file_outside_the_corpus_is_a_violation(graph_copy):
    _edit(graph_copy / "hangzhou-2023-81.ttl", 'pkg:sourceFile "hangzhou-2023-81.txt"', 'pkg:sourceFile "../../../../etc/passwd"')
    r = _validate(graph_copy)
    assert r.returncode == 1 and "not a file of the corpus" in r.stdout


def test_a_graph_without_its_corpus_warns_that_quotes_were_not_checked(graph_copy):
    shutil.rmtree(graph_copy.parent / "corpus")
    r = _validate(graph_copy)
    assert r.returncode == 0 and "were not checked against the text" in r.stdout


def test_a_corpus_option_that_is_no_folder_is_a_usage_error(graph_copy, tmp_path):
    r = _validate(graph_copy, "--corpus", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "no such folder" in r.stderr + r.stdout
