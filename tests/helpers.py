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
