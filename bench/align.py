"""Alignment benchmark: shared passages on the seeds and on a generated 20 MB corpus.

Run: python bench/align.py [--articles 10000] [--bytes 2000] [--rate 0.5] [--copy 0.2]

The generated corpus is built deterministically from the shipped articles' sentences:
each article strings random sentences together, each sentence with ``--rate`` of its
words swapped for random corpus words (so articles share topic and vocabulary but not
whole runs), and ``--copy`` of the articles also take one sentence verbatim from an
earlier article, as outlets copy wire text. Those planted copies are the passages the
alignment must find; the figure printed is how many of them it found.

Each timing is printed next to baselines measured in the same run over the same text:
SHA-256 of every article (what importing a corpus costs anyway) and one pass that
tokenizes every article and hashes every 5-word shingle (the least any shingle method
must do). Ratios, not seconds, are what compare across machines. Nothing here runs as
a test.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import regex

from reader.core.align import align
from reader.core.model import Document
from reader.core.text import normalize_bytes, sha256

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
SENTENCE_END = regex.compile(r"(?<=[.!?…][”\"»)]?)\s+")


def seeds() -> list[Document]:
    docs = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = normalize_bytes(path.read_bytes(), str(path))
        docs.append(Document(id=path.stem, text=text, sha256=sha256(text)))
    return docs


def generate(
    base: list[Document], articles: int, size: int, rate: float, copy: float, seed: int = 6
) -> tuple[list[Document], list[tuple[int, int]]]:
    """Deterministic articles of about ``size`` bytes, and the (source, copy) pairs planted."""
    rng = random.Random(seed)
    sentences = [
        s for d in base for s in SENTENCE_END.split(d.text.replace("\n", " ")) if s.strip()
    ]
    vocabulary = sorted({w for d in base for w in WORD.findall(d.text)})
    bodies: list[list[str]] = []
    planted: list[tuple[int, int]] = []
    for i in range(articles):
        parts: list[str] = []
        length = 0
        while length < size:
            words = rng.choice(sentences).split()
            sentence = " ".join(rng.choice(vocabulary) if rng.random() < rate else w for w in words)
            parts.append(sentence)
            length += len(sentence.encode()) + 1
        if i and rng.random() < copy:
            source = rng.randrange(i)
            taken = max(bodies[source], key=lambda s: (len(s.split()), s))  # its longest sentence
            parts.insert(rng.randrange(len(parts) + 1), taken)
            planted.append((source, i))
        bodies.append(parts)
    docs = []
    for i, parts in enumerate(bodies):
        paragraphs = [" ".join(parts[k : k + 4]) for k in range(0, len(parts), 4)]
        text = "\n".join(paragraphs) + "\n"
        docs.append(Document(id=f"gen{i:05d}", text=text, sha256=sha256(text)))
    return docs, planted


def baseline_sha(docs: list[Document]) -> float:
    start = time.perf_counter()
    for d in docs:
        hashlib.sha256(d.text.encode("utf-8")).hexdigest()
    return time.perf_counter() - start


def baseline_shingles(docs: list[Document]) -> float:
    start = time.perf_counter()
    for d in docs:
        ids = [hash(w.casefold()) for w in WORD.findall(d.text)]
        list(map(hash, zip(ids, ids[1:], ids[2:], ids[3:], ids[4:])))
    return time.perf_counter() - start


def timed(docs: list[Document], repeat: int = 1) -> tuple[float, float, list]:
    """Best wall and CPU seconds of ``repeat`` runs (CPU time is steadier on a busy machine)."""
    best, cpu, result = float("inf"), float("inf"), []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = align(docs)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu, result


def cpu_of(baseline, docs: list[Document]) -> tuple[float, float]:
    start_cpu = time.process_time()
    wall = baseline(docs)
    return wall, time.process_time() - start_cpu


def report(name: str, docs: list[Document], repeat: int = 1) -> list:
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    words = sum(len(WORD.findall(d.text)) for d in docs)
    sha, sha_cpu = min(cpu_of(baseline_sha, docs) for _ in range(repeat))
    shingles, shingles_cpu = min(cpu_of(baseline_shingles, docs) for _ in range(repeat))
    seconds, cpu, result = timed(docs, repeat)
    exact = sum(r.kind == "exact" for r in result)
    print(f"{name}: {len(docs)} articles, {size / 1e6:.2f} MB, {words} words")
    print(f"  {'':16} {'wall ms':>10} {'cpu ms':>10}")
    found = f"{exact} exact, {len(result) - exact} near"
    print(f"  {'align':16} {seconds * 1000:10.1f} {cpu * 1000:10.1f}   {found}")
    for label, wall, used in (
        ("sha256 pass", sha, sha_cpu),
        ("shingle pass", shingles, shingles_cpu),
    ):
        ratio = f"align = {cpu / used:.1f}x this (cpu)" if used > 0 else ""
        print(f"  {label:16} {wall * 1000:10.1f} {used * 1000:10.1f}   {ratio}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--bytes", type=int, default=2_000, help="approximate size of one article")
    parser.add_argument(
        "--rate", type=float, default=0.5, help="share of words swapped per sentence"
    )
    parser.add_argument(
        "--copy", type=float, default=0.2, help="share of articles with a copied sentence"
    )
    args = parser.parse_args()

    base = seeds()
    report("seeds", base, repeat=20)

    start = time.perf_counter()
    docs, planted = generate(base, args.articles, args.bytes, args.rate, args.copy)
    print(f"\ngenerated in {time.perf_counter() - start:.1f} s")
    result = report("generated", docs)
    pairs = {(r.a.document, r.b.document) for r in result if r.kind == "exact"}
    found = sum((docs[min(s, c)].id, docs[max(s, c)].id) in pairs for s, c in planted)
    print(f"  planted copies found: {found} / {len(planted)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
