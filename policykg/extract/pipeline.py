"""Extraction: a normalized text in, a plain :class:`~policykg.records.DocumentRecord` out.

Document-level facts come from :mod:`.document`, references to other documents from
:mod:`.references`, the numbered measures and their units from :mod:`.measures`; then
per measure its tier mentions and incentives (:mod:`.incentives`), and per document the tiers it names (:mod:`.tiers`), its
tier ladder (:mod:`.ladder`), cultivation targets (:mod:`.targets`) and overlap rule
(:mod:`.overlap`).
Nothing here builds RDF.
"""
from __future__ import annotations

from policykg.extract.document import extract_document
from policykg.extract.incentives import IncentiveReader
from policykg.extract.ladder import extract_ladder
from policykg.extract.measures import extract_measures
from policykg.extract.overlap import extract_overlap_rule
from policykg.extract.references import extract_references
from policykg.extract.targets import extract_targets
from policykg.extract.tiers import document_tiers
from policykg.ingest.normalize import NormalizedText
from policykg.records import Diagnostic, DocumentRecord, IncentiveRecord
from policykg.reference.areas import Gazetteer
from policykg.reference.schemes import TierScheme


def _figures_of(i: IncentiveRecord) -> tuple:
    return (i.kind, tuple(i.tiers), i.amount, i.max_amount, i.rate, i.min_investment)


def _outside_measures(view: NormalizedText, record: DocumentRecord, reader: IncentiveReader, start: int) -> None:
    """The incentives and budgets of the paragraphs outside every measure (a news report's lead,
    a notice's body), from ``start``; one that repeats a measure's, as a summary above the
    measures does, is that measure's."""
    offered = {_figures_of(i) for m in record.measures for i in m.incentives}
    pos = start
    for begin, end in [*sorted(m.span for m in record.measures), (len(view.text), len(view.text))]:
        if begin > pos:
            incentives, budgets = reader.read_all(view, pos, begin)
            record.incentives.extend(i for i in incentives if _figures_of(i) not in offered)
            record.budgets.extend(budgets)
        pos = max(pos, end)


def extract(view: NormalizedText, gazetteer: Gazetteer) -> tuple[DocumentRecord, list[Diagnostic]]:
    record, diagnostics, body_start, doc_start = extract_document(view, gazetteer)
    extract_references(view, record, body_start, doc_start)
    # numbered items and headings may come before the first long line that ends the head
    record.measures, found = extract_measures(view, 0)
    diagnostics.extend(found)
    tiers = TierScheme.load()
    incentives = IncentiveReader(tiers=tiers)
    for measure in record.measures:
        start, end = measure.span
        measure.tiers = tiers.mentions(view.text, start, end)
        measure.incentives, measure.budgets = incentives.read_all(view, start, end)
    _outside_measures(view, record, incentives, max(doc_start, body_start))
    record.tiers = document_tiers(view, doc_start, tiers)  # from the title on: not the page's menus
    record.ladder = extract_ladder(view, 0, tiers)
    record.targets = extract_targets(view, 0, tiers, str(record.title.value) if record.title else None)
    record.overlap_rule, record.overlap_principles = extract_overlap_rule(view)
    return record, diagnostics
