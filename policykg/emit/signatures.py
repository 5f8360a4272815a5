"""Signatures: digests of what a graph file is emitted from, so an unchanged file is not
emitted again.
"""
from __future__ import annotations

import hashlib
import io
import pickle

from policykg.emit.layout import FileParts
from policykg.records import (
    Corpus,
)


def shared_signature(name: str, corpus: Corpus) -> str:
    """A digest of what a shared file is emitted from (the code and reference data are in
    the state's version): areas from the documents' and organizations' areas, organizations
    from the resolved ones, the issuers and the reorganizations, schemes from the wordings
    of tiers."""
    docs = corpus.documents.values()
    if name == "areas.ttl":
        inputs: object = sorted({d.jurisdiction for d in docs if d.jurisdiction}
                                | {o.area for o in corpus.organizations.values() if o.area})
    elif name == "organizations.ttl":
        inputs = (sorted({str(i.value) for d in docs for i in d.issuers}),
                  [tuple(sorted(v) if isinstance(v, set) else v for v in vars(o).values())
                   for _, o in sorted(corpus.organizations.items())],
                  corpus.organization_changes, sorted(corpus.issuer_functions.items()))
    else:
        inputs = sorted({w for d in docs for w in d.summary().tier_wordings})
    return value_digest(inputs)


def emit_signature(corpus: Corpus, parts: FileParts) -> str:
    """A digest of everything one file's graph is emitted from: its records (after linking),
    the relations they are the source of, the organizations their units resolved to (implied
    by what a record was extracted from, when that is known), and the alignments toward them
    with the earlier version's measure numbering. The code emit runs, and the code and data
    that resolve units, are in the state's version (:class:`EmitState`)."""
    records = [corpus.documents[k] for k in parts.keys]
    # the organizations a record's units resolve to follow from its names and jurisdiction, so
    # from what it was extracted from, with the resolving code and data in the state's version
    units = [corpus.unit_organizations[(r.key, name)] for r in records if r.key not in corpus.extracted_from
             for _, _, name, _ in r.summary().units_named]
    # the earlier version's measure numbering, by what its record was extracted from when known
    earlier = [corpus.extracted_from.get(al.before) or [m.ordinal for m in corpus.documents[al.before].measures]
               for al in parts.alignments]
    # a record is named by what it was extracted from, with what linking set (its key and its
    # end): pickling every record whole cost most of an unchanged build's emit
    named = [(corpus.extracted_from[r.key], r.key, r.no_longer_in_force) if r.key in corpus.extracted_from else r
             for r in records]
    # an alignment by what it was aligned from, when that is known
    alignments = [(al.before, al.after, al.relation, al.digest) if al.digest else al for al in parts.alignments]
    return value_digest((named, parts.relations, units, alignments, earlier))


def value_digest(value: object) -> str:
    """A digest of a value, not of how its objects happen to be shared: pickled with the memo
    off (a record read back from the cache shares its strings otherwise than a fresh one)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()
