"""What the emitters write into, and the literals and evidence nodes they write."""
from __future__ import annotations

import datetime as dt

from rdflib import RDF, XSD, Graph, Literal, URIRef

from policykg.namespaces import OA, PKG, PREFIXES
from policykg.records import (
    Evidence,
)


class Triples:
    """What the emitters write into: a set of triples of rdflib terms.

    The emitters only add; rdflib's ``Graph`` would index every triple three ways (and fire
    an event per add) for lookups a build never makes, which was half of a build's time.
    ``graph()`` gives an rdflib Graph of the same triples when one is wanted."""

    def __init__(self) -> None:
        self._triples: set[tuple] = set()

    def add(self, triple: tuple) -> Triples:
        self._triples.add(triple)
        return self

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def __contains__(self, triple) -> bool:
        return triple in self._triples

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        for triple in self._triples:
            g.add(triple)
        return g


def new_graph() -> Triples:
    return Triples()


def decimal_literal(value) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)


def date_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def add_evidence(g: Triples, subject: URIRef, node: URIRef, ev: Evidence, about: URIRef | None = None) -> None:
    g.add((subject, PKG.evidence, node))
    g.add((node, RDF.type, PKG.Evidence))
    g.add((node, OA.exact, Literal(ev.exact)))
    g.add((node, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((node, OA.end, Literal(ev.end, datatype=XSD.integer)))
    g.add((node, PKG.sourceFile, Literal(ev.source_file)))
    if about is not None:
        g.add((node, PKG.supportsProperty, about))
