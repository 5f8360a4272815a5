"""The build: corpus → normalize → extract → link → organizations → align → emit → graph/.

A bad file (empty, binary, changed against the manifest, or one the extractor chokes
on) becomes an error naming it; the other documents are built all the same.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from policykg.cache.extraction import CacheCorruptError, ExtractionCache, FileKeys
from policykg.cache.heap import frozen_heap
from policykg.cache.versions import CACHE_DIR
from policykg.emit.write import write_corpus
from policykg.extract.pipeline import extract
from policykg.ingest.corpus import (
    CorpusError,
    corpus_entries,
    load_manifest,
    read_source,
    verify_manifest,
)
from policykg.ingest.normalize import normalize
from policykg.link.align import align_versions
from policykg.link.documents import link
from policykg.link.organizations import resolve_organizations
from policykg.records import Corpus, Diagnostic, DocumentRecord
from policykg.reference.areas import Gazetteer


@dataclass
class BuildResult:
    corpus: Corpus
    triples: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.corpus.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.corpus.diagnostics if d.level == "warning"]


def extract_file(path: Path, gazetteer: Gazetteer) -> tuple[DocumentRecord | None, list[Diagnostic]]:
    """One corpus file to its record; any failure becomes an error naming the file."""
    try:
        source = read_source(path)
    except CorpusError as exc:
        return None, [Diagnostic("error", path.name, None, str(exc).removeprefix(f"{path.name}: "))]
    try:
        view = normalize(source.name, source.text)
        record, diagnostics = extract(view, gazetteer)
        if source.warning:
            diagnostics.insert(0, Diagnostic("warning", path.name, None, source.warning))
        return record, diagnostics
    except Exception as exc:  # noqa: BLE001 — one document's failure must not stop the others
        return None, [Diagnostic("error", path.name, None, f"extraction failed: {type(exc).__name__}: {exc}")]


def _extract_path(path: Path) -> tuple[DocumentRecord | None, list[Diagnostic]]:
    return extract_file(path, Gazetteer.load())


def _extract_all(paths: list[Path], jobs: int, on_file, cache: ExtractionCache | None = None,
                 ) -> Iterator[tuple[Path, str | None, DocumentRecord | None, list[Diagnostic]]]:
    """Extraction, file by file, in ``jobs`` worker processes when there are enough files
    to be worth it; a file whose text the cache knows is not extracted again. Results come
    back in the order of ``paths``, each with what it was extracted from
    (:meth:`policykg.cache.extraction.ExtractionCache.identity`) when there is a cache."""
    keys: dict[Path, str] = {}
    known: dict[Path, tuple[DocumentRecord | None, list[Diagnostic]]] = {}
    if cache is not None:
        file_keys = FileKeys(cache.out_dir)
        gc.disable()  # records are many objects without cycles: collections while reading them cost more than the reading
        try:
            for path in paths:
                try:
                    keys[path] = file_keys.key(path)
                except OSError:
                    continue  # read_source names the problem below
                hit = cache.get(keys[path])
                if hit is not None:
                    known[path] = hit
                    if on_file:
                        on_file(path.name)
        finally:
            # frozen before the collector runs again: all that was read is in its youngest
            # generation, and its next passes would go through it three times (2 s at
            # 20,000 records). The caller thaws it (build runs in frozen_heap).
            gc.freeze()
            gc.enable()
        cache.prune(set(keys.values()))
        file_keys.save()
    todo = [p for p in paths if p not in known]
    fresh: Iterator[tuple[Path, tuple[DocumentRecord | None, list[Diagnostic]]]]
    if jobs <= 1 or len(todo) < PARALLEL_FROM:
        fresh = ((path, _extract_path(path)) for path in todo)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
        fresh = zip(todo, pool.map(_extract_path, todo, chunksize=16), strict=True)
    try:
        for path, (record, found) in fresh:
            if on_file:
                on_file(path.name)
            known[path] = (record, found)
            if cache is not None and path in keys:
                cache.put(keys[path], record, found)
    finally:
        if pool is not None:
            pool.shutdown()
    if cache is not None:
        cache.save_pack()  # before linking changes any record
    for path in paths:
        yield (path, cache.identity(keys[path]) if cache is not None and path in keys else None, *known[path])


PARALLEL_FROM = 32  # fewer files than this are extracted in the calling process


MAX_FILE_BYTES = 20_000_000  # a policy document is tens of KB; above this a file is refused, with its size


def build(corpus_dir: Path, out_dir: Path, *, on_file: Callable[[str], None] | None = None,
          jobs: int | None = None, use_cache: bool = True, max_file_bytes: int = MAX_FILE_BYTES) -> BuildResult:
    """Build the graph of every ``.txt`` file in ``corpus_dir`` into ``out_dir``.

    Records of unchanged files come from the extraction cache (``out_dir/.cache``); with
    ``use_cache`` false the cache is cleared first and written anew. A cache file found
    damaged while it is read clears the cache and the build starts again. A graph file
    whose bytes did not change is not rewritten, so the Oxigraph store beside it reloads
    only what changed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> result = build(pathlib.Path("corpus"), out)
    >>> result.corpus.documents["杭政办函-2023-81"].entry_into_force.value
    datetime.date(2024, 1, 27)
    """
    gazetteer = Gazetteer.load()
    diagnostics: list[Diagnostic] = []
    skip: set[str] = set()
    try:
        manifest = load_manifest(corpus_dir)
        paths, unreadable = corpus_entries(corpus_dir)
    except CorpusError as exc:
        return BuildResult(Corpus(diagnostics=[Diagnostic("error", str(corpus_dir), None, str(exc))]))
    for problem in unreadable:
        name, _, message = problem.partition(": ")
        diagnostics.append(Diagnostic("error", name, None, message))
        skip.add(name)
    if not paths and not unreadable:
        diagnostics.append(Diagnostic("warning", str(corpus_dir), None, "the corpus folder holds no .txt file"))
    if manifest is not None:
        for problem in verify_manifest(corpus_dir, manifest):
            name, _, message = problem.partition(": ")
            diagnostics.append(Diagnostic("error", name, None, message))
            skip.add(name)
    for p in paths:
        with contextlib.suppress(OSError):
            size = p.stat().st_size
            if size > max_file_bytes:
                diagnostics.append(Diagnostic("error", p.name, None, f"the file is {size:,} bytes, above the limit of "
                                              f"{max_file_bytes:,} (--max-file-bytes): not built"))
                skip.add(p.name)
    todo = [p for p in paths if p.name not in skip]
    if not use_cache:  # --no-cache: nothing is read from the cache, and it is written anew
        shutil.rmtree(out_dir / CACHE_DIR, ignore_errors=True)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    # the records stay to the end: the collector's passes (and forked workers) need not look at them
    with frozen_heap():
        try:
            return _build(gazetteer, todo, list(diagnostics), ExtractionCache(out_dir), jobs, on_file, out_dir)
        except CacheCorruptError as exc:  # damage found only when read: the cache goes, the build starts again
            shutil.rmtree(out_dir / CACHE_DIR, ignore_errors=True)
            diagnostics.append(Diagnostic("warning", str(out_dir / CACHE_DIR), None,
                                          f"a cache file was damaged ({exc}): the cache was cleared and rebuilt"))
            return _build(gazetteer, todo, diagnostics, ExtractionCache(out_dir), jobs, on_file, out_dir)


def _build(gazetteer: Gazetteer, todo: list[Path], diagnostics: list[Diagnostic], cache: ExtractionCache,
           jobs: int, on_file, out_dir: Path) -> BuildResult:
    records: list[tuple[Path, str | None, DocumentRecord]] = []
    for path, identity, record, found in _extract_all(todo, jobs, on_file, cache):
        diagnostics.extend(found)
        if record is not None:
            records.append((path, identity, record))
    # documents of one key (one 文号 in two files) are each keyed by their file, whatever the
    # files' order: their IRIs stay the same when another file joins the corpus
    files_of: dict[str, list[str]] = {}
    for path, _, record in records:
        files_of.setdefault(record.key, []).append(path.name)
    extracted_from: dict[str, str] = {}
    for path, identity, record in records:
        shared = files_of[record.key]
        if len(shared) > 1:
            diagnostics.append(Diagnostic(
                "warning", path.name, None,
                f"{record.label} is also the document of {', '.join(n for n in shared if n != path.name)}: "
                f"both are kept, each keyed by its file ({record.key}-{path.stem})"))
            record.key = f"{record.key}-{path.stem}"
        if identity is not None:
            extracted_from[record.key] = identity
    records_only = [record for _, _, record in records]
    gc.freeze()  # and the fresh records with them
    corpus = link(records_only, gazetteer, extracted_from, out_dir / CACHE_DIR / "drafts.pickle")
    corpus.extracted_from = extracted_from
    corpus.diagnostics = diagnostics + corpus.diagnostics + resolve_organizations(corpus)
    align_versions(corpus, jobs, out_dir / CACHE_DIR / "align.pickle")
    triples, files = write_corpus(corpus, gazetteer, out_dir, jobs, True)
    return BuildResult(corpus, triples, files)
