"""Resolving the units that 责任单位 lists name into organizations, across documents.

A unit is written relative to the document's jurisdiction (see
:mod:`policykg.reference.organizations`, the directory that says which names are one agency).
Each organization and each issuer gets the functions its name reads as (org:classification).
A name no rule reads becomes an organization of its own and a build warning.
"""
from __future__ import annotations

from dataclasses import replace

from policykg.records import Corpus, Diagnostic, OrganizationChange, OrganizationRecord
from policykg.reference.organizations import Directory, Resolution, canonical_form, level_char


def _record(corpus: Corpus, res: Resolution) -> OrganizationRecord:
    org = corpus.organizations.get(res.key)
    if org is None:
        org = corpus.organizations[res.key] = OrganizationRecord(
            res.key, res.pref_label, set(), res.area, res.stem, res.parent.key if res.parent else None,
            res.full_name, res.source, res.functions, res.collective)
        if res.parent:
            _record(corpus, res.parent)
    return org


def _issuers(corpus: Corpus, directory: Directory) -> dict[str, str]:
    """Each issuer's functions into ``corpus.issuer_functions``; the key each issuer's name
    reads as (江门市工信局) → the name it signs with (江门市工业和信息化局), so that a unit read
    as the same organization is the issuer's."""
    signed: dict[str, str] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for doc in sorted(corpus.documents.values(), key=lambda d: d.key):
        for issuer in doc.issuers:
            name = str(issuer.value)
            if (name, doc.jurisdiction) in seen:
                continue
            seen.add((name, doc.jurisdiction))
            res = directory.resolve(name, doc.jurisdiction)
            if not corpus.issuer_functions.get(name):
                corpus.issuer_functions[name] = res.functions
            if res.known and not res.collective and res.area:
                signed.setdefault(res.key, name)
    return signed


def resolve_organizations(corpus: Corpus, directory: Directory | None = None) -> list[Diagnostic]:
    """Fill ``corpus.organizations``, ``unit_organizations`` and ``organization_changes``
    from every measure's units; warnings for names the reference does not know."""
    directory = directory or Directory.load()
    diagnostics: list[Diagnostic] = []
    warned: set[str] = set()
    # the same few names recur in every document (half a million mentions at 20,000): each
    # name of each place is resolved, recorded and given its labels once
    resolved: dict[tuple[str, tuple[str, ...]], tuple[Resolution, OrganizationRecord]] = {}
    signed = _issuers(corpus, directory)
    for doc in sorted(corpus.documents.values(), key=lambda d: d.key):
        place = doc.jurisdiction
        for number, line, name, alternates in doc.summary().units_named:
            known = resolved.get((name, place))
            if known is None:
                res = directory.resolve(name, place)
                read_as = res.key
                if res.key in signed:  # 市工信局 of a document 江门市工业和信息化局 signs: the signer
                    res = replace(res, key=signed[res.key], pref_label=signed[res.key])
                org = _record(corpus, res)
                org.alt_labels.update(f for f in (name, canonical_form(name), res.key, read_as) if f != org.pref_label)
                known = resolved[(name, place)] = (res, org)
                if not res.known and res.key not in warned:
                    warned.add(res.key)
                    diagnostics.append(Diagnostic(
                        "warning", doc.source_file or doc.key, line,
                        f"unknown organization {name!r} in measure {number}: added as "
                        f"{res.key!r}; add it to reference/organizations.toml if it is another name "
                        "of a known agency"))
            res, org = known
            corpus.unit_organizations[(doc.key, name)] = res.key
            if alternates:
                org.alt_labels.update(alternates)
    for reorg in directory.reorganizations:
        for org in sorted(corpus.organizations.values(), key=lambda o: o.key):
            if org.stem != reorg["original"] or not org.area:
                continue
            # the level character of the organization's area (an issuer signs in full: 江门市…)
            char = level_char(org.area, directory.gazetteer.level(org.area[-1]) or "district")
            result = _record(corpus, directory.resolve(char + reorg["resulting"], org.area))
            corpus.organization_changes.append(
                OrganizationChange(org.key, result.key, reorg.get("date"), reorg["source"]))
    return diagnostics
