"""Reading the corpus: the manifest, file encodings, and what is not text at all."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
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
    warning: str | None = None  # a few stray bytes replaced


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "hz", "utf_8", "utf-8", "cp950", "cp936")
_STRAY_BYTES = 8  # at most this many undecodable bytes are replaced, with a warning naming their offsets


def _decode(path: Path, data: bytes) -> tuple[str, str, str | None]:
    """The text, its encoding, and a warning when a few stray bytes had to be replaced."""
    if not data.strip():
        raise CorpusError(f"{path.name}: the file is empty")
    for bom, encoding in _BOMS:  # UTF-16/32 hold NUL bytes: their byte order mark says which
        if data.startswith(bom):
            try:
                return _chinese(path, data.decode(encoding), encoding), encoding, None
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{path.name}: not valid {encoding} at byte {exc.start}") from None
    if b"\x00" in data:
        raise CorpusError(f"{path.name}: not a text file (it holds NUL bytes; binary data?)")
    try:
        return _chinese(path, data.decode("utf-8"), "utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    stray = _stray_utf8(data)
    if stray is not None:
        repaired, offsets = stray
        return (_chinese(path, repaired, "utf-8"), "utf-8",
                f"{len(offsets)} byte(s) that are not UTF-8 at offset(s) {', '.join(map(str, offsets))} "
                "were read as U+FFFD; the rest of the text is kept")
    text: str | None = None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _cjk_share(text) >= 0.2:  # a GBK text is mostly Chinese characters
        return text, "gb18030", None
    best = charset_normalizer.from_bytes(data).best()  # mostly Latin: Latin-1 read as GB18030 is mojibake
    if text is not None and (best is None or best.encoding.lower() in _CHINESE_ENCODINGS):
        return _chinese(path, text, "gb18030"), "gb18030", None
    if best is None:
        raise CorpusError(f"{path.name}: not a text file (no text encoding fits its bytes; "
                          f"not UTF-8 at byte {utf8_error.start})")
    if best.encoding.lower() not in _CHINESE_ENCODINGS:
        raise CorpusError(f"{path.name}: not a Chinese text (its bytes read as {best.encoding})")
    return _chinese(path, str(best), best.encoding), best.encoding, None


def _stray_utf8(data: bytes) -> tuple[str, list[int]] | None:
    """UTF-8 text with at most a few bytes that are not (a file cut inside a character, stray
    bytes at its end): the text with U+FFFD for each, and their byte offsets; else None."""
    offsets: list[int] = []
    pos, parts = 0, []
    while pos < len(data):
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[pos:pos + exc.start].decode("utf-8"))
            parts.append("\ufffd")
            offsets.append(pos + exc.start)
            pos += exc.start + max(1, exc.end - exc.start)
            if len(offsets) > _STRAY_BYTES:
                return None
    return "".join(parts), offsets


def _cjk_share(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii() or ch.isalpha()]
    return len(_CJK.findall(text)) / len(letters) if letters else 0.0


def _chinese(path: Path, text: str, encoding: str) -> str:
    if not _CJK.search(text):
        raise CorpusError(f"{path.name}: not a Chinese text (no Chinese character in it, read as {encoding})")
    return text


def read_source(path: Path) -> SourceText:
    """Read one corpus file: UTF-8 (with or without BOM), else GB18030/GBK, else what
    charset-normalizer finds. The text keeps a BOM and ``\\r\\n`` as they are, so that
    evidence offsets index the file exactly as a reader decoding it sees it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot be read ({exc.strerror})") from None
    text, encoding, warning = _decode(path, data)
    return SourceText(path.name, path, text, encoding, warning)


def load_manifest(corpus_dir: Path) -> dict[str, dict] | None:
    """The manifest's entries by file name, or None when the corpus has none."""
    path = corpus_dir / MANIFEST
    if not path.exists():
        return None
    if not path.is_file():
        raise CorpusError(f"{MANIFEST}: not a file")
    try:
        entries = tomllib.loads(path.read_text("utf-8")).get("file", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{MANIFEST}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise CorpusError(f"{MANIFEST}: cannot be read ({exc.strerror})") from None
    if not isinstance(entries, list):
        raise CorpusError(f"{MANIFEST}: 'file' must be a list of [[file]] tables")
    by_name = {}
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise CorpusError(f"{MANIFEST}: entry {i} is not a [[file]] table")
        missing = {"name", "original_name", "description", "sha256"} - entry.keys()
        if missing:
            raise CorpusError(f"{MANIFEST}: entry {i} lacks {', '.join(sorted(missing))}")
        wrong = sorted(k for k in ("name", "original_name", "description", "sha256") if not isinstance(entry[k], str))
        if wrong:
            raise CorpusError(f"{MANIFEST}: entry {i}: {', '.join(wrong)} must be text (a quoted string)")
        by_name[entry["name"]] = entry
    return by_name


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The ``.txt`` files of a corpus folder, in name order."""
    return corpus_entries(corpus_dir)[0]


def corpus_entries(corpus_dir: Path) -> tuple[list[Path], list[str]]:
    """The readable ``.txt`` files of a corpus folder in name order, and a message for each
    ``.txt`` entry that is none: a symlink loop, a dangling link, a link out of the folder
    (``passwd.txt -> /etc/passwd`` is never read), a folder."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: no such corpus folder")
    root = corpus_dir.resolve()
    good, problems = [], []
    # names compared as strings: sorting Paths compares their parts, seconds at 20,000 files
    for e in sorted(os.scandir(corpus_dir), key=lambda e: e.name):
        if not e.name.endswith(".txt") or e.name == ".txt":
            continue
        try:
            is_file = e.is_file()
            target = Path(e.path).resolve(strict=True) if e.is_symlink() else None
        except (OSError, RuntimeError) as exc:  # a loop, a dangling link
            reason = getattr(exc, "strerror", None) or str(exc)
            problems.append(f"{e.name}: cannot be read ({reason})")
            continue
        if target is not None and target.parent != root:
            problems.append(f"{e.name}: a link to {target}, outside the corpus folder: not read")
        elif not is_file:
            problems.append(f"{e.name}: not a file (a folder?)")
        else:
            good.append(corpus_dir / e.name)
    return good, problems


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
