"""Shared fixtures: the real corpus built once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from policykg.build import BuildResult, build
from policykg.query.run import load_graph

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("graph")
    return build(CORPUS, out), out


@pytest.fixture(scope="session")
def graph(built) -> Graph:
    return load_graph(built[1])


@pytest.fixture(scope="session")
def docs(built):
    return built[0].corpus.documents


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the real corpus, without its manifest."""
    dest = tmp_path / "corpus"
    dest.mkdir()
    for p in CORPUS.glob("*.txt"):
        shutil.copy(p, dest / p.name)
    return dest
