"""How the graph's resources are named to people."""
from __future__ import annotations

from rdflib import Graph, URIRef

from policykg.namespaces import ELI


def document_label(g: Graph, doc: URIRef) -> str:
    """How a document is named to people: its 文号, else its title, else its IRI."""
    return str(g.value(doc, ELI.id_local) or g.value(doc, ELI.title) or doc)
