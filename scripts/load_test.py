"""Load test for `policykg serve`: N concurrent clients for T seconds, loopback only.

    python scripts/load_test.py --clients 8 --seconds 20              # starts its own server on graph/
    python scripts/load_test.py --url http://127.0.0.1:7878 --clients 4 --seconds 10

Each client sends, in turn, a light query (ASK), a named query (/queries/rewards) and a
cross-document aggregate (measures per document), and records each answer's latency.
Prints throughput, p50/p99 latency and failures. Bounded: at most 64 clients and 600 s, and
only loopback addresses, so it cannot be pointed at someone else's server.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

REQUESTS = [
    ("GET", "/sparql", {"query": "ASK { ?s ?p ?o }"}),
    ("GET", "/queries/rewards", {"tier": "小巨人"}),
    ("GET", "/sparql", {"query": "SELECT ?doc (COUNT(?m) AS ?n) WHERE { ?doc <http://data.europa.eu/eli/ontology#has_part> ?m }"
                                 " GROUP BY ?doc ORDER BY DESC(?n)"}),
]


def own_server(graph: Path):
    from policykg.serve.app import serving
    from policykg.serve.dataset import load_dataset

    return serving(load_dataset(sorted(graph.glob("*.ttl"))), threads=8)


def client(base: str, until: float, latencies: list[float], failures: list[str], offset: int) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        i = offset
        while time.perf_counter() < until:
            method, path, params = REQUESTS[i % len(REQUESTS)]
            i += 1
            started = time.perf_counter()
            try:
                r = http.request(method, path, params=params, headers={"Accept": "application/sparql-results+json"})
                if r.status_code != 200:
                    failures.append(f"{path}: {r.status_code}")
                    continue
            except httpx.HTTPError as exc:
                failures.append(f"{path}: {type(exc).__name__}")
                continue
            latencies.append(time.perf_counter() - started)


def run(base: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    until = time.perf_counter() + seconds
    threads = [threading.Thread(target=client, args=(base, until, latencies, failures, k)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")  # noqa: E731
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "throughput_per_s": round(len(latencies) / elapsed, 1), "p50_ms": round(pick(0.5), 1),
            "p99_ms": round(pick(0.99), 1), "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else None,
            "failures": len(failures), "failure_kinds": sorted(set(failures))[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running endpoint on loopback (default: start one on --graph)")
    parser.add_argument("--graph", type=Path, default=Path("graph"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 600:
        sys.exit("bounded: 1–64 clients, at most 600 seconds")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only: give http://127.0.0.1:PORT")
    with (contextlib.nullcontext(args.url) if args.url else own_server(args.graph)) as base:
        result = run(base, args.clients, args.seconds)
    for key, value in result.items():
        print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
