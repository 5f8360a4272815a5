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
    base = tmp_path_factory.mktemp("built")  # graph/ with corpus/ beside it, as the repository lays them out
    shutil.copytree(CORPUS, base / "corpus")
    out = base / "graph"
    return build(CORPUS, out), out


@pytest.fixture(scope="session")
def graph(built) -> Graph:
    return load_graph(built[1])


BACKENDS = ("rdflib", "oxigraph")


@pytest.fixture(scope="session")
def oxigraph_graph(built, tmp_path_factory) -> Graph:
    """The built graph in an Oxigraph store, loaded once per session, from a copy of the graph
    folder: the store is locked while open, and other tests open the one beside ``built``."""
    dest = tmp_path_factory.mktemp("oxigraph") / "graph"
    shutil.copytree(built[1], dest, ignore=shutil.ignore_patterns(".oxigraph", ".cache"))
    g = load_graph(dest, "oxigraph")
    assert getattr(g.store, "oxigraph", None) is not None
    return g


@pytest.fixture(scope="session")
def rdflib_graph(graph) -> Graph:
    """The built graph in rdflib's memory store, loaded once per session (``graph``)."""
    return graph


@pytest.fixture(scope="session", params=["rdflib", pytest.param("oxigraph", marks=pytest.mark.slow)])
def backend_graph(request) -> tuple[str, Graph]:
    """Each backend's session graph in turn: (backend, graph)."""
    return request.param, request.getfixturevalue(f"{request.param}_graph")


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


@pytest.fixture
def graph_copy(built, tmp_path) -> Path:
    """A writable copy of the built graph, without its Oxigraph store, its corpus beside it."""
    dest = tmp_path / "graph"
    shutil.copytree(built[1], dest, ignore=shutil.ignore_patterns(".oxigraph"))
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return dest
