"""A validation :class:`~policykg.validate.Report` as text, JSON or JUnit XML.

Text is grouped by document (its source file and 文号 or title), then the shared nodes
(organizations, tiers, areas); each finding names its rule, the node, and the quote of the
offending fact with its offsets. JUnit XML (junitparser) has one test case per document and
one for the OWL reasoning step, so CI systems show each document as passed or failed.
"""
from __future__ import annotations

import json
from itertools import groupby

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from policykg.validate.findings import Finding, Report

_MARK = {"violation": "✗ violation", "warning": "! warning", "info": "· info"}


SHARED = "shared nodes (organizations, tiers, areas, concepts)"


def _name(source_file: str | None, label: str) -> str:
    return f"{source_file or 'known only from references'} — {label}"


def _group(f: Finding) -> str:
    return SHARED if f.document is None else _name(f.source_file, f.document_label or f.document)


def render_text(report: Report) -> str:
    lines: list[str] = []
    for group, findings in groupby(report.findings, key=_group):
        lines.append(group)
        for f in findings:
            lines.append(f"  {_MARK[f.severity]}  {f.rule}: {f.message}")
            where = f"    at {f.focus}" + (f" {f.path}" if f.path else "") + (f" → {f.value}" if f.value else "")
            lines.append(where)
            if f.quote:
                quote = f.quote if len(f.quote) <= 120 else f.quote[:117] + "…"
                lines.append(f"    「{quote}」 ({f.source_file or ''} {f.start}–{f.end})")
        lines.append("")
    r = report.reasoner
    if r is not None:
        lines.append(f"OWL: {r.message}" + (f" in {r.seconds:.1f} s" if r.seconds else ""))
        lines.extend(f"  unsatisfiable: {c}" for c in r.unsatisfiable)
    lines.append(
        f"SHACL: {report.count('violation')} violation(s), {report.count('warning')} warning(s) "
        f"in {report.triples} triples ({report.shacl_seconds:.1f} s); 有效性 checked on {report.checked_on}"
    )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render_junit(report: Report, fail_on: str = "violation") -> str:
    failing = {"violation"} | ({"warning"} if fail_on == "warning" else set())
    suite = TestSuite("policykg validate")
    by_doc: dict[str, list[Finding]] = {_name(source, label): [] for source, label in report.documents}
    by_doc.setdefault(SHARED, [])
    for f in report.findings:
        by_doc.setdefault(_group(f), []).append(f)
    for group, findings in sorted(by_doc.items()):
        case = TestCase(group, classname="policykg.shacl")
        bad = [f for f in findings if f.severity in failing]
        if bad:
            case.result = [Failure(f"{f.rule}: {f.message}", type_=f.severity) for f in bad]
            case.result[0].text = "\n".join(
                f"{f.severity} {f.rule} at {f.focus}: {f.message}" + (f" 「{f.quote}」" if f.quote else "") for f in bad)
        others = [f for f in findings if f.severity not in failing]
        if others:
            case.system_out = "\n".join(f"{f.severity} {f.rule} at {f.focus}: {f.message}" for f in others)
        suite.add_testcase(case)
    if report.reasoner is not None:
        case = TestCase("OWL reasoning (HermiT)", classname="policykg.owl", time=round(report.reasoner.seconds, 3))
        if report.reasoner.status == "inconsistent":
            case.result = [Failure(report.reasoner.message, type_="inconsistent")]
        elif report.reasoner.status in ("skipped", "error"):
            case.result = [Skipped(report.reasoner.message)]
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    return xml.tostring().decode("utf-8") + "\n"
