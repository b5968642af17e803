"""Fixtures shared by every test: a fresh database, the shipped corpus, small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document


@pytest.fixture(autouse=True)
def syllables(monkeypatch):
    """Words are syllables unless a test loads the segmenter (``words`` below): the app
    loads it in the background, and a test must not depend on when that finishes."""
    from reader.core.segments import unload_words

    monkeypatch.setenv("READER_WORDS", "syllables")
    yield
    unload_words()


@pytest.fixture
def words(monkeypatch):
    """Vietnamese words from the segmenter (skips where the ``words`` extra is absent)."""
    from reader.core.segments import load_words

    pytest.importorskip("underthesea")
    monkeypatch.delenv("READER_WORDS")
    assert load_words()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path, annotator="lan")
    yield s
    s.close()


@pytest.fixture
def vn_store(store: Store) -> Store:
    store.sync_documents(
        [make_document("vn1", VIETNAMESE), make_document("vn2", "中文 wide 👨‍👩‍👧 text.\n")]
    )
    return store


@pytest.fixture
def corpus_store(db_path: Path):
    """The shipped corpus in a fresh database, annotator "lan"."""
    from reader.core.corpus import read_corpus
    from tests.helpers import CORPUS

    s = Store.open(db_path, annotator="lan")
    s.sync_documents(read_corpus(CORPUS))
    yield s
    s.close()
