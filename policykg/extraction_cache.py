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

import hashlib
import os
import pickle
import shutil
import time
from functools import cache
from modulefinder import ModuleFinder
from pathlib import Path

from .files import write_atomic
from .records import Diagnostic, DocumentRecord, MeasureSummary
from .resources import data_dir

CACHE_DIR = ".cache"


def code_files(*modules: str) -> list[Path]:
    """The source files of the named modules of this package and of every module of it they
    import, directly or not (also inside functions), found by :mod:`modulefinder` without
    running them."""
    package = Path(__file__).resolve().parent
    finder = _PackageFinder(package.name, path=[str(package.parent)])
    for name in modules:
        finder.import_hook(name)
    return sorted({Path(m.__file__) for n, m in finder.modules.items()
                   if n.split(".")[0] == package.name and m.__file__})


@cache
def code_version(*modules: str) -> str:
    """A digest of the code a stage runs (:func:`code_files`) and of the reference data.
    Changing the endpoint does not throw away extracted records; changing a module
    extraction imports does."""
    h = hashlib.sha256()
    for path in code_files(*modules) + sorted(data_dir("reference").glob("*.toml")):
        h.update(path.relative_to(path.parent.parent).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class _PackageFinder(ModuleFinder):
    """A module finder that looks into this package only, not into what it imports from
    outside (rdflib and the standard library would cost seconds)."""

    def __init__(self, package: str, **kwargs):
        super().__init__(**kwargs)
        self.package = package

    def find_module(self, name, path, parent=None):
        if path is None and name != self.package:  # a top-level module of another distribution
            raise ImportError(name)
        return super().find_module(name, path, parent)


def extractor_version() -> str:
    """The version of extraction: reading, normalizing and extracting a file."""
    return code_version("policykg.corpus", "policykg.normalize", "policykg.extract")


def read_versioned(path: Path, version: str) -> object | None:
    """What :func:`write_versioned` kept at ``path`` under ``version``; None when there is
    nothing, it cannot be read, or another version wrote it."""
    try:
        with path.open("rb") as fh:
            saved, data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return data if saved == version else None


def write_versioned(path: Path, version: str, data: object) -> None:
    """Keep ``data`` at ``path`` with its ``version``; a cache that cannot be written only
    costs time."""
    try:
        write_atomic(path, pickle.dumps((version, data), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


PARTS = ("measures", "targets", "ladder")  # kept in KEY.parts.pickle
TEXT = ("body_text",)  # kept in KEY.text.pickle


def _read_on_use(name: str, group: str) -> property:
    """An attribute kept in the record's ``group`` file, read from it the first time it is used
    (a property: the dataclass's defaults are class attributes a lookup would find first)."""
    def get(self):
        state = self.__dict__
        if name not in state:
            with open(f"{state['_stored_at']}.{group}.pickle", "rb") as fh:
                state.update(pickle.load(fh))
        return state[name]

    def put(self, value) -> None:
        self.__dict__[name] = value

    return property(get, put)


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
        self.known: dict[str, tuple[int, int, str]] = read_versioned(self.path, "1") or {}
        self.seen: dict[str, tuple[int, int, str]] = {}

    def key(self, path: Path) -> str:
        st = os.stat(path)
        entry = self.known.get(path.name)
        if entry is not None and entry[:2] == (st.st_size, st.st_mtime_ns):
            key = entry[2]
        else:
            key = file_key(path)
        if time.time_ns() - st.st_mtime_ns >= RACY_NS:
            self.seen[path.name] = (st.st_size, st.st_mtime_ns, key)
        return key

    def save(self) -> None:
        """Keep the keys of the files looked at in this build (and no others)."""
        if self.seen != self.known:
            write_versioned(self.path, "1", self.seen)


class ExtractionCache:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.folder = out_dir / CACHE_DIR / "extract" / extractor_version()
        self.hits = 0
        self._names: set[str] | None = None  # the folder's files, listed once (a stat per record cost more)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def identity(self, key: str) -> str:
        """What a record under ``key`` was extracted from: the extractor's version and the file."""
        return f"{self.folder.name}/{key}"

    def get(self, key: str) -> tuple[DocumentRecord | None, list[Diagnostic]] | None:
        """The record (its head: :class:`StoredRecord`) and diagnostics kept under ``key``."""
        if self._names is None:
            self._names = {e.name for e in os.scandir(self.folder)} if self.folder.is_dir() else set()
        if f"{key}.pickle" not in self._names:
            return None
        base = os.path.join(self.folder, key)
        try:
            with open(f"{base}.pickle", "rb") as fh:
                record, diagnostics = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None
        if record is not None:
            if not {f"{key}.parts.pickle", f"{key}.text.pickle"} <= self._names:
                return None
            record.__dict__["_stored_at"] = base
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
            if entry.name.split(".", 1)[0] not in used:  # a leftover ".KEY.pickle.….tmp" too
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

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
        except OSError:
            pass  # a cache that cannot be written only costs time
