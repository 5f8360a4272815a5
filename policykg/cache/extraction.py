"""The extraction cache: a document's plain record kept by the hash of its text.

Extraction is the costliest stage of a build, and a document's record depends only on its
file (name and bytes) and on the extractor (the code extraction runs and the reference
data: :func:`extractor_version`). The
cache keeps each record, pickled, under ``OUT/.cache/extract/`` keyed by the SHA-256 of
``name + bytes`` and of the extractor, so rebuilding a corpus where one document changed
extracts that document alone. A record that cannot be read back (a truncated file, an
older Python) is simply extracted again.

A record is kept in three files: its head (dates, references, issuers, with what the build
reads of its measures: :class:`StoredRecord`), its measures, targets and ladder, and its
body text. A build reads every head, and the rest only of the documents it emits, aligns
or compares by text, so an unchanged document costs its head.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import cast

from policykg.cache.versions import (
    CACHE_DIR,
    UNREADABLE,
    code_version,
    load_own,
    read_versioned,
    write_versioned,
)
from policykg.files import write_atomic
from policykg.records import Diagnostic, DocumentRecord, MeasureSummary

# the entry modules of extraction: its cache is versioned by their import closure
EXTRACTION_STAGE = ("policykg.ingest.corpus", "policykg.ingest.normalize", "policykg.extract.pipeline")


def extractor_version() -> str:
    """The version of extraction: reading, normalizing and extracting a file."""
    return code_version(*EXTRACTION_STAGE)


PARTS = ("measures", "targets", "ladder")  # kept in KEY.parts.pickle
TEXT = ("body_text",)  # kept in KEY.text.pickle


def _read_on_use(name: str, group: str) -> property:
    """An attribute kept in the record's ``group`` file, read from it the first time it is used
    (a property: the dataclass's defaults are class attributes a lookup would find first)."""
    def get(self):
        state = self.__dict__
        if name not in state:
            path = f"{state['_stored_at']}.{group}.pickle"
            try:
                with open(path, "rb") as fh:
                    loaded = load_own(fh)
                state.update(cast(dict, loaded))
            except UNREADABLE as exc:
                raise CacheCorruptError(path, exc) from None
        return state[name]

    def put(self, value) -> None:
        self.__dict__[name] = value

    return property(get, put)


class CacheCorruptError(Exception):
    """A cache file found damaged only when it was read (an empty ``KEY.parts.pickle``): the
    build clears the cache and builds again from the corpus."""

    def __init__(self, path: str, cause: BaseException):
        super().__init__(f"{path}: {type(cause).__name__}: {cause}")
        self.path = path


class StoredRecord(DocumentRecord):
    """A record read back from the cache: its head, and its parts and body text read from
    their own files the first time they are used."""

    measures = _read_on_use("measures", "parts")
    targets = _read_on_use("targets", "parts")
    ladder = _read_on_use("ladder", "parts")
    body_text = _read_on_use("body_text", "text")

    def summary(self) -> MeasureSummary:
        return super().summary() if "measures" in self.__dict__ else self.__dict__["_summary"]


def _stored(record: DocumentRecord) -> tuple[StoredRecord, dict, dict]:
    """A record's head (with what the build reads of its measures), parts and body text."""
    state = dict(record.__dict__)
    parts = {name: state.pop(name) for name in PARTS}
    text = {name: state.pop(name) for name in TEXT}
    state["_summary"] = record.summary()
    head = StoredRecord.__new__(StoredRecord)
    head.__dict__.update(state)
    return head, parts, text


def _is_entry(hit: object) -> bool:
    """Whether a cache entry has the shape :meth:`ExtractionCache.put` writes."""
    return (isinstance(hit, tuple) and len(hit) == 2 and (hit[0] is None or isinstance(hit[0], StoredRecord))
            and isinstance(hit[1], list) and all(isinstance(d, Diagnostic) for d in hit[1]))


def _empty(path: str) -> bool:
    try:
        return os.stat(path).st_size == 0
    except OSError:
        return True


def file_key(path: Path) -> str:
    """What a corpus file's record is kept under: the SHA-256 of its name and bytes."""
    h = hashlib.sha256(path.name.encode() + b"\0")
    h.update(path.read_bytes())
    return h.hexdigest()


RACY_NS = 2_000_000_000  # a file modified this close to when it was looked at is read again next time


class FileKeys:
    """The key of each corpus file (:func:`file_key`), kept in ``OUT/.cache/file-keys.pickle``
    with the size and modification time the file had, so that a file whose both are unchanged
    is not read and hashed again: at 20,000 files, 96 MB read on every build.

    A file's clock ticks in milliseconds, so a file rewritten (to the same size) in the tick
    it was looked at would keep its time: a key is kept only for a file whose modification
    time was at least ``RACY_NS`` before it was looked at (git's "racy" entries)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / CACHE_DIR / "file-keys.pickle"
        # what save() kept under version "1"
        self.known = cast("dict[str, tuple[int, int, str]]", read_versioned(self.path, "1") or {})
        self.seen: dict[str, tuple[int, int, str]] = {}

    def key(self, path: Path) -> str:
        st = os.stat(path)
        entry = self.known.get(path.name)
        known = entry is not None and entry[:2] == (st.st_size, st.st_mtime_ns)
        key = entry[2] if known and entry is not None else file_key(path)
        if time.time_ns() - st.st_mtime_ns >= RACY_NS:
            self.seen[path.name] = (st.st_size, st.st_mtime_ns, key)
        return key

    def save(self) -> None:
        """Keep the keys of the files looked at in this build (and no others)."""
        if self.seen != self.known:
            write_versioned(self.path, "1", self.seen)


PACK = "_heads.pickle"  # the heads of a build's records in one file, beside their own files


class ExtractionCache:
    """Records by file key, in one folder per extractor version.

    Each head is in its own file and, as read or extracted by the last build that wrote it,
    in the pack (``_heads.pickle``): one file is read faster than 20,000 (1.3–1.5 s against
    2.9 s), and shares the strings the heads have in common. The pack is rewritten when more
    than one head in a hundred was not in it; a head not in the pack is read from its file."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.folder = out_dir / CACHE_DIR / "extract" / extractor_version()
        self.hits = 0
        self._names: set[str] | None = None  # the folder's files, listed once (a stat per record cost more)
        self._pack: dict[str, tuple[DocumentRecord | None, list[Diagnostic]]] | None = None
        self._heads: dict[str, tuple[DocumentRecord | None, list[Diagnostic]]] = {}  # this build's, as read
        self._unpacked = 0  # heads this build did not find in the pack

    def _read_pack(self) -> dict:
        try:
            with open(self.folder / PACK, "rb") as fh:
                pack = load_own(fh)
        except UNREADABLE:
            return {}
        return {k: v for k, v in pack.items() if _is_entry(v)} if isinstance(pack, dict) else {}

    def save_pack(self) -> None:
        """Write the pack of this build's heads when too many were not in it; then let go of
        the pack read (with the heads of files gone from the corpus)."""
        try:
            if self._unpacked > len(self._heads) // 100 or not self._pack:
                write_atomic(self.folder / PACK, pickle.dumps(self._heads, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time
        self._pack, self._heads = {}, {}

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def identity(self, key: str) -> str:
        """What a record under ``key`` was extracted from: the extractor's version and the file."""
        return f"{self.folder.name}/{key}"

    def get(self, key: str) -> tuple[DocumentRecord | None, list[Diagnostic]] | None:
        """The record (its head: :class:`StoredRecord`) and diagnostics kept under ``key``."""
        if self._names is None:
            self._names = {e.name for e in os.scandir(self.folder)} if self.folder.is_dir() else set()
            self._pack = self._read_pack() if PACK in self._names else {}
        if f"{key}.pickle" not in self._names:
            return None
        base = os.path.join(self.folder, key)
        assert self._pack is not None  # read together with the folder's names, above
        hit = self._pack.get(key)
        if hit is None:
            self._unpacked += 1
            try:
                with open(f"{base}.pickle", "rb") as fh:
                    loaded = load_own(fh)
            except UNREADABLE:
                return None
            if not _is_entry(loaded):
                return None  # a head that is no (record, diagnostics): a miss, rewritten below
            hit = cast("tuple[DocumentRecord | None, list[Diagnostic]]", loaded)
        record, diagnostics = hit
        if record is not None:
            if not {f"{key}.parts.pickle", f"{key}.text.pickle"} <= self._names:
                return None
            if any(_empty(f"{base}.{group}.pickle") for group in ("parts", "text")):
                return None  # an emptied parts file: a miss
            record.__dict__["_stored_at"] = base
        self._heads[key] = hit
        self.hits += 1
        return record, diagnostics

    def prune(self, used: set[str]) -> None:
        """Drop the records of files no longer in the corpus, and of other extractor versions."""
        # whatever an old version's folder holds goes with it, also the temporary file of a
        # build stopped while writing; a cache that cannot be cleaned only costs room
        for old in self.folder.parent.glob("*"):
            if old.is_dir() and old != self.folder:
                shutil.rmtree(old, ignore_errors=True)
        if not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.name.split(".", 1)[0] not in used and entry.name != PACK:  # a leftover ".KEY….tmp" too
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)

    def put(self, key: str, record: DocumentRecord | None, diagnostics: list[Diagnostic]) -> None:
        base = self._path(key).with_suffix("")
        try:
            if record is not None:  # the parts first: a head is read only with them beside it
                head, parts, text = _stored(record)
                write_atomic(Path(f"{base}.parts.pickle"), pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
                write_atomic(Path(f"{base}.text.pickle"), pickle.dumps(text, protocol=pickle.HIGHEST_PROTOCOL))
            else:
                head = None
            write_atomic(self._path(key), pickle.dumps((head, diagnostics), protocol=pickle.HIGHEST_PROTOCOL))
            self._heads[key] = (head, diagnostics)
            self._unpacked += 1
        except OSError:
            pass  # a cache that cannot be written only costs time
