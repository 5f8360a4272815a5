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

import gc
import hashlib
import io
import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef

from .files import write_atomic
from .namespaces import PREFIXES

BACKENDS = ("auto", "rdflib", "oxigraph")
OXIGRAPH_FROM_BYTES = 32 * 2**20  # about 300,000 triples, some 60 documents of the synthetic corpus
STORE_DIR = ".oxigraph"
BULK_FROM = 64  # at least this many changed files are loaded in one bulk stream
PENDING_MAX = 100_000  # more changed subjects than this are noted as "everything changed"


class StoreError(Exception):
    """The store cannot be opened or brought up to date (a file that does not parse, a lock)."""


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


def file_graph(name: str) -> ox.NamedNode:
    """The named graph holding one Turtle file's triples."""
    return ox.NamedNode(f"file:///{name}")


@dataclass
class SyncReport:
    loaded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: int = 0
    seconds: float = 0.0


@contextmanager
def frozen_heap() -> Iterator[None]:
    """What is alive now is left out of the garbage collector's passes until the end: each
    closing of a store runs a full collection, which costs seconds over a build's records or
    the validation cache. Nested uses thaw once, at the outermost."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class FileStore:
    """An on-disk Oxigraph store mirroring a set of Turtle files, kept in step by content hash.

    The store lives in ``location/store`` with ``location/manifest.json`` beside it. Opening
    is read-only when nothing changed, so several readers (a server and a query) can share
    it; a sync that has work to do opens it for writing.
    """

    def __init__(self, location: Path):
        self.location = location
        self.path = location / "store"
        self.manifest_path = location / "manifest.json"
        self.pending_path = location / "pending.json"
        self.store: ox.Store | None = None

    # --- the manifest ---------------------------------------------------------------------
    def manifest(self) -> dict[str, dict]:
        try:
            data = json.loads(self.manifest_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and self.path.is_dir() else {}

    def _save_manifest(self, manifest: dict[str, dict]) -> None:
        write_atomic(self.manifest_path, json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    # --- what changed since the last validation ------------------------------------------
    def pending(self) -> set[str] | None:
        """The subjects whose triples changed since :meth:`clear_pending`; None when that is
        not known (a bulk load, a new store, too many), which means: all of them."""
        try:
            data = json.loads(self.pending_path.read_text("utf-8"))
        except FileNotFoundError:
            return set()
        except (OSError, ValueError):
            return None
        subjects = data.get("subjects") if isinstance(data, dict) else None
        return set(subjects) if isinstance(subjects, list) else None

    def _write_pending(self, subjects: set[str] | None) -> None:
        if subjects is not None and len(subjects) > PENDING_MAX:
            subjects = None
        write_atomic(self.pending_path, json.dumps({"subjects": sorted(subjects) if subjects is not None else None},
                                                   ensure_ascii=False).encode("utf-8"))

    def clear_pending(self) -> None:
        """A validation has seen every change so far."""
        write_atomic(self.pending_path, b'{"subjects": []}')

    def changes(self, files: list[Path]) -> tuple[list[Path], list[str], dict[str, dict]]:
        """The files to (re)load, the names to drop, and the manifest after both."""
        old = self.manifest()
        new: dict[str, dict] = {}
        changed: list[Path] = []
        for f in files:
            st = f.stat()
            entry = old.get(f.name)
            if entry and entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns:
                new[f.name] = entry
                continue
            digest = file_sha256(f)
            new[f.name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
            if not entry or entry["sha256"] != digest:
                changed.append(f)
        gone = sorted(set(old) - set(new))
        return changed, gone, new

    # --- opening and syncing ----------------------------------------------------------------
    def _open(self, writable: bool) -> ox.Store:
        self.close()
        try:
            if writable:
                self.location.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            else:
                self.store = ox.Store.read_only(str(self.path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.path}: the Oxigraph store cannot be opened ({exc}); "
                             "is another policykg process writing it?") from None
        return self.store

    def close(self) -> None:
        """Drop the store: pyoxigraph closes it (and frees its lock) once nothing refers to it;
        an rdflib Dataset over it is part of a reference cycle, hence the collection."""
        self.store = None
        gc.collect()

    def sync(self, files: list[Path]) -> SyncReport:
        """Bring the store in step with ``files``; leaves it open read-only."""
        started = time.perf_counter()
        changed, gone, manifest = self.changes(files)
        report = SyncReport(kept=len(files) - len(changed))
        if changed or gone or not self.path.is_dir():
            new_store = not self.path.is_dir()
            store = self._open(writable=True)
            previous = self.pending()
            self._write_pending(None)  # until this sync is done: a sync stopped half-way leaves "all changed"
            subjects: set[str] | None = set()
            for name in gone:
                subjects |= _subjects(store.quads_for_pattern(None, None, None, file_graph(name)))
                store.remove_graph(file_graph(name))
            report.removed = gone
            if len(changed) >= BULK_FROM:
                self._bulk_load(store, changed)
                subjects = None
            else:
                for f in changed:
                    subjects |= self._load_one(store, f)
            report.loaded = [f.name for f in changed]
            self._write_pending(None if new_store or previous is None or subjects is None else previous | subjects)
            self._save_manifest(manifest)
            del store  # the writer must be gone before a reader opens
        elif manifest != self.manifest():
            self._save_manifest(manifest)  # new modification times, same bytes: not hashed again
        self._open(writable=False)
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _load_one(store: ox.Store, f: Path) -> set[str]:
        """Reload one file's graph; the subjects of the triples it added or dropped."""
        graph = file_graph(f.name)
        try:
            triples = list(ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"{f}: not valid Turtle: {str(exc).splitlines()[0] if str(exc) else exc}") from None
        before = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
        store.remove_graph(graph)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        after = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}  # as the store spells them
        return _subjects(before ^ after)

    def _bulk_load(self, store: ox.Store, files: list[Path]) -> None:
        """Many files in one bulk load: each file's Turtle wrapped as one TriG graph block
        (its directives stay outside), streamed to Oxigraph's parser without a Python
        object per triple. A file that does not parse is named by reloading one by one."""
        for f in files:
            store.remove_graph(file_graph(f.name))
        try:
            store.bulk_load(input=io.BufferedReader(_Chunks(_trig_blocks(files)), 1 << 20), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError, _NotPlain):  # pyoxigraph may wrap what the stream raised
            for f in files:
                self._load_one(store, f)

    def dataset(self) -> Dataset:
        """The store as an rdflib Dataset whose default graph is the union of the files."""
        if self.store is None:
            raise StoreError(f"{self.path}: the store is not open")
        store = _OxigraphStore(store=self.store)
        store.location = str(self.path)  # where a process of its own opens it read-only (the endpoint)
        ds = Dataset(store=store, default_union=True)
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True)
        return ds


def _subjects(triples) -> set[str]:
    return {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}


class _NotPlain(Exception):
    """A Turtle file with directives after its first triple: not wrapped, loaded on its own."""


_DIRECTIVES = (b"@prefix", b"@base", b"PREFIX", b"BASE", b"prefix", b"base")


def _trig_blocks(files: list[Path]) -> Iterator[bytes]:
    for f in files:
        data = f.read_bytes()
        head, body = [], []
        for line in data.splitlines(keepends=True):
            stripped = line.lstrip()
            if stripped.startswith(_DIRECTIVES):
                if body:
                    raise _NotPlain(f.name)
                head.append(line)
            else:
                body.append(line)
        yield b"".join(head) + f"<file:///{f.name}> {{\n".encode() + b"".join(body) + b"\n}\n"


class _Chunks(io.RawIOBase):
    """A readable stream over an iterator of byte strings."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks, self.pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


class _OxigraphStore(OxigraphStore):
    """oxrdflib's store, taking rdflib's namespace objects as query prefixes (it wants
    strings) and initial bindings as a VALUES block: Oxigraph's own substitution accepts only
    variables of the projection, rdflib's any variable of the pattern."""

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for readers that want its terms as they are."""
        return self._inner

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 — rdflib's names
        from .query import (
            with_values,  # query.py reads graphs, the store does not depend on it at import
        )

        prefixes = {prefix: str(ns) for prefix, ns in (initNs or {}).items()}
        if initBindings and isinstance(query, str):
            query, initBindings = with_values(query, {str(k): v for k, v in initBindings.items()}), {}
        return super().query(query, prefixes, initBindings or {}, queryGraph, **kwargs)


def rdflib_term(term):
    """A pyoxigraph term as rdflib's (a simple literal stays simple, as rdflib reads one)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(term.value)


_XSD_STRING = str(XSD.string)


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
