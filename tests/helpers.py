"""Helpers the tests import: small documents, the shipped corpus, database digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reader.core.model import Document
from reader.core.text import normalize, sha256

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def make_document(doc_id: str, raw: str) -> Document:
    text = normalize(raw)
    return Document(id=doc_id, text=text, sha256=sha256(text), source=f"{doc_id}.txt")


def file_digest(path: Path) -> str:
    """Bytes of the database and its WAL: 'unchanged' means all of them are the same."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(str(path) + suffix)
        digest.update(part.read_bytes() if part.exists() else b"<none>")
    return digest.hexdigest()


VIETNAMESE = (
    "Ngày 8/1, lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn.\n"
    "Theo Bộ Y tế, 164 người thiệt mạng 😢 trong các cuộc bạo loạn.\n"
    "Ông Tokayev nói: “Trật tự đã được khôi phục”.\n"
)


#: The default schema's additions for a team whose ``source_of`` links carry attributes:
#: how sure the attribution is, and how many sources it names.
LINK_ATTRIBUTES = """
[links.source_of.attributes.certainty]
type = "enum"
values = ["sure", "hedged"]
description = "Whether the text attributes the claim firmly or with a hedge."

[links.source_of.attributes.sources]
type = "int"
minimum = 1
"""


def link_schema():
    """The default schema plus ``LINK_ATTRIBUTES``."""
    from importlib import resources

    from reader.core.labels_file import parse_schema

    raw = resources.files("reader.core").joinpath("labels.toml").read_bytes()
    return parse_schema(raw + LINK_ATTRIBUTES.encode(), "team.toml")
