"""OWL reasoning: the ontology and the graph's skeleton, checked by HermiT through owlready2.

What the reasoner sees, and why:

- **The ontology without dates.** HermiT (owlready2 0.51) refuses ``xsd:date`` values and
  ranges (OWL 2's datatype map has ``xsd:dateTime``, not ``xsd:date``; nor ``xsd:gYear``
  or ``xsd:duration``). Dates are SHACL's job (datatypes, cardinality, their order), so
  every property whose range is outside the OWL 2 datatype map is left out, with the
  axioms on it.
- **The graph's skeleton, not its literals.** Individuals with their declared classes and
  the object-property links between them: documents, measures, incentives, targets,
  ladders, organizations, tiers, qualified relations. Literals (titles, amounts, quotes)
  and evidence nodes are left to SHACL. That keeps the reasoning problem proportional to
  the number of facts, not of characters, and small enough to stay fast as the corpus grows.

owlready2 loads RDF/XML or N-Triples (it reads a ``.ttl`` file as an empty ontology without
complaint), so the skeleton is handed over as N-Triples. Java is needed for HermiT; where it
is missing, the step reports itself skipped instead of failing.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from policykg.namespaces import PKG

_SKIPPED_CLASSES = {PKG.Evidence}
_SKIPPED_PROPERTIES = {PKG.evidence, PKG.supportsProperty}


@dataclass
class ReasonerOutcome:
    status: str  # consistent | inconsistent | skipped (no Java) | error (HermiT failed)
    message: str
    seconds: float = 0.0
    unsatisfiable: list[str] = field(default_factory=list)
    axioms: int = 0


# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): what HermiT accepts.
_OWL2_DATATYPES = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
    XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.nonPositiveInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
    XSD.unsignedShort, XSD.unsignedByte, XSD.double, XSD.float, XSD.string, XSD.normalizedString,
    XSD.token, XSD.language, XSD.Name, XSD.NCName, XSD.NMTOKEN, XSD.boolean, XSD.hexBinary,
    XSD.base64Binary, XSD.anyURI, XSD.dateTime, XSD.dateTimeStamp,
}


def _date_properties(ontology: Graph) -> set[URIRef]:
    """Properties whose range HermiT refuses: xsd:date, xsd:gYear, xsd:duration."""
    return {p for p, r in ontology.subject_objects(RDFS.range)
            if isinstance(p, URIRef) and str(r).startswith(str(XSD)) and r not in _OWL2_DATATYPES}


def skeleton(ontology: Graph, data: Graph) -> Graph:
    """The ontology without date properties, plus the data's classes and object links."""
    dates = _date_properties(ontology)
    g = Graph()
    for s, p, o in ontology:
        if s in dates or o in dates:
            continue
        g.add((s, p, o))
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    object_properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)} - _SKIPPED_PROPERTIES
    kept: set[URIRef] = set()
    for s, _, c in data.triples((None, RDF.type, None)):
        if c in classes and c not in _SKIPPED_CLASSES and isinstance(s, URIRef):
            g.add((s, RDF.type, c))
            g.add((s, RDF.type, OWL.NamedIndividual))
            kept.add(s)
    for p in object_properties:
        for s, o in data.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and not isinstance(o, Literal):
                g.add((s, p, o))
                for node in (s, o):
                    if node not in kept:
                        g.add((node, RDF.type, OWL.NamedIndividual))
                        kept.add(node)
    return g


def java_available() -> bool:
    return shutil.which("java") is not None


def reason(ontology: Graph, data: Graph) -> ReasonerOutcome:
    """Is the ontology with the graph's skeleton consistent, and every class satisfiable?"""
    if not java_available():
        return ReasonerOutcome("skipped", "OWL reasoning skipped: Java is not installed (HermiT needs it)")
    import owlready2  # imported here: it is slow to import and only this step needs it

    started = time.perf_counter()
    g = skeleton(ontology, data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "skeleton.nt"
        g.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerOutcome("inconsistent", "HermiT: the ontology with the graph is inconsistent",
                                   time.perf_counter() - started, axioms=len(g))
        except owlready2.OwlReadyJavaError as exc:
            message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            return ReasonerOutcome("error", f"HermiT failed to run: {message}",
                                   time.perf_counter() - started, axioms=len(g))
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    seconds = time.perf_counter() - started
    if unsatisfiable:
        return ReasonerOutcome("inconsistent", f"HermiT: {len(unsatisfiable)} unsatisfiable class(es)",
                               seconds, unsatisfiable, len(g))
    return ReasonerOutcome("consistent", f"HermiT: consistent, every class satisfiable ({len(g)} axioms and assertions)",
                           seconds, axioms=len(g))
