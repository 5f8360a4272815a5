"""Bad input: each a clear error or warning naming the file; the other documents still build."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from policykg.build import build
from policykg.cli import app
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # builds copies of the corpus

GOOD = {"杭政办函-2023-81", "杭政办函-2025-65", "浙政办发-2024-21"}


def _build(corpus, tmp_path):
    result = build(corpus, tmp_path / "out")
    return result, {str(d) for d in result.corpus.diagnostics}


def test_empty_file(corpus_copy, tmp_path):
    (corpus_copy / "empty.txt").write_bytes(b"")
    result, messages = _build(corpus_copy, tmp_path)
    assert "empty.txt: error: the file is empty" in messages
    assert result.corpus.documents.keys() >= GOOD


def test_binary_file(corpus_copy, tmp_path):
    (corpus_copy / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result, messages = _build(corpus_copy, tmp_path)
    assert any(m.startswith("picture.txt: error: not a text file") for m in messages)
    assert result.corpus.documents.keys() >= GOOD
    assert (tmp_path / "out" / "hangzhou-2023-81.ttl").is_file()


def test_gbk_file_is_read(corpus_copy, tmp_path):
    text = (CORPUS / "zhejiang-2024-21.txt").read_text("utf-8").replace("浙政办发〔2024〕21号", "浙政办发〔2024〕99号")
    (corpus_copy / "gbk.txt").write_bytes(text.encode("gbk", errors="replace"))
    result, _ = _build(corpus_copy, tmp_path)
    d = result.corpus.documents["浙政办发-2024-99"]
    assert d.title.value == "浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见"
    assert str(d.entry_into_force.value) == "2024-07-06"


def test_bom_keeps_offsets(corpus_copy, tmp_path):
    src = (CORPUS / "hangzhou-2025-65.txt").read_text("utf-8")
    (corpus_copy / "hangzhou-2025-65.txt").write_text("\ufeff" + src, "utf-8")
    result, _ = _build(corpus_copy, tmp_path)
    ev = result.corpus.documents["杭政办函-2025-65"].entry_into_force.evidence
    text = (corpus_copy / "hangzhou-2025-65.txt").read_text("utf-8")
    assert text[ev.start:ev.end] == ev.exact == "自2026年2月27日起施行"


def test_no_doc_number_is_a_warning(corpus_copy, tmp_path):
    text = (CORPUS / "hangzhou-2025-65.txt").read_text("utf-8").replace("杭政办函〔2025〕65号", "")
    (corpus_copy / "hangzhou-2025-65.txt").write_text(text, "utf-8")
    result, messages = _build(corpus_copy, tmp_path)
    assert "hangzhou-2025-65.txt: warning: no 文号 found in the document's head" in messages
    assert "关于深入打造全国专精特新名城的若干措施" in result.corpus.documents


def test_truncated_text_warns(corpus_copy, tmp_path):
    text = (CORPUS / "zhejiang-2024-21.txt").read_text("utf-8")
    (corpus_copy / "zhejiang-2024-21.txt").write_text(text[: text.index("完善梯度培育机制") + 200], "utf-8")
    result, messages = _build(corpus_copy, tmp_path)
    assert any(m.startswith("zhejiang-2024-21.txt:") and "truncated" in m for m in messages)
    assert any(m.startswith("zhejiang-2024-21.txt") and "incomplete" in m for m in messages)
    assert "浙政办发-2024-21" in result.corpus.documents
    assert {"杭政办函-2023-81", "杭政办函-2025-65"} <= result.corpus.documents.keys()


def test_changed_file_against_manifest(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    with open(corpus / "hangzhou-2025-65.txt", "a", encoding="utf-8") as fh:
        fh.write("\n追加的一行。")
    result, messages = _build(corpus, tmp_path)
    assert any(m.startswith("hangzhou-2025-65.txt: error: sha256") and "changed" in m for m in messages)
    assert "杭政办函-2025-65" not in result.corpus.documents
    assert "杭政办函-2023-81" in result.corpus.documents
    r = CliRunner().invoke(app, ["build", "--corpus", str(corpus), "--out", str(tmp_path / "cli")])
    assert r.exit_code == 1 and "hangzhou-2025-65.txt" in r.output and "Traceback" not in r.output


def test_missing_corpus_folder(tmp_path):
    r = CliRunner().invoke(app, ["build", "--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "no such corpus folder" in r.output


def test_corpus_without_manifest_builds(corpus_copy, tmp_path):
    result, _ = _build(corpus_copy, tmp_path)
    assert not result.errors and len(result.corpus.documents) == 9
