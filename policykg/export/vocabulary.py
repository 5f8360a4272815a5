"""The vocabulary reference for query writers (``docs/vocabulary.md``), generated from
``ontology/policykg.ttl`` and the built graph: every class and property with its zh and en
label, definition, domain and range, and one real example from the graph.

``policykg vocabulary -o docs/vocabulary.md`` writes it; a test keeps the committed file
current.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from policykg.namespaces import PKG, PREFIXES

_KINDS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
]
_CHARACTERISTICS = {OWL.FunctionalProperty: "functional", OWL.TransitiveProperty: "transitive"}


def compact(term) -> str:
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if text.startswith(str(ns)) and len(text) > len(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return f"<{text}>"


def _value(term) -> str:
    if isinstance(term, Literal):
        text = str(term)
        text = text if len(text) <= 60 else text[:57] + "…"
        text = text.replace("|", "\\|").replace("\n", " ")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{compact(term.datatype)}'
        return f'"{text}"'
    return compact(term)


def _label(ontology: Graph, term, lang: str) -> str:
    for label in ontology.objects(term, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return ""


def _example(ontology: Graph, data: Graph, term: URIRef, is_class: bool) -> str:
    if is_class:  # an instance of the class or of a subclass of it
        classes = set(ontology.transitive_subjects(RDFS.subClassOf, term))
        instances = sorted({s for c in classes for s in data.subjects(RDF.type, c)}, key=str)
        return f"`{compact(instances[0])}`" if instances else "—"
    triples = sorted(data.triples((None, term, None)), key=lambda t: (str(t[0]), str(t[2])))
    if not triples:
        return "—"
    s, _, o = triples[0]
    return f"`{compact(s)} {compact(term)} {_value(o)}`"


def _terms(ontology: Graph, kind: URIRef) -> list[URIRef]:
    return sorted((t for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef)), key=compact)


def render(ontology: Graph, data: Graph) -> str:
    lines = [
        "# policykg vocabulary",
        "",
        "Generated from `ontology/policykg.ttl` and the graph in `graph/` by",
        "`policykg vocabulary -o docs/vocabulary.md`; a test keeps it current. Every term with",
        "its Chinese and English label, its definition, its domain and range, and one example",
        "taken from the graph (— where this corpus has none).",
        "",
        "| prefix | namespace |",
        "|---|---|",
    ]
    lines += [f"| `{p}:` | <{ns}> |" for p, ns in sorted(PREFIXES.items())]
    declared: set[URIRef] = set()
    for kind, title in _KINDS:
        terms = _terms(ontology, kind)
        declared |= set(terms)
        lines += ["", f"## {title}", ""]
        for term in terms:
            lines += _entry(ontology, data, term, is_class=kind == OWL.Class)
    others = sorted((t for t in set(ontology.subjects(RDFS.label, None)) - declared
                     if isinstance(t, URIRef) and (t, RDF.type, OWL.Ontology) not in ontology
                     and (t, RDF.type, SKOS.ConceptScheme) not in ontology), key=compact)
    lines += ["", "## Standard terms used as they are", ""]
    for term in others:  # a class when its local name is capitalized (eli:LegalResource, org:Organization)
        local = compact(term).split(":", 1)[-1]
        lines += _entry(ontology, data, term, is_class=local[:1].isupper())
    lines += ["", "## Concept schemes", ""]
    for scheme in _terms(ontology, SKOS.ConceptScheme):
        lines += [f"### `{compact(scheme)}`", "", f"{_label(ontology, scheme, 'zh')} · {_label(ontology, scheme, 'en')}", ""]
        concepts = sorted(data.subjects(SKOS.inScheme, scheme), key=str)
        lines += ["| concept | zh | en | rank |", "|---|---|---|---|"]
        for c in concepts:
            # skos:prefLabel values are literals
            zh = next((str(v) for v in cast("Iterable[Literal]", data.objects(c, SKOS.prefLabel)) if v.language == "zh"), "")
            en = next((str(v) for v in cast("Iterable[Literal]", data.objects(c, SKOS.prefLabel)) if v.language == "en"), "")
            rank = data.value(c, PKG.tierRank)
            lines.append(f"| `{compact(c)}` | {zh} | {en} | {rank if rank is not None else ''} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry(ontology: Graph, data: Graph, term: URIRef, *, is_class: bool) -> list[str]:
    definition = " ".join(str(d) for d in ontology.objects(term, SKOS.definition))
    rows = [f"### `{compact(term)}`", "", f"{_label(ontology, term, 'zh')} · {_label(ontology, term, 'en')}", ""]
    if definition:
        rows += [definition, ""]
    facts = []
    for name, prop in (("subclass of", RDFS.subClassOf), ("subproperty of", RDFS.subPropertyOf),
                       ("domain", RDFS.domain), ("range", RDFS.range), ("inverse", OWL.inverseOf),
                       ("disjoint with", OWL.disjointWith)):
        values = sorted(compact(v) for v in ontology.objects(term, prop))
        if values:
            facts.append(f"{name} {', '.join(f'`{v}`' for v in values)}")
    traits = sorted(label for t, label in _CHARACTERISTICS.items() if (term, RDF.type, t) in ontology)
    if traits:
        facts.append(", ".join(traits))
    if facts:
        rows += ["- " + "; ".join(facts)]
    rows += [f"- example: {_example(ontology, data, term, is_class)}", ""]
    return rows
