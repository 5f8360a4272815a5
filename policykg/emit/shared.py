"""The files every document shares: areas (the gazetteer's paths the corpus uses),
organizations (each described once, with its reorganizations) and the tier and
incentive-type schemes.
"""
from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from policykg.emit.iris import (
    area_iri,
    function_iri,
    incentive_type_iri,
    organization_iri,
    segment,
    tier_iri,
)
from policykg.emit.triples import Triples, new_graph
from policykg.namespaces import ID, ORG, PKG
from policykg.records import (
    Corpus,
)
from policykg.reference.areas import Gazetteer
from policykg.reference.organizations import Functions
from policykg.reference.schemes import IncentiveTypes, TierScheme


def areas_graph(corpus: Corpus, gazetteer: Gazetteer) -> Triples:
    g = new_graph()
    paths = {d.jurisdiction for d in corpus.documents.values() if d.jurisdiction}
    paths |= {o.area for o in corpus.organizations.values() if o.area}
    for path in sorted(paths):
        for depth in range(1, len(path) + 1):
            sub = path[:depth]
            iri = area_iri(sub)
            g.add((iri, RDF.type, PKG.AdministrativeArea))
            g.add((iri, SKOS.prefLabel, Literal(sub[-1], lang="zh")))
            level = gazetteer.level(sub[-1]) or ("district" if depth == 3 else None)
            if level:
                g.add((iri, PKG.areaLevel, Literal(level)))
            code = gazetteer.code(sub)
            if code:
                g.add((iri, PKG.adminCode, Literal(code, datatype=XSD.string)))
            statistical = gazetteer.statistical_code(sub)
            if statistical:  # a functional zone's code, flagged by its property: no GB/T 2260 code
                g.add((iri, PKG.statisticalCode, Literal(statistical, datatype=XSD.string)))
            if depth > 1:
                g.add((iri, PKG.withinArea, area_iri(path[:depth - 1])))
    return g


def _concept(g: Triples, iri: URIRef, scheme: URIRef, key: str, zh: str, en: str) -> None:
    """A concept of one of the schemes (tiers, incentive types, functions): its scheme, its
    Chinese and English labels and its key."""
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, SKOS.inScheme, scheme))
    g.add((iri, SKOS.prefLabel, Literal(zh, lang="zh")))
    g.add((iri, SKOS.prefLabel, Literal(en, lang="en")))
    g.add((iri, SKOS.notation, Literal(key)))


def _function_scheme(g: Triples, functions: Functions) -> None:
    """The whole function scheme, so a query resolves any wording of any function."""
    for function in functions.functions.values():
        iri = function_iri(function.key)
        _concept(g, iri, PKG.GovernmentFunctionScheme, function.key, function.zh, function.en)
        for wording in function.wordings:
            if wording != function.zh:
                g.add((iri, SKOS.altLabel, Literal(wording, lang="zh")))


def organizations_graph(corpus: Corpus) -> Triples:
    """Every organization once: the resolved units, then the issuers (named as signed) that
    are not also units. One file describes each, so no triple is stated in two files."""
    g = new_graph()
    issuers = {str(i.value) for d in corpus.documents.values() for i in d.issuers}
    for name in sorted(issuers - set(corpus.organizations)):
        iri = organization_iri(name)
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
        for key in corpus.issuer_functions.get(name, ()):
            g.add((iri, ORG.classification, function_iri(key)))
    for key, org in sorted(corpus.organizations.items()):
        iri = organization_iri(key)
        g.add((iri, RDF.type, ORG.Organization))
        if org.collective:
            g.add((iri, RDF.type, PKG.CollectiveUnit))
        g.add((iri, SKOS.prefLabel, Literal(org.pref_label, lang="zh")))
        for key in org.functions:
            g.add((iri, ORG.classification, function_iri(key)))
        for alt in sorted(org.alt_labels | ({org.full_name} if org.full_name else set())):
            if alt != org.pref_label:
                g.add((iri, SKOS.altLabel, Literal(alt, lang="zh")))
        if org.area:
            g.add((iri, DCTERMS.spatial, area_iri(org.area)))
        if org.parent:
            g.add((iri, ORG.subOrganizationOf, organization_iri(org.parent)))
        if org.source:
            g.add((iri, DCTERMS.source, Literal(org.source, lang="zh")))
    _function_scheme(g, Functions.load())
    for change in corpus.organization_changes:
        iri = ID[f"org-change/{segment(change.original)}--{segment(change.resulting)}"]
        original, resulting = organization_iri(change.original), organization_iri(change.resulting)
        g.add((iri, RDF.type, ORG.ChangeEvent))
        g.add((iri, ORG.originalOrganization, original))
        g.add((iri, ORG.resultingOrganization, resulting))
        g.add((original, ORG.changedBy, iri))
        g.add((resulting, ORG.resultedFrom, iri))
        g.add((iri, RDFS.label, Literal(f"{corpus.organizations[change.original].pref_label} → "
                                        f"{corpus.organizations[change.resulting].pref_label}", lang="zh")))
        if change.date:
            g.add((iri, DCTERMS.date, Literal(change.date, datatype=XSD.gYear)))
        g.add((iri, DCTERMS.source, Literal(change.source, lang="zh")))
    return g


def schemes_graph(corpus: Corpus, tiers: TierScheme, types: IncentiveTypes) -> Triples:
    """The tier and incentive-type concepts, with every wording of a tier the corpus uses."""
    g = new_graph()
    met: dict[str, set[str]] = {}
    for doc in corpus.documents.values():
        for tier_key, written in doc.summary().tier_wordings:
            met.setdefault(tier_key, set()).add(written)
    for tier in tiers.tiers.values():
        iri = tier_iri(tier.key)
        _concept(g, iri, PKG.EnterpriseTierScheme, tier.key, tier.zh, tier.en)
        g.add((iri, PKG.tierRank, Literal(tier.rank, datatype=XSD.integer)))
        for label in sorted(set(tier.labels) | met.get(tier.key, set())):
            if label != tier.zh:
                g.add((iri, SKOS.altLabel, Literal(label, lang="zh")))
    ranks = sorted({t.rank for t in tiers.tiers.values()})
    for tier in tiers.tiers.values():
        below = [r for r in ranks if r < tier.rank]
        for lower in tiers.tiers.values():
            if below and lower.rank == below[-1]:
                g.add((tier_iri(tier.key), PKG.higherTierThan, tier_iri(lower.key)))
    for key in types.order:
        _concept(g, incentive_type_iri(key), PKG.IncentiveTypeScheme, key, *types.labels[key])
    return g


SHARED_FILES = ("areas.ttl", "organizations.ttl", "schemes.ttl")


def shared_graph(name: str, corpus: Corpus, gazetteer: Gazetteer) -> Triples:
    """A file every document shares: areas, organizations, schemes."""
    if name == "areas.ttl":
        return areas_graph(corpus, gazetteer)
    if name == "organizations.ttl":
        return organizations_graph(corpus)
    return schemes_graph(corpus, TierScheme.load(), IncentiveTypes.load())
