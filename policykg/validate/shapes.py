"""The shapes (``shapes/``) and the ontology, parsed once per process, and the shapes split for
validation by document: the local shapes (compiled once by pyshacl-turbo) and the rules
across documents (``pks:acrossDocuments true``), each made one query over the store.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import cast

import pyoxigraph as ox
import pyshacl_turbo
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from policykg.resources import data_dir
from policykg.validate.findings import SEVERITY, SH


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


PKS = Namespace("https://w3id.org/policykg/shapes#")


@cache
def local_shapes() -> Graph:
    """The shapes without the rules across documents (those run over the store)."""
    g = Graph()
    g += shapes_graph()
    across = set(g.subjects(PKS.acrossDocuments, Literal(True)))
    for shape, constraint in list(g.subject_objects(SH.sparql)):
        if constraint in across:
            g.remove((shape, SH.sparql, constraint))
    for shape in across:
        if (shape, RDF.type, SH.NodeShape) in g:
            g.add((shape, SH.deactivated, Literal(True)))
    return g


@cache
def compiled_local_shapes() -> pyshacl_turbo.CompiledShapes:
    """The local shapes compiled once per process by pyshacl-turbo, the Rust SHACL engine
    with pySHACL's interface and semantics (SHACL-AF targets, SPARQL constraints): about a
    tenth of pySHACL's time per unit. A test checks both engines report the same findings
    on every fixture."""
    # compiled from a pyoxigraph store, like the data it is given: compiled from rdflib terms,
    # a plain literal of sh:in ("added") does not match the same literal read from a store
    shapes = ox.Store()
    shapes.load(local_shapes().serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return pyshacl_turbo.compile_shapes(shapes, advanced=True)


@cache
def class_hierarchy() -> Graph:
    """The ontology's rdfs:subClassOf triples, which sh:class and sh:targetClass follow."""
    g = Graph()
    for triple in ontology_graph().triples((None, RDFS.subClassOf, None)):
        g.add(triple)
    return g


@cache
def class_hierarchy_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)))
                 for s, p, o in class_hierarchy())


def _subclasses(cls: URIRef) -> list[URIRef]:
    found, todo = {cls}, [cls]
    while todo:
        for sub in ontology_graph().subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted(found)


@dataclass(frozen=True)
class Cycle:
    """A rule ``$this P+ $this``, as queries: the edges of P (all, or from the nodes a
    ``VALUES ?s`` block names, put in for ``{values}``), the rule's targets, its ?path."""
    edges: str
    edges_from: str
    targets: str
    path: str


@dataclass(frozen=True)
class AcrossRule:
    shape: URIRef
    constraint: URIRef
    query: str
    message: str
    severity: str
    cycle: Cycle | None = None  # a closure back to $this, answered by components
    one_step: bool = False  # its rows for a node read only the triples about it and the nodes it points to


# A rule that asks whether a path leads from a node back to itself ($this (p|q)+ $this, with
# its ?path bound): Oxigraph computes the closure from every node, which is quadratic in the
# length of the chains; strongly connected components over the edges answer it in one pass.
_CYCLE = re.compile(r"^\s*SELECT\s+\?this\s+\?path\s+WHERE\s*\{\s*\?this\s+(?P<path>\([^()]*\)|\S+)\+\s+\?this\s*\."
                    r"\s*BIND\s*\(\s*(?P<bound>\S+)\s+AS\s+\?path\s*\)\s*\}\s*$")


@cache
def across_rules() -> tuple[AcrossRule, ...]:
    """Each rule across documents as one query over the whole store."""
    g = shapes_graph()
    prologue = "".join(
        f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n" for d in g.objects(PKS[""], SH.declare))
    rules = []
    # the shapes files name their shapes, constraints and target classes with IRIs
    for constraint in sorted(cast("Iterable[URIRef]", g.subjects(PKS.acrossDocuments, Literal(True)))):
        if (constraint, RDF.type, SH.SPARQLConstraint) not in g:
            continue
        for shape in sorted(cast("Iterable[URIRef]", g.subjects(SH.sparql, constraint))):
            body = re.sub(r"\$this\b", "?this", str(g.value(constraint, SH.select)))
            targets = [f"{{ ?this a ?class . VALUES ?class {{ {' '.join(c.n3() for c in _subclasses(t))} }} }}"
                       for t in cast("Iterable[URIRef]", g.objects(shape, SH.targetClass))]
            targets += ["{ " + str(g.value(t, SH.select)) + " }" for t in g.objects(shape, SH.target)]
            query = f"{prologue}SELECT * WHERE {{ {{ {' UNION '.join(targets)} }} {{ {body} }} }}"
            severity = SEVERITY.get(g.value(shape, SH.severity), "violation")
            m = _CYCLE.match(body)
            cycle = Cycle(f"{prologue}SELECT ?s ?o WHERE {{ ?s {m['path']} ?o }}",
                          f"{prologue}SELECT ?s ?o WHERE {{ VALUES ?s {{ {{values}} }} ?s {m['path']} ?o }}",
                          f"{prologue}SELECT DISTINCT ?this WHERE {{ {' UNION '.join(targets)} }}",
                          f"{prologue}SELECT ?path WHERE {{ BIND ({m['bound']} AS ?path) }}") if m else None
            rules.append(AcrossRule(shape, constraint, query, str(g.value(constraint, SH.message) or ""), severity,
                                    cycle, (constraint, PKS.withinOneStep, Literal(True)) in g))
    return tuple(rules)
