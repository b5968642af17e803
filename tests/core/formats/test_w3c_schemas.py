"""The W3C export against the W3C's own test assertions (web-annotation-tests): every
"must" assertion of its annotations/ folder holds for every exported annotation.

The assertions are not committed: READER_W3C_TESTS names a copy of the
w3c/web-annotation-tests repository. They are JSON Schema (draft 4) files whose
``$ref``s name the files of its definitions/ folder by their ``id``.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
from formats_helpers import document, export

TESTS = os.environ.get("READER_W3C_TESTS")


def _musts(root: Path) -> tuple[list[tuple[str, dict]], dict[str, dict]]:
    store: dict[str, dict] = {}
    for path in root.rglob("*.json"):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:  # the repository holds a few non-JSON .json samples
            continue
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            store.setdefault(value["id"], value)
    musts = [
        (path.name, value)
        for path in sorted((root / "annotations").rglob("*.json"))
        if (value := json.loads(path.read_text(encoding="utf-8"))).get("assertionType") == "must"
    ]
    return musts, store


@pytest.mark.slow
@pytest.mark.skipif(not TESTS, reason="READER_W3C_TESTS is not set")
def test_every_must_assertion_holds_for_the_export(new_store, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    store = new_store()
    text = "Tin nóng 😀: Ít nhất 164 người đã thiệt mạng, Bộ Y tế cho biết.\n"
    store.sync_documents([document("vn", text)])
    claim = store.create("vn", 12, 43, "casualty", attributes={"value_best": 164}, note="ghi chú")
    source = store.create("vn", text.index("Bộ"), text.index("biết") + 4, "attribution")
    store.create_link(source.id, claim.id, "source_of")
    out = tmp_path / "w3c.jsonl"
    export(store, "w3c", out)
    annotations = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(annotations) == 3  # two spans and the linking annotation
    musts, schemas = _musts(Path(TESTS))
    assert len(musts) == 54  # the README's figure

    def failed(annotations: list[dict]) -> list[tuple[str, str]]:
        found = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # RefResolver: draft-4 ids
            for name, schema in musts:
                resolver = jsonschema.RefResolver(schema.get("id", ""), schema, store=schemas)
                validator = jsonschema.Draft4Validator(schema, resolver=resolver)
                found += [(name, a.get("id")) for a in annotations if not validator.is_valid(a)]
        return found

    assert failed(annotations) == []
    # The assertions do catch what the W3C model forbids, so the empty list above means something.
    no_context = {k: v for k, v in annotations[0].items() if k != "@context"}
    assert failed([no_context])
    selector = annotations[0]["target"]["selector"]
    moved = [s | {"start": str(s["start"])} if "start" in s else s for s in selector]
    assert failed([annotations[0] | {"target": annotations[0]["target"] | {"selector": moved}}])
