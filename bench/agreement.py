"""Time the full agreement report on a corpus-sized input, next to one plain pass over
the same rows, in the same run (the machine's speed cancels out of the ratio).

    python bench/agreement.py [--spans 1000000] [--documents 10000] [--annotators 3]
                              [--per-document] [--repeat 3]

The input is generated in memory, deterministically (fixed seed): documents of 2,000 to
20,000 code points; in each, a set of "true" spans that every annotator copies with
noise (boundaries moved, labels changed, spans missed or invented, a few overlaps);
one document in twenty is left not done by one annotator, so Krippendorff's alpha has
missing data to handle. Target (issue 5): the full report under 10 s for 1M spans.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core.agreement.report import agreement_report

LABELS = ("PER", "LOC", "ORG", "EVENT", "DATE", "QUOTE")


def generate(spans: int, documents: int, annotators: int, seed: int = 20220105):
    rng = random.Random(seed)
    names = [f"annotator{k}" for k in range(annotators)]
    lengths = {f"doc{d:05d}": rng.randint(2_000, 20_000) for d in range(documents)}
    rows: list[tuple[str, str, int, int, str]] = []
    done: dict[str, set[str]] = {}
    per_document = spans // documents
    extra = spans - per_document * documents
    for d, (doc, length) in enumerate(lengths.items()):
        want = per_document + (1 if d < extra else 0)
        per_annotator = [
            want // annotators + (1 if k < want % annotators else 0) for k in range(annotators)
        ]
        truth = _truth(rng, length, max(per_annotator))
        for name, count in zip(names, per_annotator):
            for start, end, label in truth[:count]:
                roll = rng.random()
                if roll < 0.08:  # invented elsewhere
                    start = rng.randrange(0, length - 40)
                    end = start + rng.randint(1, 40)
                elif roll < 0.30:  # boundaries moved
                    start = max(0, start + rng.randint(-4, 4))
                    end = min(length, max(start + 1, end + rng.randint(-4, 4)))
                if rng.random() < 0.07:
                    label = rng.choice(LABELS)
                rows.append((name, doc, start, end, label))
        finished = set(names)
        if d % 20 == 19:
            finished.discard(names[d % annotators])
        done[doc] = finished
    return lengths, rows, done


def _truth(rng: random.Random, length: int, count: int) -> list[tuple[int, int, str]]:
    """``count`` spans over the document, mostly apart, sometimes overlapping."""
    step = length // (count + 1)
    spans = []
    for k in range(count):
        start = k * step + rng.randrange(0, max(1, step // 2))
        end = min(length, start + rng.randint(3, max(4, min(60, step + 10))))
        spans.append((start, end, rng.choice(LABELS)))
    rng.shuffle(spans)
    return spans


def plain_pass(rows) -> dict[tuple[str, str], int]:
    """The baseline: touch every row once (characters covered per document and annotator)."""
    covered: dict[tuple[str, str], int] = {}
    for annotator, document, start, end, _label in rows:
        key = (document, annotator)
        covered[key] = covered.get(key, 0) + end - start
    return covered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--per-document", action="store_true", help="also per-document values")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()

    began = time.perf_counter()
    documents, rows, done = generate(args.spans, args.documents, args.annotators)
    generated = time.perf_counter() - began
    print(
        f"input: {len(rows):,} spans, {len(documents):,} documents "
        f"({sum(documents.values()):,} code points), {args.annotators} annotators "
        f"(generated in {generated:.2f} s)"
    )

    baseline = full = float("inf")
    for _ in range(args.repeat):  # interleaved, best of each: other load hits both alike
        began = time.perf_counter()
        plain_pass(rows)
        baseline = min(baseline, time.perf_counter() - began)
        began = time.perf_counter()
        report = agreement_report(documents, rows, done, per_document=args.per_document)
        full = min(full, time.perf_counter() - began)
    json.dumps(report, allow_nan=False)

    print(f"best of {args.repeat} runs each")
    print(f"plain pass over the rows:  {baseline:7.3f} s")
    print(f"full agreement report:     {full:7.3f} s  ({full / baseline:.0f}x the plain pass)")
    print(f"target (issue 5):           10.000 s  -> {'met' if full < 10 else 'MISSED'}")
    overall = report["overall"]
    print(
        f"documents compared: {len(report['documents']):,}; alpha uses "
        f"{len(report['alpha_documents']):,}; Fleiss {overall['char_fleiss_kappa']:.4f}, "
        f"alpha {overall['char_krippendorff_alpha']:.4f}, "
        f"alpha_U {overall['krippendorff_alpha_unitizing']:.4f}"
    )


if __name__ == "__main__":
    main()
