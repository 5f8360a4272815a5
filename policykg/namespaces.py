"""The namespaces of the vocabulary and the relation kinds' terms.

Kept apart from :mod:`policykg.emit` so that the stages that only name terms (query,
validation, views) do not depend on how RDF is written: a cache's version covers the code
its stage imports (:func:`policykg.cache.versions.code_version`).
"""
from __future__ import annotations

from functools import cache

from rdflib import RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS


class TermsOnce(Namespace):
    """A namespace that makes each of its terms once: rdflib's makes a new URIRef at every
    ``PKG.evidence``, a fifth of the emit stage's time."""

    @cache  # noqa: B019 — namespaces live as long as the module
    def term(self, name: str) -> URIRef:
        return super().term(name)


ELI = TermsOnce("http://data.europa.eu/eli/ontology#")
PKG = TermsOnce("https://w3id.org/policykg/ontology#")
ID = Namespace("https://w3id.org/policykg/id/")  # instance IRIs: many, each used a few times
ORG = TermsOnce("http://www.w3.org/ns/org#")
OA = TermsOnce("http://www.w3.org/ns/oa#")

PREFIXES = {
    "eli": ELI, "pkg": PKG, "id": ID, "org": ORG, "oa": OA, "skos": SKOS, "prov": PROV,
    "dcterms": DCTERMS, "xsd": XSD, "rdfs": RDFS, "owl": OWL,
}

# kind → (plain property, its inverse, qualified class, role of source, role of target)
RELATIONS = {
    "repeals": (ELI.repeals, ELI.repealed_by, PKG.Repeal, PKG.repealing, PKG.repealed),
    "cites": (ELI.cites, ELI.cited_by, PKG.Citation, PKG.citing, PKG.cited),
    "implements": (ELI.ensures_implementation_of, PKG.implementedBy, PKG.Implementation,
                   PKG.implementing, PKG.implemented),
    "draft_of": (PKG.draftOf, PKG.hasDraft, PKG.DraftRelation, PKG.draft, PKG.final),
    "succeeds": (PKG.succeeds, PKG.succeededBy, PKG.Succession, PKG.successor, PKG.predecessor),
}
