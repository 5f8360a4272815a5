"""The normalized view and its map back to the original text."""
from __future__ import annotations

import pytest

from policykg.ingest.normalize import normalize
from tests.conftest import CORPUS


def _view(name):
    return normalize(name, (CORPUS / name).read_text("utf-8"))


def test_traditional_and_pinyin_become_simplified():
    v = _view("zhejiang-2023-draft.txt")
    assert "专精特新中小企业高质量发展" in v.text
    assert "(yè)" not in v.text and "業" not in v.text
    i = v.text.index("省经信厅")
    ev = v.evidence(i, i + 4)
    assert ev.exact == "省經信廳"


def test_site_navigation_dropped():
    v = _view("zhejiang-2023-draft.txt")
    assert "当前位置" not in v.text and "- 高新院新闻" not in v.text and not v.text.startswith("Network")


def test_page_break_inside_a_sentence_is_joined():
    v = _view("hangzhou-2025-65.txt")
    assert "前移培育关口，参照国家、省重点支持" in v.text
    i = v.text.index("前移培育关口，参照")
    ev = v.evidence(i, i + 9)
    assert "\n\n" in ev.exact  # the quote is the original, page break and all


def test_bookmarks_removed():
    v = _view("qiantang-2024-plan.txt")
    assert "bookmark" not in v.text
    assert "\t270" in v.text


def test_markdown_marks_removed():
    v = _view("zhejiang-2024-21.txt")
    assert "#" not in v.text and "**" not in v.text
    assert "四、助力拓展国内外市场" in v.text


def test_headings_and_signature_lines_are_not_joined():
    v = _view("zhejiang-2024-21.txt")
    assert "\n浙江省人民政府办公厅\n\n2024 年 6 月 6 日" in v.text


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_offsets_are_monotonic(name):
    v = _view(name)
    assert all(a < b for a, b in zip(v.offsets, v.offsets[1:], strict=False)), name
