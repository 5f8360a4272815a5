"""The build: corpus → normalize → extract → link → organizations → align → emit → graph/.

A bad file (empty, binary, changed against the manifest, or one the extractor chokes
on) becomes an error naming it; the other documents are built all the same.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .align import align_versions
from .areas import Gazetteer
from .corpus import (
    CorpusError,
    corpus_files,
    load_manifest,
    read_source,
    verify_manifest,
)
from .emit import graph_files, write_graphs
from .extract import extract
from .link import link
from .normalize import normalize
from .organizations import resolve_organizations
from .records import Corpus, Diagnostic, DocumentRecord


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
        return extract(view, gazetteer)
    except Exception as exc:  # noqa: BLE001 — one document's failure must not stop the others
        return None, [Diagnostic("error", path.name, None, f"extraction failed: {type(exc).__name__}: {exc}")]


def build(corpus_dir: Path, out_dir: Path, *, on_file: Callable[[str], None] | None = None) -> BuildResult:
    """Build the graph of every ``.txt`` file in ``corpus_dir`` into ``out_dir``.

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
        paths = corpus_files(corpus_dir)
    except CorpusError as exc:
        return BuildResult(Corpus(diagnostics=[Diagnostic("error", str(corpus_dir), None, str(exc))]))
    if manifest is not None:
        for problem in verify_manifest(corpus_dir, manifest):
            name, _, message = problem.partition(": ")
            diagnostics.append(Diagnostic("error", name, None, message))
            skip.add(name)
    records: list[DocumentRecord] = []
    keys: dict[str, str] = {}
    for path in paths:
        if on_file:
            on_file(path.name)
        if path.name in skip:
            continue
        record, found = extract_file(path, gazetteer)
        diagnostics.extend(found)
        if record is None:
            continue
        if record.key in keys:
            diagnostics.append(Diagnostic(
                "warning", path.name, None,
                f"same key {record.key!r} as {keys[record.key]}; kept apart by file name"))
            record.key = f"{record.key}-{path.stem}"
        keys[record.key] = path.name
        records.append(record)
    corpus = link(records, gazetteer)
    corpus.diagnostics = diagnostics + corpus.diagnostics + resolve_organizations(corpus)
    align_versions(corpus)
    files = graph_files(corpus, gazetteer)
    triples = write_graphs(files, out_dir)
    return BuildResult(corpus, triples, sorted(files))
