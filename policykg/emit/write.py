"""Writing the graph: every file emitted (the changed ones only, with the cache) and written
atomically, per-document files in forked worker processes when there are many; stale files
removed.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import cast

from policykg.emit.documents import document_graph
from policykg.emit.layout import FileParts, file_parts
from policykg.emit.shared import SHARED_FILES, shared_graph
from policykg.emit.signatures import emit_signature, shared_signature
from policykg.emit.turtle import turtle_bytes
from policykg.files import write_atomic
from policykg.records import (
    Corpus,
)
from policykg.reference.areas import Gazetteer

# The corpus a forked emit worker reads (inherited copy-on-write, never pickled).
_EMIT_CORPUS: Corpus | None = None


_EMIT_PARTS: dict[str, FileParts] = {}


def _emit_file(name: str) -> tuple[str, bytes, int]:
    """One file's Turtle and number of triples."""
    assert _EMIT_CORPUS is not None  # write_corpus sets it before any file is emitted
    g = document_graph(_EMIT_CORPUS, _EMIT_PARTS[name])
    return name, turtle_bytes(g), len(g)


class EmitState:
    """What the last build emitted, kept in ``OUT/.cache/emit.pickle``: for each graph file
    (a document's, or a shared one) the signature it was emitted from, its number of
    triples, and the size and modification time it was left with. A file still as it was
    left, whose signature is unchanged, is not emitted again; a file changed by hand, or any
    file after the code emit runs changed, is."""

    def __init__(self, out_dir: Path, enabled: bool = True):
        from policykg.cache.versions import CACHE_DIR, code_version, read_versioned

        self.path = out_dir / CACHE_DIR / "emit.pickle"
        self.version = code_version("policykg.emit.write", "policykg.link.organizations")  # what emits, and what resolves units
        # what save() kept under this version
        self.files = cast("dict[str, tuple[str, int, int, int]]",
                          (read_versioned(self.path, self.version) or {}) if enabled else {})
        self.enabled = enabled

    def known(self, out_dir: Path) -> dict[str, str]:
        """File → signature, for the files still as the last build left them."""
        out = {}
        for name, (signature, size, mtime_ns, _) in self.files.items():
            try:
                st = (out_dir / name).stat()
            except OSError:
                continue
            if (st.st_size, st.st_mtime_ns) == (size, mtime_ns):
                out[name] = signature
        return out

    def save(self, files: dict[str, tuple[str, int, int, int]]) -> None:
        from policykg.cache.versions import write_versioned

        if self.enabled:
            write_versioned(self.path, self.version, files)


def write_corpus(corpus: Corpus, gazetteer: Gazetteer, out_dir: Path, jobs: int = 1,
                 use_cache: bool = True) -> tuple[int, list[str]]:
    """Emit and write every graph file (per-document ones in ``jobs`` forked processes when
    there are many), remove stale ``.ttl`` files; the number of triples and the files. With
    ``use_cache``, a document file whose inputs and bytes on disk are as the last build
    left them is not emitted again (:class:`EmitState`)."""
    global _EMIT_CORPUS, _EMIT_PARTS
    parts = file_parts(corpus)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = EmitState(out_dir, use_cache)
    known = state.known(out_dir)
    written: dict[str, int] = {}
    emitted: dict[str, tuple[str, int, int, int]] = {}

    def write(name: str, data: bytes | None, triples: int | None, signature: str | None = None) -> None:
        path = out_dir / name
        if data is None:  # unchanged since the last build
            emitted[name] = state.files[name]
            written[name] = state.files[name][3]
            return
        assert triples is not None  # given with every file's data
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if not same:  # an unchanged file keeps its modification time: readers need not reload it
            write_atomic(path, data)
        written[name] = triples
        if signature is not None:
            st = path.stat()
            emitted[name] = (signature, st.st_size, st.st_mtime_ns, triples)

    # signatures here, the files whose signature changed in workers: an update emits a few
    signatures = {name: emit_signature(corpus, p) for name, p in sorted(parts.items())}
    todo = [name for name, signature in signatures.items() if known.get(name) != signature]
    for name in signatures.keys() - set(todo):
        write(name, None, None)
    _EMIT_CORPUS, _EMIT_PARTS = corpus, parts
    try:
        if jobs > 1 and len(todo) >= PARALLEL_EMIT_FROM:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for name, data, triples in pool.map(_emit_file, todo, chunksize=8):
                    write(name, data, triples, signatures[name])
        else:
            for name in todo:
                write(*_emit_file(name), signatures[name])
    finally:
        _EMIT_CORPUS, _EMIT_PARTS = None, {}
    for name in SHARED_FILES:
        signature = shared_signature(name, corpus)
        if known.get(name) == signature:
            write(name, None, None)
        else:
            g = shared_graph(name, corpus, gazetteer)
            write(name, turtle_bytes(g), len(g), signature)
    for stale in out_dir.glob("*.ttl"):
        if stale.name not in written:
            stale.unlink()
    state.save(emitted)
    return sum(written.values()), sorted(written)


PARALLEL_EMIT_FROM = 32
