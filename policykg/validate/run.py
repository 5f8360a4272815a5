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
from policykg.validate.reasoning import reason
from policykg.validate.shapes import ontology_graph
from policykg.validate.whole_graph import validate_graph


def validate_paths(paths: Iterable[Path], *, backend: str = "auto", jobs: int | None = None,
                   reasoner: bool = True, **kwargs) -> Report:
    """Validate Turtle files: whole-graph pySHACL on the rdflib backend, or document by
    document over the Oxigraph store (:mod:`policykg.validate.by_document`) for large graphs."""
    try:
        files = graph_files(list(paths))
        chosen = choose_backend(files, backend)
        if chosen == "rdflib":
            return validate_graph(load_memory(files), files=[str(f) for f in files], reasoner=reasoner, **kwargs)
        from policykg.validate.by_document import validate_store

        with frozen_heap():  # what the caller holds: a build's records when `build` validates what it built
            fs = FileStore(store_location(files))
            fs.sync(files)
            report = validate_store(files, fs, jobs=jobs, **kwargs)
            if reasoner:
                report.reasoner = reason(ontology_graph(), fs.dataset())
            return report
    except StoreError as exc:
        raise ValidationError(str(exc)) from None
