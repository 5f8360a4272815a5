"""Versioned caches: what a stage keeps between builds, under the version of the code it runs.

A cache's version is a digest of the source files of the stage's module and of every module
of the package it imports (:func:`code_files`), and of the reference data: changing the
endpoint keeps the extracted records; changing a module extraction imports does not. This
module imports nothing the stages do, so that editing one stage's cache code does not
change every other stage's version.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
from functools import cache
from modulefinder import ModuleFinder
from pathlib import Path
from typing import cast

import policykg
from policykg.files import write_atomic
from policykg.resources import data_dir

CACHE_DIR = ".cache"


def code_files(*modules: str) -> list[Path]:
    """The source files of the named modules of this package and of every module of it they
    import, directly or not (also inside functions), found by :mod:`modulefinder` without
    running them."""
    package = Path(policykg.__file__).resolve().parent  # the top package, wherever this module lies
    finder = _PackageFinder(package.name, path=[str(package.parent)])
    for name in modules:
        finder.import_hook(name)
    # typeshed's modulefinder.Module leaves out the __file__ it sets (str | None)
    return sorted({Path(m.__file__) for n, m in finder.modules.items()  # type: ignore[attr-defined]
                   if n.split(".")[0] == package.name and m.__file__})  # type: ignore[attr-defined]


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


# what reading a damaged cache file can raise: each is a cache miss
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
              IndexError, KeyError, MemoryError, RecursionError)


class ForeignCacheFile(pickle.UnpicklingError):
    """A cache file another user owns or could have written: a pickle runs code when read, so
    it is never read."""


def load_own(fh) -> object:
    """Unpickle an open cache file, only if this user owns it and no one else can write it."""
    st = os.fstat(fh.fileno())
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ForeignCacheFile(f"{getattr(fh, 'name', 'cache file')}: owned or writable by another user; not read")
    return pickle.load(fh)


def read_versioned(path: Path, version: str) -> object | None:
    """What :func:`write_versioned` kept at ``path`` under ``version``; None when there is
    nothing, it cannot be read, another version wrote it, or another user could have."""
    try:
        with path.open("rb") as fh:
            saved, data = cast("tuple[object, object]", load_own(fh))
    except UNREADABLE:
        return None
    return data if saved == version else None


def write_versioned(path: Path, version: str, data: object) -> None:
    """Keep ``data`` at ``path`` with its ``version``; a cache that cannot be written only
    costs time."""
    with contextlib.suppress(OSError):
        write_atomic(path, pickle.dumps((version, data), protocol=pickle.HIGHEST_PROTOCOL))
