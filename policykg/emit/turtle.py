"""Deterministic Turtle, written by pyoxigraph."""
from __future__ import annotations

from typing import cast

import pyoxigraph
from rdflib import Graph, Literal, URIRef

from policykg.emit.triples import Triples
from policykg.namespaces import PREFIXES


def turtle_bytes(g: Triples | Graph) -> bytes:
    """``g`` as Turtle, deterministic (triples in the order of their N-Triples form), written
    by pyoxigraph with the project's prefixes (five times faster than rdflib's writer)."""
    triples = sorted({pyoxigraph.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in g}, key=str)
    # instance IRIs stay whole: id:doc\/杭政办函-2023-81 (a slash must be escaped) reads worse
    prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items()) if p != "id"}
    # with no output to write to, serialize returns the bytes
    return cast(bytes, pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes))


_NAMED: dict[str, pyoxigraph.NamedNode] = {}


def _ox(term):
    """An rdflib term as pyoxigraph's (IRIs remembered: the same few recur everywhere)."""
    if isinstance(term, URIRef):
        node = _NAMED.get(term)
        if node is None:
            node = _NAMED[term] = pyoxigraph.NamedNode(str(term))
            if len(_NAMED) > 200_000:
                _NAMED.clear()
        return node
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=_ox(term.datatype))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"no blank nodes in the graph: {term!r}")
