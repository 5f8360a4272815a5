"""Validating Turtle files: whole-graph pySHACL on the rdflib backend
(:mod:`policykg.validate.whole_graph`), or document by document over the Oxigraph store
(:mod:`policykg.validate.by_document`) for large graphs, then the OWL reasoner.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from policykg.cache.heap import frozen_heap
from policykg.store.backends import (
    choose_backend,
    graph_files,
    load_memory,
    store_location,
)
from policykg.store.errors import StoreError
from policykg.store.filestore import FileStore
from policykg.validate.findings import Report, ValidationError
from policykg.validate.quotes import check_quotes, default_corpus
from policykg.validate.reasoning import reason
from policykg.validate.shapes import ontology_graph
from policykg.validate.whole_graph import validate_graph


def validate_paths(paths: Iterable[Path], *, backend: str = "auto", jobs: int | None = None,
                   reasoner: bool = True, corpus: Path | None = None, quotes: bool = True,
                   **kwargs) -> Report:
    """Validate Turtle files: whole-graph pySHACL on the rdflib backend, or document by
    document over the Oxigraph store (:mod:`policykg.validate.by_document`) for large graphs;
    then every evidence quote against ``corpus`` (default: the ``corpus/`` beside the graph)
    unless ``quotes`` is false (the shape fixtures, which quote no file)."""
    paths = list(paths)
    corpus = corpus if corpus is not None else default_corpus(paths)
    try:
        files = graph_files(paths)
        chosen = choose_backend(files, backend)
        if chosen == "rdflib":
            data = load_memory(files)
            report = validate_graph(data, files=[str(f) for f in files], reasoner=reasoner, **kwargs)
            if quotes:
                report.findings.extend(check_quotes(data, corpus))
            return report
        from policykg.validate.by_document import validate_store

        with frozen_heap():  # what the caller holds: a build's records when `build` validates what it built
            fs = FileStore(store_location(files))
            fs.sync(files)
            report = validate_store(files, fs, jobs=jobs, **kwargs)
            if quotes:
                report.findings.extend(check_quotes(fs.dataset(), corpus))
            if reasoner:
                report.reasoner = reason(ontology_graph(), fs.dataset())
            return report
    except StoreError as exc:
        raise ValidationError(str(exc)) from None
