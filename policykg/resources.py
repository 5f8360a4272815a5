"""Where the project's data files are: a checkout's top-level folders, or the copies a wheel carries.

>>> (data_dir("queries") / "in-force.rq").is_file()
True
"""
from __future__ import annotations

from pathlib import Path

import policykg

_PACKAGE = Path(policykg.__file__).resolve().parent  # the top package, wherever this module lies
_CHECKOUT = _PACKAGE.parent

KINDS = ("ontology", "shapes", "queries", "reference", "evaluation")


def data_dir(kind: str) -> Path:
    """The folder holding one kind of data file (ontology, shapes, queries, reference, evaluation)."""
    if kind not in KINDS:
        raise ValueError(f"unknown data kind {kind!r}")
    installed = _PACKAGE / "_data" / kind
    if installed.is_dir():
        return installed
    return _CHECKOUT / kind
