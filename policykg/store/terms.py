"""pyoxigraph terms as rdflib's."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef


def rdflib_term(term):
    """A pyoxigraph term as rdflib's (a simple literal stays simple, as rdflib reads one)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(term.value)


_XSD_STRING = str(XSD.string)
