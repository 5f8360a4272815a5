"""Validation: SHACL shapes (``shapes/``) with pySHACL, then OWL reasoning (:mod:`.reasoning`).

Every result becomes a :class:`Finding` attributed to the document it belongs to (the
focus node's IRI lies under the document's), with the document's source file and the
quote behind the offending fact (the evidence supporting the result's path where there is
one). Severities: ``violation`` for broken data, ``warning`` for what a source itself
leaves open.

The stated-validity rule compares a document's 有效性 with its dates on a check date; the
run puts that date on its own node (``id:validation pkg:checkDate``) in the graph it
validates, never in the files.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import processor as sparql_processor

from .namespaces import ID, OA, PKG, PREFIXES
from .query import document_label
from .reasoning import ReasonerOutcome, reason
from .resources import data_dir
from .store import (
    FileStore,
    StoreError,
    choose_backend,
    frozen_heap,
    graph_files,
    load_memory,
    store_location,
)

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
RUN = ID["validation"]


class ValidationError(Exception):
    """The validation could not run (no graph, a file that does not parse): exit code 2."""


@dataclass
class Finding:
    severity: str  # violation | warning | info
    rule: str  # the shape or SPARQL constraint, as pks:local-name
    message: str
    focus: str
    document: str | None  # the document's IRI, or None for shared nodes (organizations, tiers)
    document_label: str | None
    source_file: str | None
    path: str | None = None
    value: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Report:
    findings: list[Finding]
    reasoner: ReasonerOutcome | None
    triples: int
    shacl_seconds: float
    checked_on: str
    files: list[str] = field(default_factory=list)
    documents: list[tuple[str | None, str]] = field(default_factory=list)  # (source file, label) of each

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    def fails(self, fail_on: str) -> bool:
        """Whether the run fails at this level: violation (default) or warning."""
        inconsistent = self.reasoner is not None and self.reasoner.status == "inconsistent"
        if fail_on == "warning":
            return inconsistent or any(f.severity in ("violation", "warning") for f in self.findings)
        return inconsistent or self.count("violation") > 0

    def as_dict(self) -> dict:
        return {
            "conforms": not self.fails("violation"),
            "checked_on": self.checked_on,
            "triples": self.triples,
            "violations": self.count("violation"),
            "warnings": self.count("warning"),
            "findings": [asdict(f) for f in self.findings],
            "reasoner": asdict(self.reasoner) if self.reasoner else None,
        }


def load(paths: Iterable[Path]) -> tuple[Graph, list[Path]]:
    """The files of ``paths`` in one in-memory graph (the rdflib backend)."""
    try:
        files = graph_files(list(paths))
        return load_memory(files), files
    except StoreError as exc:
        raise ValidationError(str(exc)) from None


@cache
def shapes_graph() -> Graph:
    """The shapes, parsed once per process (pySHACL reads them, never changes them)."""
    g = Graph()
    for f in sorted(data_dir("shapes").glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@cache
def ontology_graph() -> Graph:
    """The ontology, parsed once per process (mixed into a copy of the data, never changed)."""
    return Graph().parse(data_dir("ontology") / "policykg.ttl", format="turtle")


def _local(term) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in list(PREFIXES.items()) + [("pks", "https://w3id.org/policykg/shapes#")]:
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def _document_of(focus: URIRef) -> URIRef | None:
    text = str(focus)
    base = str(ID["doc/"])
    if not text.startswith(base):
        return None
    return URIRef(base + text[len(base):].split("/", 1)[0])


def _quote(data: Graph, focus: URIRef, path) -> tuple[str | None, int | None, int | None]:
    """The evidence behind the result: the quote supporting ``path``, else the focus node's
    own first quote, else the focus's when it is itself an evidence node."""
    nodes = sorted(data.objects(focus, PKG.evidence))
    chosen = [e for e in nodes if path is not None and (e, PKG.supportsProperty, path) in data] or nodes
    if not chosen and (focus, OA.exact, None) in data:
        chosen = [focus]
    for e in chosen:
        exact = data.value(e, OA.exact)
        if exact is not None:
            return str(exact), _offset(data.value(e, OA.start)), _offset(data.value(e, OA.end))
    return None, None, None


def _offset(term) -> int | None:
    """An offset as an integer, or None when it is missing or not a number (a shape says so)."""
    try:
        return int(term) if term is not None else None
    except ValueError:
        return None


def _describe(data: Graph, doc: URIRef) -> tuple[str, str | None]:
    """A document's 文号 (else title) and source file."""
    source = data.value(doc, PKG.sourceFile)
    return document_label(data, doc), (str(source) if source is not None else None)


def _findings(data: Graph, results: Graph, about: set | None = None) -> list[Finding]:
    """The results as findings; with ``about``, only those whose focus node is in it."""
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in results:  # a nested result of sh:node, told by its parent
            continue
        focus = results.value(r, SH.focusNode)
        if about is not None and focus not in about:
            continue
        path = results.value(r, SH.resultPath)
        constraint = results.value(r, SH.sourceConstraint)
        shape = results.value(r, SH.sourceShape)
        rule = constraint if isinstance(constraint, URIRef) else shape
        doc = _document_of(focus) if isinstance(focus, URIRef) else None
        quote, start, end = _quote(data, focus, path) if isinstance(focus, URIRef) else (None, None, None)
        label, source_file = _describe(data, doc) if doc is not None else (None, None)
        message = results.value(r, SH.resultMessage)
        value = results.value(r, SH.value)
        out.append(Finding(
            severity=SEVERITY.get(results.value(r, SH.resultSeverity), "violation"),
            rule=_local(rule) if isinstance(rule, URIRef) else "pks:(anonymous)",
            message=str(message) if message is not None else "",
            focus=_local(focus),
            document=str(doc) if doc is not None else None,
            document_label=label,
            source_file=source_file,
            path=_local(path) if isinstance(path, URIRef) else None,
            value=_local(value) if value is not None and value != focus else None,
            quote=quote, start=start, end=end,
        ))
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: (f.document or "~", order[f.severity], f.focus, f.rule, f.message))


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
    sparql_processor.parseQuery = lambda text: text
    sparql_processor.translateQuery = lambda text, base=None, initNs=None: _prepared(
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
    findings = _findings(run, results)
    outcome = reason(ontology, data) if reasoner else None
    described = (_describe(data, d) for d in data.subjects(RDF.type, PKG.PolicyDocument) if isinstance(d, URIRef))
    documents = sorted(((source, label) for label, source in described), key=lambda d: (d[0] or "~", d[1]))
    return Report(findings, outcome, len(data), seconds, check_date.isoformat(), files or [], documents)


def validate_paths(paths: Iterable[Path], *, backend: str = "auto", jobs: int | None = None,
                   reasoner: bool = True, **kwargs) -> Report:
    """Validate Turtle files: whole-graph pySHACL on the rdflib backend, or document by
    document over the Oxigraph store (:mod:`.document_validation`) for large graphs."""
    try:
        files = graph_files(list(paths))
        chosen = choose_backend(files, backend)
        if chosen == "rdflib":
            return validate_graph(load_memory(files), files=[str(f) for f in files], reasoner=reasoner, **kwargs)
        from .document_validation import validate_store

        with frozen_heap():  # what the caller holds: a build's records when `build` validates what it built
            fs = FileStore(store_location(files))
            fs.sync(files)
            report = validate_store(files, fs, jobs=jobs, **kwargs)
            if reasoner:
                report.reasoner = reason(ontology_graph(), fs.dataset())
            return report
    except StoreError as exc:
        raise ValidationError(str(exc)) from None
