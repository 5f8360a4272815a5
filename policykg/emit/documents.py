"""A document file's triples: each document with its measures, units, incentives, targets and
ladder; the relations its documents are the source of (qualified nodes beside the plain
triple); and the alignments toward it, measure by measure.
"""
from __future__ import annotations

from typing import cast

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from policykg.emit.iris import (
    area_iri,
    document_iri,
    incentive_type_iri,
    measure_iri,
    organization_iri,
    relation_iri,
    segment,
    tier_iri,
)
from policykg.emit.layout import FileParts
from policykg.emit.triples import (
    Triples,
    add_evidence,
    date_literal,
    decimal_literal,
    new_graph,
)
from policykg.namespaces import ELI, ID, PKG, RELATIONS
from policykg.records import (
    AlignmentRecord,
    BudgetRecord,
    Corpus,
    DateBounds,
    DocumentRecord,
    Fact,
    IncentiveRecord,
    LadderRecord,
    MeasureRecord,
    Relation,
    TargetRecord,
)

BENEFICIARIES = {"enterprise": PKG.Enterprises, "lower-government": PKG.LowerGovernments,
                 "service-provider": PKG.ServiceProviders}


class DocumentEmitter:
    def __init__(self, g: Triples, record: DocumentRecord):
        self.g = g
        self.record = record
        self.iri = document_iri(record.key)

    def fact(self, prop: URIRef, fact: Fact | None, literal) -> None:
        if fact is None or fact.value is None:
            return
        self.g.add((self.iri, prop, literal(fact.value)))
        if fact.evidence:
            name = prop.split("#")[-1]
            add_evidence(self.g, self.iri, URIRef(f"{self.iri}/evidence/{name}"), fact.evidence, prop)

    def bounds(self, fact: Fact | None, lower: URIRef, upper: URIRef) -> None:
        if fact is None:
            return
        b = cast(DateBounds, fact.value)  # the facts passed here are a document's date bounds
        self.fact(lower, Fact(b.earliest, fact.evidence), date_literal)
        self.g.add((self.iri, upper, date_literal(b.latest)))

    def emit(self) -> None:
        r, g, iri = self.record, self.g, self.iri
        g.add((iri, RDF.type, PKG.PolicyDocument))
        g.add((iri, RDFS.label, Literal(r.label, lang="zh")))
        zh = lambda v: Literal(v, lang="zh")  # noqa: E731
        self.fact(ELI.title, r.title, zh)
        self.fact(ELI.id_local, r.doc_number, Literal)
        self.fact(PKG.docNumberAsWritten, r.number_as_written, Literal)
        self.fact(ELI.date_document, r.date_document, date_literal)
        self.fact(PKG.headerDateDocument, r.header_date_document, date_literal)
        self.fact(ELI.date_publication, r.date_publication, date_literal)
        self.fact(ELI.first_date_entry_in_force, r.entry_into_force, date_literal)
        self.fact(ELI.date_no_longer_in_force, r.no_longer_in_force, date_literal)
        self.bounds(r.entry_into_force_bounds, PKG.entryIntoForceNotBefore, PKG.entryIntoForceNotAfter)
        self.bounds(r.no_longer_in_force_bounds, PKG.noLongerInForceNotBefore, PKG.noLongerInForceNotAfter)
        self.fact(PKG.validityPeriod, r.validity_years,
                  lambda n: Literal(f"P{n}Y", datatype=XSD.duration))
        self.fact(PKG.statedValidity, r.stated_validity, zh)
        is_draft = r.is_draft or Fact(False)
        self.fact(PKG.isDraft, is_draft, lambda v: Literal(bool(v)))
        g.add((iri, PKG.referencedOnly, Literal(r.referenced_only)))
        if r.source_file:
            g.add((iri, PKG.sourceFile, Literal(r.source_file)))
        for issuer in r.issuers:
            org = organization_iri(str(issuer.value))
            g.add((iri, ELI.passed_by, org))  # described once, in organizations.ttl
            if issuer.evidence:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/passed_by/{segment(str(issuer.value))}"),
                             issuer.evidence, ELI.passed_by)
        if r.jurisdiction:
            g.add((iri, ELI.jurisdiction, area_iri(r.jurisdiction)))
        for tier in r.tiers:
            key = str(tier.value)
            g.add((iri, PKG.mentionsTier, tier_iri(key)))
            if tier.evidence:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/mentionsTier/{key}"), tier.evidence, PKG.mentionsTier)
        self.fact(PKG.overlapRule, r.overlap_rule, zh)
        for principle in r.overlap_principles:
            g.add((iri, PKG.overlapPrinciple, Literal(principle, lang="zh")))

    def emit_parts(self, corpus: Corpus) -> None:
        for measure in self.record.measures:
            self.measure(measure, corpus)
        for i, incentive in enumerate(self.record.incentives, 1):
            node = URIRef(f"{self.iri}/incentive/{i}")
            self.g.add((self.iri, PKG.offers, node))
            self.incentive(node, incentive)
        self.budgets(self.iri, self.record.budgets)
        for i, target in enumerate(self.record.targets, 1):
            self.target(URIRef(f"{self.iri}/target/{i}"), target)
        if self.record.ladder:
            self.ladder(self.record.ladder)

    def measure(self, m: MeasureRecord, corpus: Corpus) -> None:
        g, doc = self.g, self.iri
        iri = measure_iri(self.record.key, m.ordinal)
        g.add((iri, RDF.type, PKG.Measure))
        g.add((doc, ELI.has_part, iri))
        g.add((iri, ELI.is_part_of, doc))
        if m.number:  # a measure read without a number has none
            g.add((iri, ELI.number, Literal(m.number)))
        g.add((iri, PKG.ordinal, Literal(m.ordinal, datatype=XSD.integer)))
        g.add((iri, RDFS.label, Literal(f"{self.record.label} {m.number or f'第{m.ordinal}项'}", lang="zh")))
        if m.section:
            g.add((iri, PKG.section, Literal(m.section, lang="zh")))
        if m.heading:
            g.add((iri, PKG.heading, Literal(m.heading, lang="zh")))
        g.add((iri, PKG.text, Literal(m.text, lang="zh")))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/text"), m.evidence, PKG.text)
        resp = m.responsibility
        if resp is not None:
            for unit in resp.units:
                org = organization_iri(corpus.unit_organizations[(self.record.key, unit.name)])
                g.add((iri, PKG.responsibleUnit, org))
                if unit.role == "lead":
                    g.add((iri, PKG.leadUnit, org))
                elif unit.role == "cooperating":
                    g.add((iri, PKG.cooperatingUnit, org))
                if unit.implicit:
                    g.add((iri, PKG.impliedUnit, org))
            if resp.lead_basis:
                g.add((iri, PKG.leadBasis, Literal(resp.lead_basis)))
            if any(not u.implicit for u in resp.units):
                add_evidence(g, iri, URIRef(f"{iri}/evidence/responsibleUnit"), resp.evidence, PKG.responsibleUnit)
            if resp.implicit_evidence is not None:
                add_evidence(g, iri, URIRef(f"{iri}/evidence/impliedUnit"), resp.implicit_evidence, PKG.impliedUnit)
        for tier in dict.fromkeys(t.tier for t in m.tiers):
            g.add((iri, PKG.mentionsTier, tier_iri(tier)))
        for i, incentive in enumerate(m.incentives, 1):
            node = URIRef(f"{iri}/incentive/{i}")
            g.add((iri, PKG.offers, node))
            self.incentive(node, incentive)
        self.budgets(iri, m.budgets)

    def budgets(self, owner: URIRef, budgets: list[BudgetRecord]) -> None:
        g = self.g
        for i, b in enumerate(budgets, 1):
            node = URIRef(f"{owner}/budget/{i}")
            g.add((owner, PKG.statesBudget, node))
            g.add((node, RDF.type, PKG.Budget))
            g.add((node, PKG.budgetKind, Literal(b.kind)))
            g.add((node, PKG.budgetAmount, decimal_literal(b.amount)))
            if b.bound:
                g.add((node, PKG.budgetBound, Literal(b.bound)))
            g.add((node, PKG.perYear, Literal(b.per_year)))
            add_evidence(g, node, URIRef(f"{node}/evidence/quote"), b.evidence)

    def incentive(self, iri: URIRef, inc: IncentiveRecord) -> None:
        g = self.g
        g.add((iri, RDF.type, PKG.Incentive))
        g.add((iri, PKG.incentiveType, incentive_type_iri(inc.kind)))
        for tier in inc.tiers:
            g.add((iri, PKG.forTier, tier_iri(tier)))
        for prop, value in ((PKG.amount, inc.amount), (PKG.maxAmount, inc.max_amount),
                            (PKG.minInvestment, inc.min_investment),
                            (PKG.previousMinInvestment, inc.previous_min_investment), (PKG.rate, inc.rate)):
            if value is not None:
                g.add((iri, prop, decimal_literal(value)))
        if inc.rate_bound:
            g.add((iri, PKG.rateBound, Literal(inc.rate_bound)))
        g.add((iri, PKG.perYear, Literal(inc.per_year)))
        g.add((iri, PKG.beneficiary, BENEFICIARIES[inc.beneficiary]))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), inc.evidence)

    def target(self, iri: URIRef, t: TargetRecord) -> None:
        g = self.g
        g.add((self.iri, PKG.setsTarget, iri))
        g.add((iri, RDF.type, PKG.Target))
        g.add((iri, PKG.forTier, tier_iri(t.tier)))
        g.add((iri, PKG.targetCount, Literal(t.count, datatype=XSD.integer)))
        g.add((iri, PKG.targetYear, Literal(str(t.year), datatype=XSD.gYear)))
        g.add((iri, PKG.cumulative, Literal(t.cumulative)))
        g.add((iri, PKG.baseline, Literal(t.baseline)))
        if t.stretch is not None:
            g.add((iri, PKG.stretchCount, Literal(t.stretch, datatype=XSD.integer)))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), t.evidence)

    def ladder(self, ladder: LadderRecord) -> None:
        g = self.g
        iri = URIRef(f"{self.iri}/ladder")
        g.add((self.iri, PKG.hasLadder, iri))
        g.add((iri, RDF.type, PKG.TierLadder))
        for pos, rung in enumerate(ladder.rungs, 1):
            node = URIRef(f"{iri}/{pos}")
            g.add((iri, PKG.rung, node))
            g.add((node, RDF.type, PKG.LadderRung))
            g.add((node, PKG.position, Literal(pos, datatype=XSD.integer)))
            for tier in rung:
                g.add((node, PKG.forTier, tier_iri(tier)))
        add_evidence(g, iri, URIRef(f"{iri}/evidence/quote"), ladder.evidence)


def emit_relation(g: Triples, rel: Relation) -> None:
    prop, inverse, cls, role_source, role_target = RELATIONS[rel.kind]
    source, target = document_iri(rel.source), document_iri(rel.target)
    g.add((source, prop, target))
    g.add((target, inverse, source))
    node = relation_iri(rel)
    g.add((node, RDF.type, cls))
    g.add((node, role_source, source))
    g.add((node, role_target, target))
    if rel.method:
        g.add((node, PKG.method, Literal(rel.method, lang="en")))
    if rel.score is not None:
        g.add((node, PKG.score, Literal(str(rel.score), datatype=XSD.decimal)))
    for i, ev in enumerate(rel.evidence, 1):
        add_evidence(g, node, URIRef(f"{node}/evidence/{i}"), ev)


def emit_alignment(g: Triples, corpus: Corpus, al: AlignmentRecord) -> None:
    """One alignment's measure correspondences, as qualified nodes beside pkg:correspondsTo.
    It lies in the file of its later version, so a change to one document reaches its own
    file and its successor's, not a file every alignment shares."""
    iri = ID[f"alignment/{segment(al.before)}--{segment(al.after)}"]
    g.add((iri, RDF.type, PKG.Alignment))
    g.add((iri, PKG.alignedFrom, document_iri(al.before)))
    g.add((iri, PKG.alignedTo, document_iri(al.after)))
    g.add((iri, RDFS.comment, Literal("measures linked to the other version's measure that best contains "
                                      "them (idf-weighted character bigrams); see policykg/align.py", lang="en")))
    before, after = corpus.documents[al.before].measures, corpus.documents[al.after].measures
    for k, c in enumerate(al.correspondences, 1):
        node = URIRef(f"{iri}/{k}")
        g.add((node, RDF.type, PKG.MeasureCorrespondence))
        g.add((node, PKG.inAlignment, iri))
        g.add((node, PKG.changeKind, Literal(c.kind)))
        if c.score is not None:
            g.add((node, PKG.score, decimal_literal(c.score)))
        olds = [measure_iri(al.before, before[i].ordinal) for i in c.before]
        news = [measure_iri(al.after, after[j].ordinal) for j in c.after]
        for m in olds:
            g.add((node, PKG.fromMeasure, m))
        for m in news:
            g.add((node, PKG.toMeasure, m))
        for old in olds:
            for new in news:
                g.add((old, PKG.correspondsTo, new))
        for figure in c.figures_before:
            g.add((node, PKG.figureBefore, Literal(figure, lang="zh")))
        for figure in c.figures_after:
            g.add((node, PKG.figureAfter, Literal(figure, lang="zh")))


def document_graph(corpus: Corpus, parts: FileParts) -> Triples:
    """One file's graph: its documents with their measures, incentives, targets and ladder,
    the relations they are the source of, and the alignments toward them."""
    g = new_graph()
    for key in parts.keys:
        emitter = DocumentEmitter(g, corpus.documents[key])
        emitter.emit()
        emitter.emit_parts(corpus)
    for rel in parts.relations:
        emit_relation(g, rel)
    for al in parts.alignments:
        emit_alignment(g, corpus, al)
    return g
