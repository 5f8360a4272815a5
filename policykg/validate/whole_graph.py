"""Whole-graph validation: the SHACL shapes with pySHACL over an in-memory graph (the rdflib
backend), then OWL reasoning (:mod:`policykg.validate.reasoning`).

The stated-validity rule compares a document's 有效性 with its dates on a check date; the
run puts that date on its own node (``id:validation pkg:checkDate``) in the graph it
validates, never in the files.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.plugins.sparql import processor as sparql_processor

from policykg.namespaces import PKG
from policykg.store.backends import (
    graph_files,
    load_memory,
)
from policykg.store.errors import StoreError
from policykg.validate.findings import (
    RUN,
    Report,
    ValidationError,
    describe,
    findings_of,
)
from policykg.validate.reasoning import reason
from policykg.validate.shapes import ontology_graph, shapes_graph


def load(paths: Iterable[Path]) -> tuple[Graph, list[Path]]:
    """The files of ``paths`` in one in-memory graph (the rdflib backend)."""
    try:
        files = graph_files(list(paths))
        return load_memory(files), files
    except StoreError as exc:
        raise ValidationError(str(exc)) from None


_PARSE, _TRANSLATE = sparql_processor.parseQuery, sparql_processor.translateQuery


@lru_cache(maxsize=1024)
def _prepared(text: str, base: str | None, namespaces: tuple) -> object:
    return _TRANSLATE(_PARSE(text), base, dict(namespaces))


@contextmanager
def _prepared_queries() -> Iterator[None]:
    """Prepare each SPARQL text once while pySHACL runs.

    pySHACL evaluates a SHACL-SPARQL constraint once per focus node, passing the query
    text each time, and rdflib parses and translates the text anew on every call (about
    40 ms each; 80 % of a validation run). Inside this block rdflib's processor reuses the
    translated query for the same text, base and prefixes, which is what rdflib's own
    ``prepareQuery`` is for: a prepared query run with different initial bindings. The
    original functions are restored on leaving.
    """
    # the patched pair hands the text itself from one to the other, not rdflib's parse
    # results: so neither has the signature of the function it stands in for
    sparql_processor.parseQuery = lambda text: text  # type: ignore[assignment,return-value]
    sparql_processor.translateQuery = lambda text, base=None, initNs=None: _prepared(  # type: ignore[assignment,return-value]  # noqa: N803
        text, base, tuple(sorted((initNs or {}).items())))
    try:
        yield
    finally:
        sparql_processor.parseQuery, sparql_processor.translateQuery = _PARSE, _TRANSLATE


def validate_graph(data: Graph, *, check_date: dt.date | None = None, reasoner: bool = True,
                   files: list[str] | None = None) -> Report:
    """Validate an in-memory graph (not modified: the check date goes on a copy)."""
    check_date = check_date or dt.date.today()
    run = Graph()
    run += data
    run.add((RUN, PKG.checkDate, Literal(check_date.isoformat(), datatype=XSD.date)))
    ontology = ontology_graph()
    started = time.perf_counter()
    try:
        with _prepared_queries():
            _, results, _ = shacl_validate(
                run, shacl_graph=shapes_graph(), ont_graph=ontology, advanced=True, inference="none",
                allow_warnings=True, allow_infos=True,
            )
    except Exception as exc:  # noqa: BLE001 — a broken shapes file is a runtime error, not a traceback
        raise ValidationError(f"SHACL validation could not run: {type(exc).__name__}: {exc}") from None
    seconds = time.perf_counter() - started
    findings = findings_of(run, results)
    outcome = reason(ontology, data) if reasoner else None
    described = (describe(data, d) for d in data.subjects(RDF.type, PKG.PolicyDocument) if isinstance(d, URIRef))
    documents = sorted(((source, label) for label, source in described), key=lambda d: (d[0] or "~", d[1]))
    return Report(findings, outcome, len(data), seconds, check_date.isoformat(), files or [], documents)
