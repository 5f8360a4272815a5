"""Bad corpus inputs get a one-line message naming the file, and never lose the other
documents (issue 20)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policykg.build import build
from policykg.ingest.normalize import normalize
from tests.conftest import CORPUS

GOOD = "hangzhou-2023-81.txt"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    return folder


def _messages(folder: Path, tmp_path: Path) -> tuple[list[tuple[str, str, str]], int]:
    result = build(folder, tmp_path / "graph", jobs=1)
    docs = sum(not d.referenced_only for d in result.corpus.documents.values())
    return [(d.level, d.source_file, d.message) for d in result.corpus.diagnostics], docs


def _text() -> str:
    return (CORPUS / GOOD).read_text("utf-8")


@pytest.mark.parametrize("make, level, message", [
    (lambda f: (os.symlink("b.txt", f / "a.txt"), os.symlink("a.txt", f / "b.txt")), "error", "Too many levels"),
    (lambda f: os.symlink("/nonexistent", f / "a.txt"), "error", "cannot be read"),
    (lambda f: os.symlink("/etc/passwd", f / "passwd.txt"), "error", "outside the corpus folder: not read"),
    (lambda f: (f / "x.txt").mkdir(), "error", "not a file"),
    (lambda f: (f / "a.txt").write_text("Policy on SMEs. An English text only.\n"), "error", "not a Chinese text"),
])
def test_bad_entries_are_named_and_the_good_document_is_built(corpus, tmp_path, make, level, message):
    make(corpus)
    found, docs = _messages(corpus, tmp_path)
    assert docs == 1 and any(lv == level and message in m for lv, _, m in found), found


def test_a_manifest_that_is_a_folder_is_an_error(corpus, tmp_path):
    (corpus / "manifest.toml").mkdir()
    found, _ = _messages(corpus, tmp_path)
    assert any("manifest.toml: not a file" in m for _, _, m in found)


@pytest.mark.parametrize("entry, message", [
    ('[[file]]\nname = 3\noriginal_name = "a"\ndescription = "d"\nsha256 = "x"\n', "name must be text"),
    ('file = 3\n', "'file' must be a list"),
    ('file = [1, 2]\n', "entry 1 is not a [[file]] table"),
])
def test_manifest_values_of_the_wrong_type(corpus, tmp_path, entry, message):
    (corpus / "manifest.toml").write_text(entry, "utf-8")
    found, _ = _messages(corpus, tmp_path)
    assert any(message in m for _, _, m in found), found


def test_an_empty_corpus_says_so(tmp_path):
    (tmp_path / "corpus").mkdir()
    found, _ = _messages(tmp_path / "corpus", tmp_path)
    assert [(lv, m) for lv, _, m in found] == [("warning", "the corpus folder holds no .txt file")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_texts_are_read(corpus, tmp_path, encoding):
    (corpus / GOOD).write_bytes(_text().encode(encoding))
    result = build(corpus, tmp_path / "graph", jobs=1)
    assert result.corpus.documents["杭政办函-2023-81"].entry_into_force.value.isoformat() == "2024-01-27"


def test_a_file_cut_inside_a_character_is_kept_with_a_warning_naming_the_offset(corpus, tmp_path):
    data = _text().encode("utf-8")
    (corpus / GOOD).write_bytes(data + "专".encode()[:2])
    found, docs = _messages(corpus, tmp_path)
    assert docs == 1 and any(f"not UTF-8 at offset(s) {len(data)}" in m for _, _, m in found), found


def test_old_mac_line_ends_keep_the_title(corpus, tmp_path):
    (corpus / GOOD).write_bytes(_text().replace("\n", "\r").encode("utf-8"))
    result = build(corpus, tmp_path / "graph", jobs=1)
    assert result.corpus.documents["杭政办函-2023-81"].title.value == "杭州市人民政府办公厅关于打造全国专精特新名城的实施意见"
    view = normalize("x.txt", "第一行\r第二行\r\n第三行")
    assert view.text == "第一行\n第二行\n第三行" and view.evidence(4, 7).exact == "第二行"


def test_a_document_that_repeals_itself_is_warned_about(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "杭州市人民政府办公厅关于打造全国专精特新名城的实施意见\n杭政办函〔2023〕81号\n各区、县（市）人民政府，市政府各部门、各直属单位：\n"
        "为深入推进全市专精特新企业高质量发展，打造全国专精特新名城，经市政府同意，现提出如下意见，请认真贯彻执行落实相关工作要求。\n"
        "本意见自2024年1月27日起施行，杭政办函〔2023〕81号同时废止。\n杭州市人民政府办公厅\n2023年12月27日\n", "utf-8")
    found, docs = _messages(folder, tmp_path)
    assert docs == 1 and any(f == "a.txt" and "repeals itself ('杭政办函〔2023〕81号同时废止。')" in m for _, f, m in found)


def test_one_doc_number_in_two_files_keys_each_by_its_file_and_doc_is_ambiguous(tmp_path):
    from policykg.query.library import QueryError
    from policykg.query.params import resolve_document
    from policykg.query.run import load_graph
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("b.txt", "a.txt"):
        shutil.copy(CORPUS / GOOD, folder / name)
    result = build(folder, tmp_path / "graph", jobs=1)
    assert {"杭政办函-2023-81-a", "杭政办函-2023-81-b"} <= set(result.corpus.documents)
    assert sum("is also the document of" in d.message for d in result.corpus.diagnostics) == 2
    g = load_graph(tmp_path / "graph")
    with pytest.raises(QueryError, match="ambiguous: it matches doc/杭政办函-2023-81-a, doc/杭政办函-2023-81-b"):
        resolve_document(g, "杭政办函〔2023〕81号")
    assert str(resolve_document(g, "杭政办函-2023-81-b")).endswith("/doc/杭政办函-2023-81-b")
