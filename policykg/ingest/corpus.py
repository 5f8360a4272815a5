"""Reading the corpus: the manifest, file encodings, and what is not text at all."""
from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

MANIFEST = "manifest.toml"


class CorpusError(Exception):
    """A problem with one corpus file or the manifest: the message names the file."""


@dataclass(frozen=True)
class SourceText:
    name: str  # file name, as evidence names it
    path: Path
    text: str  # decoded, newlines untouched
    encoding: str


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise CorpusError(f"{path.name}: the file is empty")
    if b"\x00" in data:
        raise CorpusError(f"{path.name}: not a text file (it holds NUL bytes; binary data?)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise CorpusError(f"{path.name}: not a text file (no text encoding fits its bytes)")
    return str(best), best.encoding


def read_source(path: Path) -> SourceText:
    """Read one corpus file: UTF-8 (with or without BOM), else GB18030/GBK, else what
    charset-normalizer finds. The text keeps a BOM and ``\\r\\n`` as they are, so that
    evidence offsets index the file exactly as a reader decoding it sees it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot be read ({exc.strerror})") from None
    text, encoding = _decode(path, data)
    return SourceText(path.name, path, text, encoding)


def load_manifest(corpus_dir: Path) -> dict[str, dict] | None:
    """The manifest's entries by file name, or None when the corpus has none."""
    path = corpus_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        entries = tomllib.loads(path.read_text("utf-8")).get("file", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{MANIFEST}: not valid TOML ({exc})") from None
    by_name = {}
    for i, entry in enumerate(entries, 1):
        missing = {"name", "original_name", "description", "sha256"} - entry.keys()
        if missing:
            raise CorpusError(f"{MANIFEST}: entry {i} lacks {', '.join(sorted(missing))}")
        by_name[entry["name"]] = entry
    return by_name


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The ``.txt`` files of a corpus folder, in name order."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: no such corpus folder")
    # names compared as strings: sorting Paths compares their parts, seconds at 20,000 files
    names = sorted(e.name for e in os.scandir(corpus_dir)
                   if e.name.endswith(".txt") and e.name != ".txt" and e.is_file())
    return [corpus_dir / name for name in names]


def verify_manifest(corpus_dir: Path, manifest: dict[str, dict]) -> list[str]:
    """Every way the corpus differs from its manifest, one message each."""
    problems = []
    present = {p.name: p for p in corpus_files(corpus_dir)}
    for name, entry in sorted(manifest.items()):
        path = present.get(name)
        if path is None:
            problems.append(f"{name}: listed in {MANIFEST} but missing from {corpus_dir}")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            problems.append(
                f"{name}: sha256 {digest[:12]}… differs from {MANIFEST} ({entry['sha256'][:12]}…):"
                " the file was changed"
            )
    for name in sorted(present.keys() - manifest.keys()):
        problems.append(f"{name}: not listed in {MANIFEST}")
    return problems
