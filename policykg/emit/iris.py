"""Emitting RDF: plain records in, one deterministic Turtle file per document out.

Every resource a researcher may reference gets a stable, readable IRI under
``https://w3id.org/policykg/id/`` (no blank nodes): documents by 文号 or title, evidence
under the node it supports, qualified relation nodes by kind and the two documents.
"""
from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from policykg.namespaces import ID
from policykg.records import (
    Relation,
)

LEVEL_LABELS = {"province": ("省级", "province"), "city": ("市级", "city"), "district": ("区县级", "district")}


_UNSAFE = set(' <>"{}|\\^`#?%/[]')


def segment(text: str) -> str:
    """An IRI path segment: Chinese and other characters kept (an IRI, RFC 3987), the few
    ASCII characters that break IRIs percent-encoded."""
    return "".join(quote(c, safe="") if c in _UNSAFE or ord(c) < 0x21 else c for c in text)


def document_iri(key: str) -> URIRef:
    return ID[f"doc/{segment(key)}"]


def area_iri(path: tuple[str, ...]) -> URIRef:
    return ID["area/" + "/".join(segment(p) for p in path)]


def organization_iri(name: str) -> URIRef:
    return ID[f"org/{segment(name)}"]


def function_iri(key: str) -> URIRef:
    return ID[f"function/{segment(key)}"]


def tier_iri(key: str) -> URIRef:
    return ID[f"tier/{segment(key)}"]


def incentive_type_iri(key: str) -> URIRef:
    return ID[f"incentive-type/{segment(key)}"]


def measure_iri(doc_key: str, ordinal: int) -> URIRef:
    return URIRef(f"{document_iri(doc_key)}/measure/{ordinal}")


def relation_iri(rel: Relation) -> URIRef:
    return ID[f"relation/{rel.kind}/{segment(rel.source)}--{segment(rel.target)}"]
