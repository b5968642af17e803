"""A store in a temporary folder for each format test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.store import Store


@pytest.fixture
def new_store(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    opened: list[Store] = []

    def make(name: str = "test.db") -> Store:
        store = Store.open(tmp_path / name, annotator="tester")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.conn.close()
