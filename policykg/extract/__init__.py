"""Extraction: a normalized text in, a plain :class:`~policykg.records.DocumentRecord` out.

Document-level facts come from :mod:`.document`, references to other documents from
:mod:`.references`. Nothing here builds RDF.
"""
from __future__ import annotations

from ..areas import Gazetteer
from ..normalize import NormalizedText
from ..records import Diagnostic, DocumentRecord
from .document import extract_document
from .references import extract_references


def extract(view: NormalizedText, gazetteer: Gazetteer) -> tuple[DocumentRecord, list[Diagnostic]]:
    record, diagnostics, body_start = extract_document(view, gazetteer)
    extract_references(view, record, body_start)
    return record, diagnostics
