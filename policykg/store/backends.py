"""The graph store: one interface, two backends.

Every reader of the graph (``query``, ``validate``, ``export``, ``serve``) takes an rdflib
``Graph``. The backend decides what holds the triples:

- ``rdflib``: the Turtle files parsed into rdflib's in-memory store. The default for small
  graphs (the five seed documents): nothing on disk, nothing to keep in step.
- ``oxigraph``: an on-disk Oxigraph store (pyoxigraph) in ``GRAPH/.oxigraph/``, seen
  through rdflib by oxrdflib, so SPARQL is evaluated by Oxigraph and the triple-pattern
  API (``g.value``, ``g.triples``) reads the store. Each Turtle file is one named graph
  (``<file:///NAME>``) and the default graph is their union; a manifest of file sizes,
  modification times and SHA-256 digests says which files changed since the store was last
  brought up to date, so a changed document costs one file's reload, not the corpus's.
  A reload also notes the subjects whose triples changed (``pending.json``), until a
  validation has looked at them: the rules across documents are then checked again around
  those nodes only.

``auto`` picks Oxigraph when the Turtle files hold more than :data:`OXIGRAPH_FROM_BYTES`.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from policykg.namespaces import PREFIXES
from policykg.store.errors import StoreError
from policykg.store.filestore import STORE_DIR, FileStore

BACKENDS = ("auto", "rdflib", "oxigraph")


OXIGRAPH_FROM_BYTES = 32 * 2**20  # about 300,000 triples, some 60 documents of the synthetic corpus


def graph_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.ttl`` files named, or inside the folders named, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.ttl"), key=lambda f: f.name))  # Paths compare slower than names
        elif path.is_file():
            files.append(path)
        else:
            raise StoreError(f"{path}: no such file or folder")
    if not files:
        raise StoreError(f"no .ttl files in {', '.join(str(p) for p in paths)}: run `policykg build` first")
    return files


def choose_backend(files: list[Path], backend: str = "auto") -> str:
    if backend not in BACKENDS:
        raise StoreError(f"unknown backend {backend!r}: one of {', '.join(BACKENDS)}")
    if backend != "auto":
        return backend
    return "oxigraph" if sum(f.stat().st_size for f in files) > OXIGRAPH_FROM_BYTES else "rdflib"


def load_memory(files: list[Path]) -> Graph:
    """The rdflib backend: every file parsed into one in-memory graph."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # noqa: BLE001 — rdflib raises several kinds for bad Turtle
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{f}: not valid Turtle: {first}") from None
    return g


def store_location(files: list[Path]) -> Path:
    """Where the Oxigraph store of these files lives: beside the first file's folder."""
    return files[0].parent / STORE_DIR


def open_graph(paths: Iterable[Path], backend: str = "auto") -> tuple[Graph, str, list[Path]]:
    """The graph of the Turtle files in ``paths`` on the chosen backend: the graph, the
    backend used and the files."""
    files = graph_files(list(paths))
    chosen = choose_backend(files, backend)
    if chosen == "rdflib":
        return load_memory(files), chosen, files
    fs = FileStore(store_location(files))
    fs.sync(files)
    return fs.dataset(), chosen, files
