"""Scale benchmark: the pipeline on synthetic corpora of growing size, beside a naive
baseline, in one run. Not a test: each run is added to docs/performance.md (or to --out FILE).

    python scripts/bench_scale.py --sizes 100 1000 [--baseline-up-to 1000] [--out FILE]

For each size N (documents from scripts/generate_corpus.py, seed 1):

- build: `policykg.build.build` with one process per core (extraction and emit in forked
  workers, Turtle written through pyoxigraph); wall time and peak memory (max RSS of the
  process and its children);
- validate: on the Oxigraph backend (the store brought up to date from the files, then
  pyshacl-turbo, a Rust SHACL engine with pySHACL's interface, document by document in
  worker processes, and the rules across documents as queries over the store), reasoner off;
- queries: every named query's median latency through the product's store interface, on
  rdflib (the graph in memory; 3 runs, 1 from 500 documents up, none above --rdflib-up-to)
  and on Oxigraph (3 runs, 1 from 10,000 documents up); the queries that take an area
  (``#+ scope:``) also in one area on Oxigraph, the area with the most documents of its own;
- export: the documents view as GraphML and the departments view as GEXF, from Oxigraph;
- update: one corpus document changed (an amount): the build again (extraction cache, only
  changed graph files rewritten) and validation again (store resync, cached unit results);
- baseline (up to --baseline-up-to documents): what a data engineer would write with the same
  packages: one process, rdflib's own Turtle serializer, and whole-graph pySHACL without the
  prepared-query reuse.

Each stage runs in a fresh subprocess, so memory figures do not accumulate.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAGES = {
    "build": """
from pathlib import Path
from policykg.build import build
r = build(Path(CORPUS), Path(OUT))
print(json.dumps({"triples": r.triples, "errors": len(r.errors)}))
""",
    "baseline_build": """
from pathlib import Path
import policykg.emit.write as emit  # where write_corpus looks it up
emit.turtle_bytes = lambda g: g.graph().serialize(format="turtle", encoding="utf-8")  # into rdflib, its writer
from policykg.build import build
r = build(Path(CORPUS), Path(OUT), jobs=1, use_cache=False)
print(json.dumps({"triples": r.triples}))
""",
    "validate": """
from pathlib import Path
from policykg.validate.run import validate_paths
rep = validate_paths([Path(OUT)], backend="oxigraph", reasoner=False)
print(json.dumps({"violations": rep.count("violation"), "warnings": rep.count("warning")}))
""",
    "update": """
import time
from pathlib import Path
from policykg.build import build
from policykg.validate.run import validate_paths
docs = sorted(Path(CORPUS).glob("doc-*.txt"))
changed = docs[len(docs) // 2]
text = changed.read_text("utf-8")
changed.write_text(text.replace("万元", "0万元", 1), "utf-8")  # one amount ten times larger
t = time.perf_counter(); r = build(Path(CORPUS), Path(OUT)); build_s = time.perf_counter() - t
t = time.perf_counter()
rep = validate_paths([Path(OUT)], backend="oxigraph", reasoner=False)
validate_s = time.perf_counter() - t
print(json.dumps({"build_s": build_s, "validate_s": validate_s, "violations": rep.count("violation")}))
""",
    "baseline_validate": """
from pathlib import Path
from pyshacl import validate
from policykg.validate.shapes import ontology_graph, shapes_graph
from policykg.validate.whole_graph import load
data, _ = load([Path(OUT)])
conforms, _, _ = validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), advanced=True,
                          inference="none", allow_warnings=True)
print(json.dumps({"conforms": conforms}))
""",
    "export": """
import tempfile, time
from pathlib import Path
from policykg.export.writers import export
from policykg.query.run import load_graph
from policykg.export.views import build_view
g = load_graph(Path(OUT), "oxigraph")
out = {}
with tempfile.TemporaryDirectory() as tmp:
    for view, fmt in (("documents", "graphml"), ("departments", "gexf")):
        t = time.perf_counter()
        export(build_view(g, view), fmt, Path(tmp) / f"{view}.{fmt}")
        out[view] = time.perf_counter() - t
print(json.dumps(out))
""",
    "queries": """
import statistics, time
from pathlib import Path
from policykg.namespaces import PREFIXES
from policykg.query.library import named_queries
from policykg.query.run import answer, load_graph
t = time.perf_counter(); ox = load_graph(Path(OUT), "oxigraph"); open_s = time.perf_counter() - t
g = load_graph(Path(OUT), "rdflib") if RUNS else None  # rdflib only up to --rdflib-up-to documents
# parameters taken from the graph itself: a document with a 文号, a lead unit, a measure
first = next(iter(ox.query("SELECT ?d ?u ?m WHERE { ?d eli:id_local ?n ; eli:has_part ?m . ?m pkg:leadUnit ?u } "
                          "ORDER BY ?n ?m LIMIT 1", initNs=PREFIXES)))
SAMPLE = {"doc": str(first.d), "date": "2024-06-01", "unit": str(first.u), "text": "贴息", "node": str(first.m),
          "tier": "小巨人", "type": "贴息", "function": "工信"}
# the scoped queries are also run in one area: the one with the most documents of its own
area = next(iter(ox.query("SELECT ?a (COUNT(?d) AS ?n) WHERE { ?d eli:jurisdiction ?a } GROUP BY ?a "
                          "ORDER BY DESC(?n) STR(?a) LIMIT 1", initNs=PREFIXES)))
documents = int(next(iter(ox.query("SELECT (COUNT(?d) AS ?n) WHERE { ?d a pkg:PolicyDocument }", initNs=PREFIXES))).n)
out = {"_open_s": open_s, "_area": {"area": str(area.a).split("/area/", 1)[-1], "documents": int(area.n),
                                    "of": documents}}
for name, q in named_queries().items():
    given = {p.name: SAMPLE[p.name] for p in q.params if p.name in SAMPLE}
    local, remote, scoped = [], [], []
    for _ in range(RUNS):
        t = time.perf_counter(); here = answer(g, q, given)[1]; local.append(time.perf_counter() - t)
    for _ in range(OX_RUNS):
        t = time.perf_counter(); there = answer(ox, q, given)[1]; remote.append(time.perf_counter() - t)
    for _ in range(OX_RUNS if q.scope else 0):
        t = time.perf_counter(); part = answer(ox, q, given | {"area": str(area.a)})[1]
        scoped.append(time.perf_counter() - t)
    out[name] = {"rdflib": statistics.median(local) if local else None, "oxigraph": statistics.median(remote),
                 "rows": len(here) if RUNS else len(there), "rows_oxigraph": len(there),
                 "scoped": statistics.median(scoped) if scoped else None, "rows_scoped": len(part) if scoped else None}
print(json.dumps(out))
""",
}


def stage(name: str, corpus: Path, out: Path, store: Path, runs: int = 1, ox_runs: int = 3) -> tuple[float, float, dict]:
    """Run one stage in a fresh interpreter: wall time, peak memory (MiB), its JSON answer."""
    code = (f"import json\nCORPUS, OUT, STORE, RUNS, OX_RUNS = {str(corpus)!r}, {str(out)!r}, {str(store)!r}, {runs}, "
            f"{ox_runs}\n"
            + STAGES[name])
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", f"{code}\nimport resource as r\n"
                           "print('RSS', max(r.getrusage(r.RUSAGE_SELF).ru_maxrss, r.getrusage(r.RUSAGE_CHILDREN).ru_maxrss))"],
                          capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-2000:]}")
    lines = proc.stdout.strip().splitlines()
    rss_mib = int(lines[-1].split()[1]) / 1024
    return elapsed, rss_mib, json.loads(lines[-2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--baseline-up-to", type=int, default=1000)
    parser.add_argument("--rdflib-up-to", type=int, default=1000, help="named queries on rdflib up to this size")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the run to this file [default: a section of docs/performance.md]")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_corpus

    rows, query_tables = [], []
    run_id = time.strftime("%Y-%m-%dT%H:%M:%S")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus, out, store = Path(tmp) / "corpus", Path(tmp) / "graph", Path(tmp) / "store"
            expected = generate_corpus.write(corpus, n, seed=1)
            b_time, b_rss, b = stage("build", corpus, out, store)
            v_time, v_rss, v = stage("validate", corpus, out, store)
            runs = 0 if n > args.rdflib_up_to else 3 if n < 500 else 1  # rdflib at 1,000 documents: one run each
            _, _, q = stage("queries", corpus, out, store, runs, 3 if n < 10_000 else 1)  # Oxigraph: 1 run from 10,000 up
            _, _, x = stage("export", corpus, out, store)
            _, _, u = stage("update", corpus, out, store)
            row = {"documents": n, "files": len(expected), "triples": b["triples"], "build_s": b_time,
                   "build_peak_mib": b_rss, "validate_s": v_time, "validate_peak_mib": v_rss,
                   "violations": v["violations"], "warnings": v["warnings"], "store_open_s": q.pop("_open_s"),
                   "update_build_s": u["build_s"], "update_validate_s": u["validate_s"],
                   "export_documents_s": x["documents"], "export_departments_s": x["departments"]}
            if n <= args.baseline_up_to:
                bb_time, bb_rss, _ = stage("baseline_build", corpus, Path(tmp) / "baseline", store)
                bv_time, bv_rss, _ = stage("baseline_validate", corpus, Path(tmp) / "baseline", store)
                row.update({"baseline_build_s": bb_time, "baseline_validate_s": bv_time,
                            "baseline_peak_mib": max(bb_rss, bv_rss)})
            rows.append(row)
            query_tables.append((n, q))
            print(json.dumps(row), flush=True)
            # after each size: a long run stopped keeps what it measured
            written = write_results(args.out, rows, query_tables, run_id)
            print(f"wrote {written}", flush=True)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


PERFORMANCE = ROOT / "docs" / "performance.md"
RUNS_MARK = "<!-- scripts/bench_scale.py adds each run below this line -->"


def write_results(path: Path | None, rows: list[dict], query_tables, run_id: str) -> Path:
    """The run's report in ``path``, or as the newest section of docs/performance.md's results
    (replacing this run's section when an earlier size wrote it); the file written."""
    text = "\n".join(_report(rows, query_tables)) + "\n"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Scale benchmark\n\n" + text, "utf-8")
        return path
    start, end = f"<!-- run {run_id} -->", f"<!-- end of run {run_id} -->"
    doc = PERFORMANCE.read_text("utf-8")
    if start in doc:
        doc = doc[:doc.index(start)] + doc[doc.index(end) + len(end) + 1:]
    if RUNS_MARK not in doc:
        raise SystemExit(f"{PERFORMANCE}: no line {RUNS_MARK!r} to add the run below")
    sizes = ", ".join(f"{r['documents']:,}" for r in rows)
    section = f"{start}\n### {sizes} documents ({time.strftime('%Y-%m-%d')})\n\n{text}{end}\n"
    PERFORMANCE.write_text(doc.replace(RUNS_MARK + "\n", RUNS_MARK + "\n\n" + section, 1), "utf-8")
    return PERFORMANCE


def _report(rows: list[dict], query_tables) -> list[str]:
    lines = [
        f"`python scripts/bench_scale.py {' '.join(sys.argv[1:])}` at commit {_commit()} on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({time.strftime('%Y-%m-%d')}). Synthetic corpora from scripts/generate_corpus.py (seed 1).", "",
        "| documents | triples | build s | build peak MiB | validate s | validate peak MiB | violations "
        "| store open s | export s (documents GraphML + departments GEXF) | one document changed: rebuild s + revalidate s "
        "| baseline build s | baseline validate s | speed-up (build + validate) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ours = r["build_s"] + r["validate_s"]
        base = r.get("baseline_build_s", 0) + r.get("baseline_validate_s", 0)
        lines.append(
            f"| {r['documents']} | {r['triples']} | {r['build_s']:.1f} | {r['build_peak_mib']:.0f} | {r['validate_s']:.1f} "
            f"| {r['validate_peak_mib']:.0f} | {r['violations']} | {r['store_open_s']:.1f} "
            f"| {r['export_documents_s']:.1f} + {r['export_departments_s']:.1f} "
            f"| {r['update_build_s']:.1f} + {r['update_validate_s']:.1f} | "
            + (f"{r['baseline_build_s']:.1f} | {r['baseline_validate_s']:.1f} | {base / ours:.1f}× |" if base else "— | — | — |"))
    for n, q in query_tables:
        area = q.pop("_area", None)
        lines += ["", f"Named queries at {n} documents, median latency (ms)"
                  + (f"; in one area: {area['area']}, {area['documents']} of the {area['of']} documents:" if area else ":"),
                  "", "| query | rdflib | Oxigraph | rows | Oxigraph, one area | rows |", "|---|---:|---:|---:|---:|---:|"]
        for name, t in sorted(q.items()):
            same = "" if t["rows"] == t["rows_oxigraph"] else f" (Oxigraph {t['rows_oxigraph']})"
            local = "—" if t["rdflib"] is None else f"{t['rdflib'] * 1000:.0f}"
            scoped = ("— | —" if t.get("scoped") is None else f"{t['scoped'] * 1000:.0f} | {t['rows_scoped']}")
            lines.append(f"| {name} | {local} | {t['oxigraph'] * 1000:.0f} | {t['rows']}{same} | {scoped} |")
    return lines


if __name__ == "__main__":
    main()
