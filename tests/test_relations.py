"""Relations between documents, and documents known only from references."""
from __future__ import annotations

import datetime as dt

import pytest


def _rel(built, kind):
    return {(r.source, r.target) for r in built[0].corpus.relations if r.kind == kind}


def test_repeals_with_evidence(built):
    assert _rel(built, "repeals") == {("杭政办函-2023-81", "杭政办函-2022-29"), ("浙政办发-2024-21", "浙政办发-2022-19")}
    rel = next(r for r in built[0].corpus.relations if r.kind == "repeals" and r.source == "杭政办函-2023-81")
    assert rel.evidence[0].exact.endswith("(杭政办函〔2022〕29号)同时废止")


def test_repeal_implies_last_day_in_force(docs):
    assert docs["杭政办函-2022-29"].no_longer_in_force.value == dt.date(2024, 1, 26)
    assert docs["浙政办发-2022-19"].no_longer_in_force.value == dt.date(2024, 7, 5)


@pytest.mark.parametrize("key", ["杭政办函-2022-29", "浙政办发-2022-19", "浙政办发-2017-15"])
def test_a_document_only_referenced_has_no_source_file(docs, key):
    assert docs[key].referenced_only and docs[key].source_file is None


def test_referenced_only_documents_carry_what_the_text_says(docs):
    d = docs["浙政办发-2017-15"]
    assert d.title.value == "关于推进中小企业“专精特新”发展的实施意见"
    assert d.jurisdiction == ("浙江省",)
    assert docs["杭政办函-2022-29"].title.value == "杭州市人民政府办公厅关于印发杭州市加快中小企业“专精特新”发展行动计划的通知"


def test_citations_and_implementation(built):
    cites = _rel(built, "cites")
    assert ("杭州市钱塘区专精特新企业培育三年行动方案2024-2026年", "杭政办函-2023-81") in cites
    assert ("杭州市钱塘区专精特新企业培育三年行动方案2024-2026年", "浙政办发-2017-15") in cites
    assert _rel(built, "implements") == {
        ("杭州市钱塘区专精特新企业培育三年行动方案2024-2026年", "杭政办函-2023-81"),
        ("杭州市钱塘区专精特新企业培育三年行动方案2024-2026年", "浙政办发-2017-15"),
    }
    # a standard named in 《》 is not a policy document
    assert not any("ISO56005" in t for _, t in cites)


def test_draft_matched_to_its_final(built):
    assert _rel(built, "draft_of") == {("于进一步促进专精特新中小企业高质量发展的若干措施征求意见稿", "浙政办发-2024-21")}
    rel = next(r for r in built[0].corpus.relations if r.kind == "draft_of")
    assert 0.6 <= rel.score <= 1 and "title similarity" in rel.method


def test_65_succeeds_81_without_a_repeal(built):
    assert _rel(built, "succeeds") == {("杭政办函-2025-65", "杭政办函-2023-81")}
    rel = next(r for r in built[0].corpus.relations if r.kind == "succeeds")
    assert [e.exact for e in rel.evidence] == ["有效期至2025年12月31日", "自2026年2月27日起施行"]
    assert ("杭政办函-2025-65", "杭政办函-2023-81") not in _rel(built, "repeals")
