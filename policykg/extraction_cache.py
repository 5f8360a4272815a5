"""The extraction cache: a document's plain record kept by the hash of its text.

Extraction is the costliest stage of a build, and a document's record depends only on its
file (name and bytes) and on the extractor (the package's code and reference data). The
cache keeps each record, pickled, under ``OUT/.cache/extract/`` keyed by the SHA-256 of
``name + bytes`` and of the extractor, so rebuilding a corpus where one document changed
extracts that document alone. A record that cannot be read back (a truncated file, an
older Python) is simply extracted again.
"""
from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path

from .emit import write_atomic
from .records import Diagnostic, DocumentRecord
from .resources import data_dir

CACHE_DIR = ".cache"


@cache
def extractor_version() -> str:
    """A digest of everything extraction reads besides the document: the package's code
    and the reference data."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")) + sorted(data_dir("reference").glob("*.toml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def read_versioned(path: Path) -> object | None:
    """What :func:`write_versioned` kept at ``path`` under the current extractor version;
    None when there is nothing, it cannot be read, or another version wrote it."""
    try:
        with path.open("rb") as fh:
            version, data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return data if version == extractor_version() else None


def write_versioned(path: Path, data: object) -> None:
    """Keep ``data`` at ``path`` with the extractor version; a cache that cannot be written
    only costs time."""
    try:
        write_atomic(path, pickle.dumps((extractor_version(), data), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def file_key(path: Path) -> str:
    h = hashlib.sha256(path.name.encode() + b"\0")
    h.update(path.read_bytes())
    return h.hexdigest()


class ExtractionCache:
    def __init__(self, out_dir: Path):
        self.folder = out_dir / CACHE_DIR / "extract" / extractor_version()
        self.hits = 0

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> tuple[DocumentRecord | None, list[Diagnostic]] | None:
        try:
            with self._path(key).open("rb") as fh:
                found = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None
        self.hits += 1
        return found

    def prune(self, used: set[str]) -> None:
        """Drop the records of files no longer in the corpus, and of other extractor versions."""
        for old in self.folder.parent.glob("*"):
            if old.is_dir() and old != self.folder:
                for f in old.glob("*.pickle"):
                    f.unlink(missing_ok=True)
                old.rmdir()
        for f in self.folder.glob("*.pickle"):
            if f.stem not in used:
                f.unlink(missing_ok=True)

    def put(self, key: str, record: DocumentRecord | None, diagnostics: list[Diagnostic]) -> None:
        try:
            write_atomic(self._path(key), pickle.dumps((record, diagnostics), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time
