"""Aligning the measures of two versions of a policy: a draft and its final, a policy and
its successor.

Versions keep measures, drop them, and regroup them (81号's 26 measures became 65号's 15:
its 17–18 on finance became （十一）). So each earlier measure is linked to the later
measure that best *contains* it: the share of its character bigrams, weighted by how rare
they are in the two documents (idf, so 专精特新 and 企业 count for little), that the later
measure also has. A later measure no earlier one links to is then linked, the same way, to
the earlier measure that best contains it (a split, when that one is linked elsewhere).
Linked measures form groups: one to one is a pair (unchanged or modified), one to several a
split, several to one a merge, several to several a regrouping; a measure with no link was
removed or added. For each group the money
and rate figures found on only one side are reported: 10万元 → 20万元, the draft's 70% gone.

>>> a = [MeasureText("1", None, "对首次认定的企业给予100万元奖励。"), MeasureText("2", None, "加强组织领导。")]
>>> b = [MeasureText("（一）", None, "对首次认定的企业给予200万元奖励。")]
>>> [(c.kind, c.before, c.after, c.figures_before, c.figures_after) for c in align(a, b)]
[('modified', [0], [0], ['100万元'], ['200万元']), ('removed', [1], [], [], [])]
"""
from __future__ import annotations

import hashlib
import math
import multiprocessing
import pickle
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from policykg.extract.amounts import money, rates
from policykg.records import AlignmentRecord, Corpus, DocumentRecord

# A measure is linked to the other version's measure that holds the largest weighted share
# of it when that share is SURE, or LIKELY and clearly ahead of the runner-up (MARGIN).
SURE, LIKELY, MARGIN = 0.2, 0.1, 1.3
_NOISE = re.compile(r"[\s，,。；;、：:“”‘’\"'（）()《》\[\]【】]")


@dataclass(frozen=True)
class MeasureText:
    number: str
    heading: str | None
    text: str

    @property
    def full(self) -> str:
        return f"{self.heading}。{self.text}" if self.heading else self.text


@dataclass
class Correspondence:
    kind: str  # unchanged | modified | split | merged | regrouped | added | removed
    before: list[int]  # indices into the earlier version's measures
    after: list[int]  # indices into the later version's measures
    score: float | None = None  # 0–1: how much of the group's text the other side holds (weighted)
    figures_before: list[str] = field(default_factory=list)  # figures only the earlier text has
    figures_after: list[str] = field(default_factory=list)  # figures only the later text has


def _plain(text: str) -> str:
    return _NOISE.sub("", text)


def figures(text: str) -> dict[tuple[str, object], str]:
    """Money and rate figures of a text: (kind, value) → the figure as written."""
    found: dict[tuple[str, object], str] = {}
    for f in money(text):
        found.setdefault(("money", f.value), re.sub(r"\s+", "", f.text))
    for f in rates(text):
        found.setdefault(("rate", f.value), re.sub(r"\s+", "", f.text))
    return found


def _bigrams(text: str) -> Counter:
    return Counter(text[k:k + 2] for k in range(len(text) - 1))


def _containment(grams: list[Counter], weight: dict[str, float]) -> list[list[float]]:
    """c[x][y]: the weighted share of text x's bigrams that text y has too."""
    out = []
    for gx in grams:
        total = sum(weight[g] * n for g, n in gx.items()) or 1.0
        out.append([sum(weight[g] * min(n, gy[g]) for g, n in gx.items() if g in gy) / total for gy in grams])
    return out


def align(before: list[MeasureText], after: list[MeasureText]) -> list[Correspondence]:
    """The correspondences between two versions' measures, in the later version's order
    (removed measures where they stood in the earlier one)."""
    texts = [_plain(m.full) for m in before] + [_plain(m.full) for m in after]
    grams = [_bigrams(t) for t in texts]
    df = Counter(g for gs in grams for g in gs)
    weight = {g: math.log((1 + len(grams)) / (1 + n)) + 1 for g, n in df.items()}
    c = _containment(grams, weight)
    n = len(before)
    out = _in_order(_grouped(_linked_groups(c, n, len(texts)), c, n), n, len(after))
    _mark_changes(out, before, after, texts)
    return out


def _linked_groups(c: list[list[float]], n: int, total: int) -> list[list[int]]:
    """Each measure linked to the other version's measure that holds most of it (the
    earlier version's measures are ``0 … n-1``, the later's ``n …``); the linked ones as
    groups, by union-find."""
    parent = list(range(total))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def best(x: int, ys) -> int | None:
        ranked = sorted(ys, key=lambda y: -c[x][y])
        if not ranked:
            return None
        top = c[x][ranked[0]]
        runner = c[x][ranked[1]] if len(ranked) > 1 else 0.0
        return ranked[0] if top >= SURE or (top >= LIKELY and top >= MARGIN * runner) else None

    a_nodes, b_nodes = range(n), range(n, total)
    linked: set[int] = set()
    for xs, ys in ((a_nodes, b_nodes), (b_nodes, a_nodes)):
        for x in xs:
            if x in linked:
                continue
            y = best(x, ys)
            if y is not None:
                parent[find(x)] = find(y)
                linked |= {x, y}
    groups: dict[int, list[int]] = {}
    for x in sorted(linked):
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())


def _grouped(groups: list[list[int]], c: list[list[float]], n: int) -> dict[int, Correspondence]:
    """Each group as a correspondence (pair, split, merge or regrouping, with its mean
    containment), by the later version's measures it holds."""
    by_after: dict[int, Correspondence] = {}
    for members in groups:
        olds = [x for x in members if x < n]
        news = [x - n for x in members if x >= n]
        kind = ("modified" if len(olds) == len(news) == 1 else "split" if len(olds) == 1
                else "merged" if len(news) == 1 else "regrouped")
        score = sum(max(c[x][y] for y in members if (x < n) != (y < n)) for x in members) / len(members)
        corr = Correspondence(kind, olds, news, round(score, 3))
        for j in news:
            by_after[j] = corr
    return by_after


def _in_order(by_after: dict[int, Correspondence], n: int, after_count: int) -> list[Correspondence]:
    """The correspondences in the later version's order, its unlinked measures as added, and
    the earlier version's unlinked ones as removed where they stood."""
    out: list[Correspondence] = []
    seen: set[int] = set()
    for j in range(after_count):
        group = by_after.get(j)
        if group is None:
            out.append(Correspondence("added", [], [j]))
        elif id(group) not in seen:
            seen.add(id(group))
            out.append(group)
    placed = {i for corr in out for i in corr.before}
    for i in range(n):
        if i not in placed:
            at = next((k for k, corr in enumerate(out) if corr.before and corr.before[0] > i), len(out))
            out.insert(at, Correspondence("removed", [i], []))
    return out


def _mark_changes(out: list[Correspondence], before: list[MeasureText], after: list[MeasureText],
                  texts: list[str]) -> None:
    """The money and rate figures only one side has, and a pair whose texts are the same as
    unchanged."""
    n = len(before)
    for corr in out:
        if corr.before and corr.after:
            old = {k: v for i in corr.before for k, v in figures(before[i].full).items()}
            new = {k: v for j in corr.after for k, v in figures(after[j].full).items()}
            corr.figures_before = [v for k, v in old.items() if k not in new]
            corr.figures_after = [v for k, v in new.items() if k not in old]
            same = "".join(texts[i] for i in corr.before) == "".join(texts[n + j] for j in corr.after)
            if corr.kind == "modified" and same:
                corr.kind = "unchanged"


def measure_texts(record: DocumentRecord) -> list[MeasureText]:
    return [MeasureText(m.number, m.heading, m.text) for m in record.measures]


# The corpus a forked alignment worker reads (inherited copy-on-write, never pickled).
_ALIGN_CORPUS: Corpus | None = None
PARALLEL_ALIGN_FROM = 64  # fewer pairs than this are aligned in the calling process


def _align_pair(pair: tuple[str, str]) -> list[Correspondence]:
    before, after = pair
    assert _ALIGN_CORPUS is not None  # align_versions sets it before aligning any pair
    docs = _ALIGN_CORPUS.documents
    return align(measure_texts(docs[before]), measure_texts(docs[after]))


def _pair_digest(corpus: Corpus, before: str, after: str) -> str:
    """A digest of what aligning two documents reads: their measures' numbers and texts, or
    what their records were extracted from (linking leaves measures as extracted)."""
    h = hashlib.sha256()
    for key in (before, after):
        if key in corpus.extracted_from:
            h.update(f"{corpus.extracted_from[key]}\0".encode())
            continue
        for m in measure_texts(corpus.documents[key]):
            h.update(f"{m.number}\0{m.heading or ''}\0{m.text}\0".encode())
        h.update(b"\1")
    return h.hexdigest()


class StoredAlignment(AlignmentRecord):
    """An alignment kept from the last build: its correspondences stay pickled until used
    (by the emission of its file, when that file is emitted again)."""

    @property
    def correspondences(self) -> list[Correspondence]:
        state = self.__dict__
        if "correspondences" not in state:
            state["correspondences"] = pickle.loads(state.pop("_pickled"))
        return state["correspondences"]

    @correspondences.setter
    def correspondences(self, value: list[Correspondence]) -> None:
        self.__dict__["correspondences"] = value

    @classmethod
    def kept(cls, before: str, after: str, relation: str, digest: str, pickled: bytes) -> StoredAlignment:
        al = cls.__new__(cls)
        al.__dict__.update(before=before, after=after, relation=relation, digest=digest, _pickled=pickled)
        return al


def align_versions(corpus: Corpus, jobs: int = 1, cache: Path | None = None) -> None:
    """Align the measures of every draft with its final and every policy with its successor
    (in ``jobs`` forked processes when there are many pairs). With ``cache`` (a file), a
    pair whose measures are as they were at the last build keeps its alignment."""
    global _ALIGN_CORPUS
    from policykg.cache.versions import code_version, read_versioned, write_versioned

    pairs = []
    for rel in corpus.relations:
        if rel.kind == "draft_of":
            before, after = rel.source, rel.target
        elif rel.kind == "succeeds":
            before, after = rel.target, rel.source
        else:
            continue
        if corpus.documents[before].summary().measures and corpus.documents[after].summary().measures:
            pairs.append((before, after, rel.kind))
    version = code_version(__name__)
    # pair → (digest, its correspondences pickled): read back as bytes, unpickled when used
    known = cast("dict[tuple[str, str], tuple[str, bytes]]",  # what the last build kept under this version
                 (read_versioned(cache, version) or {}) if cache else {})
    digests = {(b, a): hashlib.sha256(f"{version}\0{_pair_digest(corpus, b, a)}".encode()).hexdigest()
               for b, a, _ in pairs}
    todo = [k for k in digests if k not in known or known[k][0] != digests[k]]
    _ALIGN_CORPUS = corpus
    try:
        if jobs > 1 and len(todo) >= PARALLEL_ALIGN_FROM:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                found = list(pool.map(_align_pair, todo, chunksize=32))
        else:
            found = [_align_pair(k) for k in todo]
    finally:
        _ALIGN_CORPUS = None
    fresh = dict(zip(todo, found, strict=True))
    for before, after, kind in pairs:
        k = (before, after)
        corpus.alignments.append(AlignmentRecord(before, after, kind, fresh[k], digests[k]) if k in fresh
                                 else StoredAlignment.kept(before, after, kind, digests[k], known[k][1]))
    if cache is not None and (todo or known.keys() != digests.keys()):
        write_versioned(cache, version, {k: (digests[k], pickle.dumps(fresh[k], protocol=pickle.HIGHEST_PROTOCOL)
                                             if k in fresh else known[k][1]) for k in digests})
