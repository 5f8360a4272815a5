"""What validation reports: findings, each attributed to its document, with the quote behind it.

Every SHACL result becomes a :class:`Finding` attributed to the document it belongs to (the
focus node's IRI lies under the document's), with the document's source file and the
quote behind the offending fact (the evidence supporting the result's path where there is
one). Severities: ``violation`` for broken data, ``warning`` for what a source itself
leaves open. Both engines (whole-graph pySHACL and validation by document) report through
:func:`findings_of`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import cast, overload

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from policykg.namespaces import ID, OA, PKG, PREFIXES
from policykg.store.labels import document_label
from policykg.validate.reasoning import ReasonerOutcome

SH = Namespace("http://www.w3.org/ns/shacl#")


SEVERITY: dict[Node | None, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


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


@overload
def local_name(term: None) -> None: ...
@overload
def local_name(term: Node) -> str: ...
@overload
def local_name(term: Node | None) -> str | None: ...
def local_name(term: Node | None) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in list(PREFIXES.items()) + [("pks", "https://w3id.org/policykg/shapes#")]:
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def document_of(focus: URIRef) -> URIRef | None:
    text = str(focus)
    base = str(ID["doc/"])
    if not text.startswith(base):
        return None
    return URIRef(base + text[len(base):].split("/", 1)[0])


def quote_of(data: Graph, focus: URIRef, path) -> tuple[str | None, int | None, int | None]:
    """The evidence behind the result: the quote supporting ``path``, else the focus node's
    own first quote, else the focus's when it is itself an evidence node."""
    nodes = sorted(cast("Iterable[URIRef]", data.objects(focus, PKG.evidence)))  # evidence nodes are IRIs
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


def describe(data: Graph, doc: URIRef) -> tuple[str, str | None]:
    """A document's 文号 (else title) and source file."""
    source = data.value(doc, PKG.sourceFile)
    return document_label(data, doc), (str(source) if source is not None else None)


def findings_of(data: Graph, results: Graph, about: set | None = None) -> list[Finding]:
    """The results as findings; with ``about``, only those whose focus node is in it."""
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in results:  # a nested result of sh:node, told by its parent
            continue
        focus = results.value(r, SH.focusNode)
        assert focus is not None  # SHACL gives every validation result its focus node
        if about is not None and focus not in about:
            continue
        path = results.value(r, SH.resultPath)
        constraint = results.value(r, SH.sourceConstraint)
        shape = results.value(r, SH.sourceShape)
        rule = constraint if isinstance(constraint, URIRef) else shape
        doc = document_of(focus) if isinstance(focus, URIRef) else None
        quote, start, end = quote_of(data, focus, path) if isinstance(focus, URIRef) else (None, None, None)
        label, source_file = describe(data, doc) if doc is not None else (None, None)
        message = results.value(r, SH.resultMessage)
        value = results.value(r, SH.value)
        out.append(Finding(
            severity=SEVERITY.get(results.value(r, SH.resultSeverity), "violation"),
            rule=local_name(rule) if isinstance(rule, URIRef) else "pks:(anonymous)",
            message=str(message) if message is not None else "",
            focus=local_name(focus),
            document=str(doc) if doc is not None else None,
            document_label=label,
            source_file=source_file,
            path=local_name(path) if isinstance(path, URIRef) else None,
            value=local_name(value) if value is not None and value != focus else None,
            quote=quote, start=start, end=end,
        ))
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: (f.document or "~", order[f.severity], f.focus, f.rule, f.message))
