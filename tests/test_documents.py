"""Document-level facts of each real document, as its text gives them."""
from __future__ import annotations

import datetime as dt

D = dt.date


def test_81_metadata(docs):
    d = docs["杭政办函-2023-81"]
    assert d.title.value == "杭州市人民政府办公厅关于打造全国专精特新名城的实施意见"
    assert d.doc_number.value == "杭政办函〔2023〕81号"
    assert [i.value for i in d.issuers] == ["杭州市人民政府办公厅"]
    # the signature wins over the page header's 成文日期 2024-05-29
    assert d.date_document.value == D(2023, 12, 27)
    assert d.date_publication.value == D(2024, 5, 29)
    assert d.entry_into_force.value == D(2024, 1, 27)
    assert d.no_longer_in_force.value == D(2025, 12, 31)
    assert d.stated_validity.value == "有效"
    assert d.jurisdiction == ("浙江省", "杭州市")
    assert d.is_draft.value is False


def test_81_body_extracted_once(built):
    """The page holds the body twice; the normalized view keeps one copy."""
    from policykg.ingest.normalize import normalize
    from tests.conftest import CORPUS

    text = (CORPUS / "hangzhou-2023-81.txt").read_text("utf-8")
    view = normalize("hangzhou-2023-81.txt", text)
    assert text.count("26.举办全市专精特新企业发展大会") == 2
    assert view.text.count("26.举办全市专精特新企业发展大会") == 1
    assert view.text.count("同时废止") == 1


def test_65_metadata(docs):
    d = docs["杭政办函-2025-65"]
    assert d.title.value == "关于深入打造全国专精特新名城的若干措施"  # the measures, not the cover notice
    assert d.doc_number.value == "杭政办函〔2025〕65号"
    assert [i.value for i in d.issuers] == ["杭州市人民政府办公厅"]
    assert d.date_document.value == D(2025, 12, 28)
    assert d.entry_into_force.value == D(2026, 2, 27)
    assert d.no_longer_in_force.value == D(2028, 12, 31)
    assert d.date_publication is None


def test_qiantang_placeholder_date_gives_bounds_not_a_day(docs):
    d = docs["杭州市钱塘区专精特新企业培育三年行动方案2024-2026年"]
    assert d.doc_number is None
    assert d.jurisdiction == ("浙江省", "杭州市", "钱塘区")
    assert d.entry_into_force is None
    b = d.entry_into_force_bounds.value
    assert (b.earliest, b.latest, b.written) == (D(2024, 1, 1), D(2024, 12, 31), "2024年X月X日")
    assert d.validity_years.value == 3
    end = d.no_longer_in_force_bounds.value
    assert (end.earliest, end.latest) == (D(2026, 12, 31), D(2027, 12, 30))
    assert d.no_longer_in_force is None


def test_draft_metadata(docs):
    d = docs["于进一步促进专精特新中小企业高质量发展的若干措施征求意见稿"]
    assert d.is_draft.value is True
    assert d.is_draft.evidence.exact == "征求意見稿"  # quoted as the source writes it
    assert d.title.value == "于进一步促进专精特新中小企业高质量发展的若干措施(征求意见稿)"
    # "来源:高新院 achie.org 日期:2023-11-16 点击:次": the reposting site's date, not the draft's
    assert d.date_publication is None
    assert d.jurisdiction == ("浙江省",)
    assert d.doc_number is None


def test_21_metadata(docs):
    d = docs["浙政办发-2024-21"]
    assert d.title.value == "浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见"
    assert [i.value for i in d.issuers] == ["浙江省人民政府办公厅"]
    assert d.date_document.value == D(2024, 6, 6)
    assert d.entry_into_force.value == D(2024, 7, 6)
    assert d.no_longer_in_force is None
    assert d.jurisdiction == ("浙江省",)


def test_warnings_name_file_and_line(built):
    messages = [str(d) for d in built[0].warnings]
    assert any(m.startswith("hangzhou-2023-81.txt:2: warning:") and "2024-05-29" in m and "2023-12-27" in m
               for m in messages)
    assert any(m.startswith("qiantang-2024-plan.txt:84:") and "2024年X月X日" in m for m in messages)
    assert not built[0].errors
