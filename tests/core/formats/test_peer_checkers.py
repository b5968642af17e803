"""reader's exports, read by the peers' own libraries.

spaCy comes with the ``peers`` extra (``pip install -e '.[test,peers]'``); without it
its test skips. label-studio-converter installs a top-level ``tests`` package that
would shadow this project's, so it runs in a virtual environment of its own::

    python3 -m venv /tmp/ls && /tmp/ls/bin/pip install label-studio-converter
    READER_LABEL_STUDIO_PYTHON=/tmp/ls/bin/python python -m pytest tests/core/formats/test_peer_checkers.py

dkpro-cassis is in the test extra, so its checks always run (test_xmi.py).
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from formats_helpers import document, export

from reader.core.formats.labelstudio import label_config

pytestmark = pytest.mark.slow

TEXT = "Tin nóng 😀: Ít nhất 164 người đã thiệt mạng ở Almaty 👨‍👩‍👧, Bộ Y tế cho biết.\n"


def _store_with_spans(new_store):
    store = new_store()
    store.sync_documents([document("tin", TEXT)])
    for words, label in (
        ("Ít nhất 164 người đã thiệt mạng", "casualty"),
        ("Bộ Y tế", "attribution"),
    ):
        start = TEXT.index(words)
        store.create("tin", start, start + len(words), label)
    return store


_CONVERT = """
import sys
from label_studio_converter.converter import Converter
config, export, out = sys.argv[1:]
Converter(config, out, download_resources=False).convert_to_conll2003(export, out, is_dir=False)
"""


def test_label_studio_converter_tags_exactly_the_exported_words(new_store, tmp_path):
    python = os.environ.get("READER_LABEL_STUDIO_PYTHON")
    if not python:
        pytest.skip("set READER_LABEL_STUDIO_PYTHON to a python with label-studio-converter")
    store = _store_with_spans(new_store)
    out = tmp_path / "ls.json"
    export(store, "labelstudio", out)
    config = label_config(store.schema)
    subprocess.run(
        [python, "-c", _CONVERT, config, str(out), str(tmp_path / "conll")],
        check=True, cwd=tmp_path, capture_output=True,
    )  # fmt: skip
    assert json.loads(out.read_text(encoding="utf-8"))[0]["data"]["document"] == "tin"
    rows = (tmp_path / "conll" / "result.conll").read_text(encoding="utf-8").splitlines()[1:]
    tagged: dict[str, list[str]] = {}
    for row in filter(None, rows):
        token, *_, tag = row.split(" ")
        if tag != "O":
            tagged.setdefault(tag[2:], []).append(token)
    assert tagged == {
        "casualty": ["Ít", "nhất", "164", "người", "đã", "thiệt", "mạng"],
        "attribution": ["Bộ", "Y", "tế"],
    }
