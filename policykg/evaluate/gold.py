"""The gold JSON files (``DIR/gold/NN_slug.json``, the realworld README's format) as plain records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


class GoldError(Exception):
    """A gold file that cannot be read."""


@dataclass(frozen=True)
class GoldMeasure:
    number: str | None
    first_words: str
    responsible: tuple[str, ...] = ()
    lead: str | None = None

    @property
    def label(self) -> str:
        return self.number or f"「{self.first_words}」"


@dataclass
class GoldDocument:
    """One gold file. Scalar fields are None where the gold lacks them, lists empty."""
    name: str  # the file stem, NN_slug
    title: str | None = None
    doc_number: str | None = None
    issuers: list[str] = field(default_factory=list)
    jurisdiction: str | None = None
    date_signed: str | None = None
    date_published: str | None = None
    date_effective: str | None = None
    is_draft: bool | None = None
    tiers: list[str] = field(default_factory=list)
    rewards: list[tuple[str, Decimal]] = field(default_factory=list)  # (tier wording, yuan)
    other_amounts: list[tuple[Decimal, str, str | None]] = field(default_factory=list)  # (value, unit, kind)
    targets: list[tuple[str, int, int | None, bool]] = field(default_factory=list)  # (tier, count, year, cumulative)
    measures: list[GoldMeasure] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)


def read_gold(path: Path) -> GoldDocument:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path.name}: not a JSON object")
    try:
        return _document(path.stem, data)
    except _FieldError as exc:
        raise GoldError(f"{path.name}: {exc}") from None


class _FieldError(Exception):
    """A gold field of the wrong shape: the message names it."""


def _list(data: dict, key: str, item: type = object) -> list:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, item) for v in value):
        kind = "a list" if item is object else f"a list of {'objects' if item is dict else 'strings'}"
        raise _FieldError(f"{key!r} must be {kind}, not {json.dumps(value, ensure_ascii=False)[:60]}")
    return value


def _parsed(key: str, entry: dict, convert):
    """``convert(entry)``, or a _FieldError naming the field and the entry."""
    try:
        return convert(entry)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        shown = json.dumps(entry, ensure_ascii=False)[:80]
        raise _FieldError(f"{key!r}: {shown}: {type(exc).__name__} {exc}") from None


def _document(name: str, data: dict) -> GoldDocument:
    issuers = _list(data, "x_issuers", str) or ([str(data["issuer"])] if data.get("issuer") else [])
    return GoldDocument(
        name=name,
        title=data.get("title"),
        doc_number=data.get("doc_number"),
        issuers=[str(i) for i in issuers],
        jurisdiction=data.get("jurisdiction"),
        date_signed=data.get("date_signed"),
        date_published=data.get("date_published"),
        date_effective=data.get("date_effective"),
        is_draft=data.get("is_draft"),
        tiers=_list(data, "tiers_mentioned", str),
        rewards=[_parsed("rewards", r, lambda r: (str(r["tier"]), Decimal(str(r["max_amount_cny"]))))
                 for r in _list(data, "rewards", dict)],
        other_amounts=[_parsed("other_amounts", a, lambda a: (Decimal(str(a["value"])), str(a["unit"]), a.get("cap_or_ratio")))
                       for a in _list(data, "other_amounts", dict)],
        targets=[_parsed("targets", t, lambda t: (str(t["tier"]), int(t["count"]), t.get("by_year"),
                                                  bool(t.get("cumulative", False))))
                 for t in _list(data, "targets", dict)],
        measures=[_parsed("measures", m, lambda m: GoldMeasure(m.get("number"), m.get("title_or_first_words", ""),
                                                              tuple(m.get("responsible", [])), m.get("lead")))
                  for m in _list(data, "measures", dict)],
        cites=_list(data, "cites", str),
    )


def read_gold_dir(folder: Path) -> list[GoldDocument]:
    """Every ``*.json`` of a folder, by name."""
    return [read_gold(p) for p in sorted(folder.glob("*.json"))]
