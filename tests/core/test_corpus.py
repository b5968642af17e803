"""Article files become Documents, or every problem is listed and nothing is imported."""

from __future__ import annotations

import unicodedata

import pytest

from reader.cli.common import DEFAULT_CORPUS
from reader.core.corpus import MAX_DOCUMENT_BYTES, read_corpus, read_paths
from reader.core.errors import CorpusError
from reader.core.text import sha256
from tests.helpers import CORPUS


def test_shipped_corpus_reads_five_documents_sorted_by_id():
    docs = read_corpus(CORPUS)
    assert [d.id for d in docs] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert len(docs) == 5 and DEFAULT_CORPUS == "corpus"
    for doc in docs:
        assert doc.sha256 == sha256(doc.text)
        assert unicodedata.is_normalized("NFC", doc.text) and "\r" not in doc.text


def test_nfd_crlf_bom_file_is_normalized(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff".encode() + unicodedata.normalize("NFD", "Việt\r\nNam\r").encode())
    [doc] = read_paths([path])
    assert doc.text == "Việt\nNam\n"


@pytest.mark.parametrize(
    "name, content, match",
    [
        ("bad.txt", b"ok\n\xc3\x28", r"bad\.txt: not UTF-8: byte offset 3"),
        ("utf16.txt", "Xin chào".encode("utf-16"), r"utf16\.txt: UTF-16"),
        ("zero.txt", b"abc\x00def", r"zero\.txt: binary file: NUL byte at byte offset 3"),
        ("empty.txt", b"", r"empty\.txt: file is empty"),
        ("blank.txt", b"  \n\t\r\n", r"blank\.txt: file holds only white space"),
        ("bad name.txt", b"text", r"not a safe name"),
        ("con.txt", b"text", r"reserved device name"),
    ],
)
def test_bad_files_are_refused_with_path_and_reason(tmp_path, name, content, match):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(CorpusError, match=match):
        read_paths([tmp_path])


def test_every_problem_is_listed_and_good_files_are_not_returned(tmp_path):
    (tmp_path / "good.txt").write_text("Tốt")
    (tmp_path / "bad.txt").write_bytes(b"\xff")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    with pytest.raises(CorpusError) as info:
        read_paths([tmp_path])
    assert len(info.value.problems) == 2
    assert "2 files refused, nothing imported" in str(info.value)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no 20 MB written
    with pytest.raises(CorpusError, match=f"over the limit of {MAX_DOCUMENT_BYTES} bytes"):
        read_paths([big])


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        read_corpus(tmp_path / "nowhere")


def test_files_whose_stamp_the_store_knows_are_skipped_until_a_newer_version_is_imported(tmp_path):
    from reader.core.corpus import read_corpus_changes
    from reader.core.store import Store
    from tests.helpers import make_document

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "vn1.txt").write_text("Lực lượng an ninh bắt giữ 4.500 người.\r\n", encoding="utf-8")
    (folder / "vn2.txt").write_text("Ngày 8/1.\n", encoding="utf-8")
    with Store.open(tmp_path / "a.db", annotator="lan") as store:
        documents, files, skipped = read_corpus_changes(folder, store.corpus_files())
        assert [d.id for d in documents] == ["vn1", "vn2"] and skipped == 0
        store.sync_documents(documents, files)
        assert read_corpus_changes(folder, store.corpus_files()) == ([], {}, 2)
        # Another version of vn1 arrives by `reader import`: the corpus file is read
        # again and, its text differing from the latest, stored as the next version.
        store.sync_documents([make_document("vn1", "Một văn bản khác.")])
        documents, files, skipped = read_corpus_changes(folder, store.corpus_files())
        assert [d.id for d in documents] == ["vn1"] and skipped == 1
        assert store.sync_documents(documents, files).versioned == ("vn1",)
        assert store.document("vn1").text.startswith("Lực lượng")
