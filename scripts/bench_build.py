"""Benchmark the build: wall time and peak memory of `build()` over a corpus folder.

usage: python scripts/bench_build.py [CORPUS_DIR] [--repeat N]
Prints one line per run and the median; measures, never asserts.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from policykg.build import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            tracemalloc.start()
            t0 = time.perf_counter()
            result = build(args.corpus, Path(out))
            elapsed = time.perf_counter() - t0
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        times.append(elapsed)
        print(f"run {i + 1}: {elapsed:.3f} s, peak Python memory {peak / 2**20:.1f} MiB, "
              f"{len(result.corpus.documents)} documents, {result.triples} triples")
    print(f"median {statistics.median(times):.3f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
