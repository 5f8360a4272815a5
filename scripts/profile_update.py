"""Time each stage of a one-document update (rebuild + revalidate) on a built corpus.

    python scripts/profile_update.py DIR [--prof FILE]

DIR holds ``corpus/`` and ``graph/`` of a build already made (e.g. a corpus written by
``scripts/generate_corpus.py DIR/corpus --n 20000`` and built into ``DIR/graph``). The script
changes one amount in the middle document of the corpus **in place** (the first 万元 becomes
0万元, as ``bench_scale.py``'s update stage does), rebuilds, revalidates on Oxigraph, and
prints the time spent in each stage function, wrapped with timers. ``--prof`` also writes a
cProfile dump (its overhead inflates pure-Python code such as regular-expression compiling).
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import time
from pathlib import Path

import policykg.build as build_module
import policykg.store.filestore as store_module
import policykg.validate.by_document as dv  # where the validation calls them
import policykg.validate.run as validate_module

TIMES: dict[str, float] = {}


def timed(owner, name: str) -> None:
    real = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--prof", type=Path, help="write a cProfile dump here")
    args = parser.parse_args()
    corpus, out = args.dir / "corpus", args.dir / "graph"
    for name in ("link", "resolve_organizations", "align_versions", "write_corpus"):
        timed(build_module, name)
    for name in ("across_documents", "across_around", "units_of", "units_to_validate",
                 "read_versioned", "write_versioned"):
        timed(dv, name)
    timed(store_module.FileStore, "sync")
    timed(store_module.FileStore, "changes")
    docs = sorted(corpus.glob("doc-*.txt"))
    changed = docs[len(docs) // 2]
    changed.write_text(changed.read_text("utf-8").replace("万元", "0万元", 1), "utf-8")
    profile = cProfile.Profile() if args.prof else None
    if profile:
        profile.enable()
    started = time.perf_counter()
    build_module.build(corpus, out)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    report = validate_module.validate_paths([out], backend="oxigraph", reasoner=False)
    validate_s = time.perf_counter() - started
    if profile:
        profile.disable()
        profile.dump_stats(args.prof)
    print(f"changed {changed.name}: build {build_s:.1f} s, validate {validate_s:.1f} s, "
          f"violations {report.count('violation')}")
    for name, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
