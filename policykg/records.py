"""Plain records passed between the stages: extraction fills them, emitting reads them.

Nothing here knows about RDF or about text patterns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """A quote of the original file: ``text[start:end] == exact`` (code-point offsets)."""

    source_file: str
    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class Diagnostic:
    """A warning or error about one place of one file."""

    level: str  # "warning" | "error"
    source_file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        place = f"{self.source_file}:{self.line}" if self.line else self.source_file
        return f"{place}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Fact:
    """A document-level value with the quote it was read from."""

    value: object
    evidence: Evidence | None = None


@dataclass(frozen=True)
class DateBounds:
    """A date the text gives only in part (``2024年X月X日``): the earliest and latest it can be."""

    earliest: dt.date
    latest: dt.date
    written: str


@dataclass
class DocRef:
    """Another document as the text names it: title and/or 文号."""

    title: str | None
    doc_number: str | None
    evidence: Evidence
    issuer: str | None = None  # as named before the title: 杭州市人民政府办公厅《…》


@dataclass
class Relation:
    """A typed link between two documents, known by their keys once linked."""

    kind: str  # repeals | cites | implements | draft_of | succeeds
    source: str
    target: str
    evidence: list[Evidence]
    method: str | None = None  # how a derived relation was found
    score: float | None = None


@dataclass
class DocumentRecord:
    """Everything the text says about one document, at document level."""

    key: str
    source_file: str | None  # None for documents known only from references
    title: Fact | None = None
    doc_number: Fact | None = None
    issuers: list[Fact] = field(default_factory=list)
    date_document: Fact | None = None
    date_publication: Fact | None = None
    entry_into_force: Fact | None = None
    entry_into_force_bounds: Fact | None = None  # Fact(DateBounds)
    no_longer_in_force: Fact | None = None
    no_longer_in_force_bounds: Fact | None = None  # Fact(DateBounds)
    validity_years: Fact | None = None
    stated_validity: Fact | None = None
    jurisdiction: tuple[str, ...] = ()  # area path, outermost first
    is_draft: Fact | None = None
    referenced_only: bool = False
    repeals: list[DocRef] = field(default_factory=list)
    implements: list[DocRef] = field(default_factory=list)
    cites: list[DocRef] = field(default_factory=list)
    body_text: str = ""  # normalized body, for content comparisons when linking

    @property
    def label(self) -> str:
        if self.doc_number:
            return str(self.doc_number.value)
        if self.title:
            return str(self.title.value)
        return self.key


@dataclass
class Corpus:
    """The outcome of extraction and linking: documents, relations, diagnostics."""

    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
