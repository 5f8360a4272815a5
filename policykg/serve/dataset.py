"""The dataset the endpoint serves: one named graph per Turtle file, on rdflib in memory or on
the Oxigraph store beside the files."""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

import rdflib
from rdflib import Dataset, URIRef

from policykg.namespaces import PREFIXES
from policykg.serve.protocol import GRAPH_BASE

if TYPE_CHECKING:
    from policykg.store.filestore import _OxigraphStore


@contextmanager
def lexical_forms_kept():
    """Parse with literals as written ("1.0E6" stays "1.0E6"): answers quote the data."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def load_dataset(files, backend: str = "rdflib") -> Dataset:
    """A dataset with one named graph per Turtle file (``graph/NAME`` IRIs); the default
    graph is their union. On ``oxigraph`` (or ``auto`` for a large graph) it is the on-disk
    store beside the files (:mod:`policykg.store.filestore`), brought up to date, and each query is evaluated
    by Oxigraph in its own process."""
    from policykg.store.backends import choose_backend, open_graph

    if choose_backend(list(files), backend) == "oxigraph":
        return cast(Dataset, open_graph(files, "oxigraph")[0])  # FileStore.dataset(): a Dataset
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    with lexical_forms_kept():
        for f in files:
            ds.graph(URIRef(GRAPH_BASE + f.stem)).parse(f, format="turtle")
    return ds


def store_path(dataset: Dataset) -> str | None:
    """Where the Oxigraph store behind ``dataset`` lives, or None for rdflib's memory."""
    store = getattr(dataset.store, "oxigraph", None)
    # a store with an oxigraph is FileStore.dataset()'s, which records its location
    return str(cast("_OxigraphStore", dataset.store).location) if store is not None else None
