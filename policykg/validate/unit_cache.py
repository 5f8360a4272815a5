"""The cache of unit results beside the store (``validation-cache.pickle``), and what each unit
described, in shards (``validation-descriptions/``): a unit is validated again when its bytes
change, or when a resource its context holds is described anew.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

from policykg.cache.versions import code_version, read_versioned, write_versioned
from policykg.resources import data_dir
from policykg.store.filestore import file_sha256
from policykg.validate.across import AcrossFinding
from policykg.validate.units import (
    Unit,
    UnitResult,
    descriptions_of,
    read_triples,
    unit_id,
)

CACHE_FILE = "validation-cache.pickle"


DESCRIPTIONS_DIR = "validation-descriptions"


DESCRIPTION_SHARDS = 256


def rules_version(check_date: dt.date) -> str:
    """What every unit result depends on besides the data: the shapes, the ontology, the
    code and the check date."""
    h = hashlib.sha256(check_date.isoformat().encode())
    for f in sorted(data_dir("shapes").glob("*.ttl")) + [data_dir("ontology") / "policykg.ttl"]:
        h.update(f.read_bytes())
    h.update(code_version("policykg.validate.by_document").encode())  # the stage's entry: every module it runs
    return h.hexdigest()


@dataclass
class ValidationCache:
    """What the last validation found: each unit's result (its descriptions left out), and
    the findings of the rules across documents (kept beside the store, under the rules'
    version)."""
    units: dict[str, UnitResult]
    across: list[AcrossFinding]


class Descriptions:
    """What each unit described at its last validation (:attr:`UnitResult.describes`), in
    shards by unit beside the store: the larger part of the cache, and needed only for the
    units whose bytes changed, so a run reads and writes the shards of those alone."""

    def __init__(self, folder: Path, version: str):
        self.folder, self.version = folder, version
        self._shards: dict[int, dict[str, tuple[str, dict[str, str]]]] = {}

    @staticmethod
    def shard(uid: str) -> int:
        return zlib.crc32(uid.encode()) % DESCRIPTION_SHARDS

    def _load(self, shard: int) -> dict[str, tuple[str, dict[str, str]]]:
        if shard not in self._shards:
            data = read_versioned(self.folder / f"{shard:02x}.pickle", self.version)
            self._shards[shard] = data if isinstance(data, dict) else {}
        return self._shards[shard]

    def of(self, uid: str, digest: str) -> dict[str, str] | None:
        """What the unit described when its bytes had ``digest``; None when that is not kept."""
        entry = self._load(self.shard(uid)).get(uid)
        return entry[1] if entry is not None and entry[0] == digest else None

    def save(self, fresh: dict[str, UnitResult], gone: set[str], everything: bool = False) -> None:
        """Note the units validated anew and drop those gone, rewriting only their shards
        (all of them, ``everything``, when every unit was validated)."""
        by_shard: dict[int, dict[str, UnitResult]] = {}
        for uid, r in fresh.items():
            by_shard.setdefault(self.shard(uid), {})[uid] = r
        touched = set(by_shard) | {self.shard(uid) for uid in gone}
        for shard in range(DESCRIPTION_SHARDS) if everything else sorted(touched):
            data = {} if everything else dict(self._load(shard))
            for uid in gone:
                data.pop(uid, None)
            data.update({uid: (r.digest, r.describes) for uid, r in by_shard.get(shard, {}).items()})
            self._shards[shard] = data
            write_versioned(self.folder / f"{shard:02x}.pickle", self.version, data)


def unit_digest(unit: Unit, manifest: dict[str, dict]) -> str:
    if unit.ntriples is not None:
        return hashlib.sha256(unit.ntriples).hexdigest()
    entry = manifest.get(unit.path.name)
    return entry["sha256"] if entry else file_sha256(unit.path)


def units_to_validate(units: list[Unit], digests: dict[str, str], cached: dict[str, UnitResult],
                      descriptions: Descriptions, changed_subjects: set[str] | None = None) -> list[Unit]:
    """The units whose result may differ from the cached one: those whose bytes changed, and
    those whose context holds a resource described anew (it appeared, went, or its triples
    changed in the unit that types it; or any triple about it changed, when the store says
    which subjects did). All of them when what a changed unit described is not kept."""
    changed = [u for u in units if unit_id(u) not in cached or cached[unit_id(u)].digest != digests[unit_id(u)]]
    if not cached or not changed:
        return changed
    current = {unit_id(u) for u in units}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for u in changed:
        after.update(descriptions_of(read_triples(u.path, u.ntriples)))
    for uid in [unit_id(u) for u in changed if unit_id(u) in cached] + [uid for uid in cached if uid not in current]:
        old = descriptions.of(uid, cached[uid].digest)
        if old is None:
            return units
        before.update(old)
    touched = {r for r in before.keys() | after.keys() if before.get(r) != after.get(r)} | (changed_subjects or set())
    again = {unit_id(u) for u in changed}
    return changed + [u for u in units if unit_id(u) not in again and cached[unit_id(u)].refers & touched]
