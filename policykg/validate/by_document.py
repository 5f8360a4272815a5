"""Validation by document: linear in the corpus, for graphs held in the Oxigraph store.

Whole-graph pySHACL (:func:`policykg.validate.whole_graph.validate_graph`) costs more than linear time and
holds the whole graph in rdflib; at a thousand documents it takes minutes and gigabytes.
Here the same shapes run in two parts:

- **Per unit** (a graph file, or a slice of a large one such as the
  ``organizations.ttl`` of a national corpus), in worker processes: pyshacl-turbo, a Rust SHACL engine with
  pySHACL's interface and semantics, on the unit's own triples plus their
  *context* — the one-hop description, read from the store, of every resource the unit
  points to but does not describe (so ``sh:class`` sees the type of an organization
  described in ``organizations.ttl``) — and the ontology's class hierarchy. Only results
  about the unit's own resources count; its context is checked in its own unit.
- **Across documents**: the rules marked ``pks:acrossDocuments true`` in ``shapes/`` (an
  inverse stated in another file, a repealed document's end date, cycles, alignments) run
  once each, as one SPARQL query over the store: the rule's ``sh:select`` with ``$this``
  left free, joined with its shape's target. The ontology and the check date sit in a
  named graph of their own while these run, and are removed after.

Results are :class:`policykg.validate.findings.Finding`, reported exactly as the whole-graph run reports
them; a test checks both give the same findings on every fixture. Unit results are cached
beside the store (``validation-cache.pickle``): a unit is validated again when its bytes
change, or when a resource its context holds is described differently. So are the findings
across documents: a rule marked ``pks:withinOneStep`` (its rows for a node read only the
triples about the node and the nodes it points to) is checked again only around the
subjects the store noted as changed (:meth:`policykg.store.filestore.FileStore.pending`) and the nodes
pointing to them, over that neighbourhood in memory; the cycle rule follows its edges from
the changed subjects and from last run's cycle nodes. What each unit described, the larger
part of the cache, is kept in shards (``validation-descriptions/``) read only for the units
that change. Revalidating a corpus where one document changed costs that document, its
neighbours, and reading the cache.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from policykg.cache.heap import frozen_heap
from policykg.cache.versions import read_versioned, write_versioned
from policykg.store.errors import StoreError
from policykg.store.filestore import FileStore
from policykg.validate.across import across_around, across_documents
from policykg.validate.findings import (
    Finding,
    Report,
    ValidationError,
)
from policykg.validate.unit_cache import (
    CACHE_FILE,
    DESCRIPTIONS_DIR,
    Descriptions,
    ValidationCache,
    rules_version,
    unit_digest,
    units_to_validate,
)
from policykg.validate.units import forget_store, unit_id, units_of, validate_unit

# fewer units than this are validated in the calling process: forking workers that each open the
# store cost more (2 units after a one-document change: 3.4 s with two workers, 2.6 s without)
PARALLEL_UNITS_FROM = 32


def validate_store(files: list[Path], fs: FileStore, *, check_date: dt.date | None = None,
                   jobs: int | None = None, use_cache: bool = True) -> Report:
    """Validate the files (already in step with ``fs``): the rules across documents over the
    store, then unit by unit. Unit results are cached beside the store; a unit is validated
    again when its bytes change or a resource its context holds is described anew."""
    check_date = check_date or dt.date.today()
    started = time.perf_counter()
    version = rules_version(check_date)
    saved = read_versioned(fs.location / CACHE_FILE, version) if use_cache else None
    saved = saved if isinstance(saved, ValidationCache) else None
    with frozen_heap():  # the cache's million objects
        return _validate_store(files, fs, check_date, jobs, use_cache, version, saved, started)


def _validate_store(files: list[Path], fs: FileStore, check_date: dt.date, jobs: int | None, use_cache: bool,
                    version: str, saved: ValidationCache | None, started: float) -> Report:
    changed = fs.pending() if saved is not None else None
    if changed is None:
        across = across_documents(fs, check_date)
    else:  # the last run's findings, checked again around what changed since
        assert saved is not None  # changed is None without a saved run
        across = across_around(fs, check_date, changed, saved.across) if changed else saved.across
    fs.open(writable=False)
    findings: list[Finding] = [f for _, _, f in across]
    triples, documents = 0, []
    units = units_of(files)
    manifest = fs.manifest()
    digests = {unit_id(u): unit_digest(u, manifest) for u in units}
    cached = saved.units if saved is not None else {}
    descriptions = Descriptions(fs.location / DESCRIPTIONS_DIR, version)
    todo = units_to_validate(units, digests, cached, descriptions, changed)
    args = [(u, str(fs.path), check_date.isoformat(), digests[unit_id(u)]) for u in todo]
    jobs = jobs or os.cpu_count() or 1
    try:
        if jobs > 1 and len(todo) >= PARALLEL_UNITS_FROM:
            fs.close()  # each worker opens its own read-only view
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                     initializer=forget_store) as pool:
                fresh = list(pool.map(validate_unit, args, chunksize=4))
            fs.open(writable=False)
        else:
            fresh = [validate_unit(a) for a in args]
    except StoreError as exc:
        raise ValidationError(str(exc)) from None
    finally:
        forget_store()
    results = {uid: r for uid, r in cached.items() if uid in digests}
    anew = {unit_id(u): r for u, r in zip(todo, fresh, strict=True)}
    results.update(anew)
    if use_cache:
        descriptions.save(anew, set(cached) - set(digests), everything=len(anew) == len(results))
        kept = {uid: r for uid, r in results.items() if uid not in anew}  # read without their descriptions
        kept.update({uid: replace(r, describes={}, refers=frozenset(map(sys.intern, r.refers)))  # shared names once
                     for uid, r in anew.items()})
        write_versioned(fs.location / CACHE_FILE, version, ValidationCache(kept, across))
        fs.clear_pending()
    for uid in sorted(results):
        findings.extend(results[uid].findings)
        triples += results[uid].triples
        documents.extend(results[uid].documents)
    order = {"violation": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.document or "~", order[f.severity], f.focus, f.rule, f.message))
    documents.sort(key=lambda d: (d[0] or "~", d[1]))
    return Report(findings, None, triples, time.perf_counter() - started, check_date.isoformat(),
                  [str(f) for f in files], documents)
