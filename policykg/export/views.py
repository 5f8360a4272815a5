"""Views: projections of the RDF graph as networkx graphs for network tools.

Each view has string node ids (the compact IRI, ``id:doc/杭政办函-2023-81``) and scalar
attributes only (``label``, ``label_zh``, ``type``, ``level``, dates as ISO strings, amounts
as numbers), so every export format can carry them.

- ``documents``: documents (by level) and their typed relations (repeals, cites,
  implements, draft_of, succeeds), with validity dates and the quote behind each relation.
- ``departments``: organizations and measures with lead / responsible / cooperating /
  implied edges, plus the co-responsibility network (``shares`` edges between organizations,
  weighted by the measures they share).
- ``full``: every resource of the graph with a readable label, every link between them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from typing import cast

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from policykg.export.vocabulary import compact
from policykg.namespaces import ELI, ID, OA, PKG, RELATIONS
from policykg.store.labels import document_label

VIEWS = ("documents", "departments", "full")

_RELATION_TYPES = {cls: kind for kind, (_, _, cls, _, _) in RELATIONS.items()}
_ROLES = {cls: (src, tgt) for _, (_, _, cls, src, tgt) in RELATIONS.items()}


def _str(term) -> str | None:
    return None if term is None else str(term)


def _clean(attrs: dict) -> dict:
    """Scalar attributes only, no None (GraphML and GEXF have no null)."""
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def _quote(g: Graph, node, prop=None) -> str | None:
    for ev in sorted(g.objects(node, PKG.evidence), key=str):
        if prop is None or (ev, PKG.supportsProperty, prop) in g:
            return _str(g.value(ev, OA.exact))
    return None


def _area(g: Graph, doc) -> tuple[str | None, str | None]:
    area = g.value(doc, ELI.jurisdiction)
    if area is None:
        return None, None
    return _str(g.value(area, SKOS.prefLabel)), _str(g.value(area, PKG.areaLevel))


def documents_view(g: Graph) -> nx.MultiDiGraph:
    view = nx.MultiDiGraph(name="policykg documents")
    for doc in sorted(cast("Iterable[URIRef]", g.subjects(RDF.type, PKG.PolicyDocument)), key=str):  # IRIs
        area, level = _area(g, doc)
        issuer = g.value(doc, ELI.passed_by)
        view.add_node(compact(doc), **_clean({
            "label": document_label(g, doc),
            "label_zh": _str(g.value(doc, ELI.title)) or document_label(g, doc),
            "type": "document",
            "level": level,
            "area": area,
            "issuer": _str(g.value(issuer, SKOS.prefLabel)) if issuer is not None else None,
            "number": _str(g.value(doc, ELI.id_local)),
            "date_document": _str(g.value(doc, ELI.date_document)),
            "entry_into_force": _str(g.value(doc, ELI.first_date_entry_in_force)
                                     or g.value(doc, PKG.entryIntoForceNotBefore)),
            "no_longer_in_force": _str(g.value(doc, ELI.date_no_longer_in_force)
                                       or g.value(doc, PKG.noLongerInForceNotAfter)),
            "is_draft": bool(g.value(doc, PKG.isDraft)),
            "referenced_only": bool(g.value(doc, PKG.referencedOnly)),
            "source_file": _str(g.value(doc, PKG.sourceFile)),
            "quote": _quote(g, doc, ELI.title),
            "iri": str(doc),
        }))
    for cls, kind in _RELATION_TYPES.items():
        source_role, target_role = _ROLES[cls]
        for rel in sorted(g.subjects(RDF.type, cls), key=str):
            s, t = g.value(rel, source_role), g.value(rel, target_role)
            if s is None or t is None:
                continue
            view.add_edge(compact(s), compact(t), key=kind, **_clean({
                "type": kind, "label": kind, "quote": _quote(g, rel), "iri": str(rel),
                "method": _str(g.value(rel, PKG.method)),
                "score": float(cast(Literal, g.value(rel, PKG.score))) if g.value(rel, PKG.score) is not None else None,
            }))
    return view


def departments_view(g: Graph) -> nx.MultiGraph:
    view = nx.MultiGraph(name="policykg departments")
    roles = ((PKG.leadUnit, "lead"), (PKG.cooperatingUnit, "cooperating"), (PKG.impliedUnit, "implied"))
    shared: Counter = Counter()
    for measure in sorted(g.subjects(RDF.type, PKG.Measure), key=str):
        doc = cast(URIRef, g.value(measure, ELI.is_part_of))  # every measure is part of a document
        units = sorted(g.objects(measure, PKG.responsibleUnit), key=str)
        if not units:
            continue
        written = g.value(measure, ELI.number)  # a measure the text does not number has none
        number = str(written) if written is not None else f"第{g.value(measure, PKG.ordinal)}项"
        view.add_node(compact(measure), **_clean({
            "label": f"{document_label(g, doc)} {number}",
            "label_zh": _str(g.value(measure, PKG.heading)) or str(g.value(measure, PKG.text))[:30],
            "type": "measure",
            "document": document_label(g, doc),
            "level": _area(g, doc)[1],
            "number": number,
            "heading": _str(g.value(measure, PKG.heading)),
            "quote": _quote(g, measure, PKG.responsibleUnit),
            "iri": str(measure),
        }))
        listed = []
        for unit in units:
            org = compact(unit)
            if org not in view:
                area = g.value(unit, URIRef("http://purl.org/dc/terms/spatial"))
                view.add_node(org, **_clean({
                    "label": _str(g.value(unit, SKOS.prefLabel)) or org,
                    "label_zh": _str(g.value(unit, SKOS.prefLabel)) or org,
                    "type": "organization",
                    "level": _str(g.value(area, PKG.areaLevel)) if area is not None else None,
                    "area": _str(g.value(area, SKOS.prefLabel)) if area is not None else None,
                    "iri": str(unit),
                }))
            role = next((name for prop, name in roles if (measure, prop, unit) in g), "responsible")
            view.add_edge(org, compact(measure), key=role, type=role, label=role)
            if role != "implied":
                listed.append(org)
        for a, b in combinations(sorted(listed), 2):
            shared[(a, b)] += 1
    for (a, b), n in sorted(shared.items()):
        view.add_edge(a, b, key="shares", type="shares", label=f"shares {n}", weight=n)
    return view


def full_view(g: Graph) -> nx.MultiDiGraph:
    view = nx.MultiDiGraph(name="policykg full")

    def node(term) -> str:
        key = compact(term)
        if key not in view:
            label = (g.value(term, SKOS.prefLabel) or g.value(term, RDFS.label) or g.value(term, ELI.title)
                     or g.value(term, OA.exact))
            kinds = sorted(compact(t) for t in g.objects(term, RDF.type))
            view.add_node(key, **_clean({
                "label": str(label)[:40] if label is not None else key.rsplit("/", 1)[-1],
                "label_zh": str(label) if label is not None else None,
                "type": kinds[0] if kinds else "resource",
                "iri": str(term),
            }))
        return key

    for s, p, o in sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if p == RDF.type or isinstance(o, Literal) or not isinstance(s, URIRef) or not isinstance(o, URIRef):
            continue
        if not str(s).startswith(str(ID)) and not str(o).startswith(str(ID)):
            continue  # the vocabulary's own axioms are not resources of the graph
        a, b = node(s), node(o)
        view.add_edge(a, b, key=compact(p), type=compact(p), label=compact(p))
    return view


def build_view(g: Graph, name: str) -> nx.Graph:
    if name == "documents":
        return documents_view(g)
    if name == "departments":
        return departments_view(g)
    if name == "full":
        return full_view(g)
    raise ValueError(f"unknown view {name!r}; views: {', '.join(VIEWS)}")
