"""Fixtures shared by every test: a fresh database, the shipped corpus, small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document


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
