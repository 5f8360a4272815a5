"""The on-disk Oxigraph store (pyoxigraph) in ``GRAPH/.oxigraph/``, mirroring a set of Turtle files.

Each Turtle file is one named graph (``<file:///NAME>``) and the default graph is their union;
a manifest of file sizes, modification times and SHA-256 digests says which files changed
since the store was last brought up to date, so a changed document costs one file's reload,
not the corpus's. A reload also notes the subjects whose triples changed (``pending.json``),
until a validation has looked at them. Readers see the store through rdflib by oxrdflib.
"""
from __future__ import annotations

import gc
import hashlib
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from policykg.files import write_atomic
from policykg.namespaces import PREFIXES
from policykg.store.errors import StoreError
from policykg.store.sparql_text import with_values

STORE_DIR = ".oxigraph"


BULK_FROM = 64  # at least this many changed files are loaded in one bulk stream


PENDING_MAX = 100_000  # more changed subjects than this are noted as "everything changed"


def file_graph(name: str) -> ox.NamedNode:
    """The named graph holding one Turtle file's triples."""
    return ox.NamedNode(f"file:///{name}")


@dataclass
class SyncReport:
    loaded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: int = 0
    seconds: float = 0.0


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
    def open(self, writable: bool) -> ox.Store:
        """Open the store (closing any view this object holds): for writing, or as a read-only
        view that does not see later writes."""
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
            store = self.open(writable=True)
            previous = self.pending()
            self._write_pending(None)  # until this sync is done: a sync stopped half-way leaves "all changed"
            subjects: set[str] | None
            subjects = set()
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
        self.open(writable=False)
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
        except (SyntaxError, ValueError, OSError, _NotPlainError):  # pyoxigraph may wrap what the stream raised
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


class _NotPlainError(Exception):
    """A Turtle file with directives after its first triple: not wrapped, loaded on its own."""


_DIRECTIVES = (b"@prefix", b"@base", b"PREFIX", b"BASE", b"prefix", b"base")


def _trig_blocks(files: list[Path]) -> Iterator[bytes]:
    for f in files:
        data = f.read_bytes()
        head: list[bytes] = []
        body: list[bytes] = []
        for line in data.splitlines(keepends=True):
            stripped = line.lstrip()
            if stripped.startswith(_DIRECTIVES):
                if body:
                    raise _NotPlainError(f.name)
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

    location: str  # set by FileStore.dataset(): where the store lies on disk

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for readers that want its terms as they are."""
        return self._inner

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 — rdflib's names
        prefixes = {prefix: str(ns) for prefix, ns in (initNs or {}).items()}
        bindings = initBindings or {}
        if bindings and isinstance(query, str):
            query, bindings = with_values(query, {str(k): v for k, v in bindings.items()}), {}
        return super().query(query, prefixes, bindings, queryGraph, **kwargs)
