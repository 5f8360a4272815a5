"""Plain records passed between the stages: extraction fills them, emitting reads them.

Nothing here knows about RDF or about text patterns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


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
    number_as_written: str | None = None  # a garbled 文号 (吉政发〔20221号), kept as printed, never repaired


@dataclass
class Relation:
    """A typed link between two documents, known by their keys once linked."""

    kind: str  # repeals | cites | implements | draft_of | succeeds
    source: str
    target: str
    evidence: list[Evidence]
    method: str | None = None  # how a derived relation was found
    score: float | None = None


@dataclass(frozen=True)
class UnitMention:
    """A responsible unit as a 责任单位 list writes it, with its nameplates in brackets."""

    name: str  # 市委金融办
    alternates: tuple[str, ...] = ()  # 市地方金融局 from 市委金融办（市地方金融局）
    role: str = "responsible"  # responsible | lead | cooperating
    implicit: bool = False  # added by a note such as 以下均需…负责，不再列出


@dataclass
class Responsibility:
    """The units of one measure: every one listed, the lead, the cooperating ones."""

    units: list[UnitMention]
    lead_basis: str | None  # stated (牵头单位, 列第一位的为牵头单位) | first-listed (the genre's convention)
    evidence: Evidence
    line: int | None = None  # where the list is, for diagnostics
    implicit_evidence: Evidence | None = None  # the note that adds the implicit units

    @property
    def lead(self) -> list[UnitMention]:
        return [u for u in self.units if u.role == "lead"]


@dataclass(frozen=True)
class TierMention:
    tier: str  # key in reference/tiers.toml
    written: str
    start: int  # offsets in the normalized view
    end: int


@dataclass
class IncentiveRecord:
    """One reward, subsidy, cap, rate or threshold a measure offers."""

    kind: str  # key in reference/incentive-types.toml
    evidence: Evidence
    tiers: list[str] = field(default_factory=list)
    amount: Decimal | None = None  # fixed sum, yuan
    max_amount: Decimal | None = None  # cap, yuan
    min_investment: Decimal | None = None  # threshold, yuan
    previous_min_investment: Decimal | None = None  # 由1000万元调整为500万元: the old one
    rate: Decimal | None = None  # fraction
    rate_bound: str | None = None  # max (不高于, 最高) | min (不低于) | None: exact
    per_year: bool = False
    beneficiary: str = "enterprise"  # | "lower-government" (支持市县…给予) | "service-provider" (对运营机构给予)


@dataclass
class BudgetRecord:
    """A programme's money, not an enterprise's: a yearly allocation (每年统筹安排不高于1000万元)
    or a total paid out (奖励资金2650万元)."""

    kind: str  # "allocation" | "disbursed"
    amount: Decimal  # yuan
    evidence: Evidence
    bound: str | None = None  # "max" for 不高于/不超过, else None: exact
    per_year: bool = False


@dataclass
class TargetRecord:
    tier: str
    count: int
    year: int
    cumulative: bool
    evidence: Evidence
    baseline: bool = False  # a count at the start (钱塘's 2023年基数), not a goal
    stretch: int | None = None  # 60家、力争100家: the figure striven for beyond the target


@dataclass
class LadderRecord:
    """The ordered rungs of a document's 梯度培育 sentence; parallel tiers share a rung."""

    rungs: list[list[str]]
    evidence: Evidence


@dataclass
class MeasureRecord:
    ordinal: int  # order in the document, from 1
    number: str  # as written; prefixed with its section where numbering restarts: 二（三）
    section: str | None  # the heading chain: 三、主要任务 / （一）实施企业梯度培育行动
    heading: str | None
    text: str
    evidence: Evidence
    responsibility: Responsibility | None = None
    tiers: list[TierMention] = field(default_factory=list)
    incentives: list[IncentiveRecord] = field(default_factory=list)
    budgets: list[BudgetRecord] = field(default_factory=list)  # a programme's money the measure states
    span: tuple[int, int] = (0, 0)  # heading and text in the normalized view, for later readers


@dataclass(frozen=True)
class MeasureSummary:
    # (measure number, line of its list, unit name, its other nameplates): plain tuples, quick to read back
    units_named: tuple[tuple[str, int | None, str, tuple[str, ...]], ...]
    tier_wordings: tuple[tuple[str, str], ...]  # (tier key, as written)
    measures: int
    incentives: int
    targets: int


@dataclass
class DocumentRecord:
    """Everything the text says about one document, at document level."""

    key: str
    source_file: str | None  # None for documents known only from references
    title: Fact | None = None
    doc_number: Fact | None = None
    number_as_written: Fact | None = None  # a garbled 文号 in the head, kept as printed, never an eli:id_local
    issuers: list[Fact] = field(default_factory=list)
    date_document: Fact | None = None
    header_date_document: Fact | None = None  # a web page header's 成文日期, kept to compare
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
    tiers: list[Fact] = field(default_factory=list)  # Fact(tier key): each tier the document names, first mention
    incentives: list[IncentiveRecord] = field(default_factory=list)  # offered by paragraphs outside any measure
    budgets: list[BudgetRecord] = field(default_factory=list)  # stated by paragraphs outside any measure
    measures: list[MeasureRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    ladder: LadderRecord | None = None
    overlap_rule: Fact | None = None  # 与其他同类政策有重叠的，按照“从优、就高、不重复”的原则执行
    overlap_principles: list[str] = field(default_factory=list)

    def summary(self) -> MeasureSummary:
        """What the build and its report read of every document's measures and targets (a
        record read back from the cache, :class:`policykg.cache.extraction.StoredRecord`, keeps it
        beside its head and reads its measures only when they are used)."""
        return MeasureSummary(
            units_named=tuple((m.number, m.responsibility.line, u.name, tuple(u.alternates)) for m in self.measures
                              if m.responsibility for u in m.responsibility.units),
            tier_wordings=tuple((t.tier, t.written) for m in self.measures for t in m.tiers),
            measures=len(self.measures),
            incentives=sum(len(m.incentives) for m in self.measures) + len(self.incentives),
            targets=len(self.targets),
        )

    @property
    def label(self) -> str:
        if self.doc_number:
            return str(self.doc_number.value)
        if self.title:
            return str(self.title.value)
        return self.key


@dataclass
class OrganizationRecord:
    """One real agency, under every name it was written as."""

    key: str  # area-qualified canonical name: 杭州市经信局
    pref_label: str  # the canonical short name: 市经信局
    alt_labels: set[str] = field(default_factory=set)
    area: tuple[str, ...] = ()
    stem: str | None = None  # 经信局, for reorganizations
    parent: str | None = None  # key of the organization it belongs to (分局, 隶属海关)
    full_name: str | None = None
    source: str | None = None  # the curated entry's source; None for names no entry knows
    functions: tuple[str, ...] = ()  # concepts of pkg:GovernmentFunctionScheme (org:classification)
    collective: bool = False  # the units of an area taken together (各区县（市）政府, 有关部门)


@dataclass
class OrganizationChange:
    """A reorganization: ``original`` replaced by ``resulting`` (keys)."""

    original: str
    resulting: str
    date: str | None
    source: str


@dataclass
class AlignmentRecord:
    """The measures of two versions aligned: a draft and its final, a policy and its successor."""

    before: str  # document keys
    after: str
    relation: str  # draft_of | succeeds
    correspondences: list  # list[policykg.align.Correspondence]
    digest: str = ""  # what it was aligned from (the aligner's version, both versions' measures)


@dataclass
class Corpus:
    """The outcome of extraction and linking: documents, relations, diagnostics."""

    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    organization_changes: list[OrganizationChange] = field(default_factory=list)
    alignments: list[AlignmentRecord] = field(default_factory=list)
    # (document key, unit name as written) → organization key
    unit_organizations: dict[tuple[str, str], str] = field(default_factory=dict)
    # each issuer, by the name it signs with, and the functions its name reads as
    issuer_functions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # document key → what its record was extracted from (the extractor's version and the file's
    # digest): two records with the same are the same record, until linking sets their end
    extracted_from: dict[str, str] = field(default_factory=dict)
