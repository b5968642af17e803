"""Slow, literal reference implementations the fast measures are checked against.

- ``dkpro_alpha_u``: a line-by-line port of DKPro Agreement's
  ``KrippendorffAlphaUnitizingAgreement`` (observed: walk of both coders' segmentations;
  expected: the sorted gap list), with one addition: ``breaks`` lists positions that a gap
  may not cross (document boundaries), each splitting a gap into two.
- ``semeval_partial``: the SemEval-2020 Task 11 scorer's ``compute_score_pr`` on sets of
  character offsets, with its overlapping-span merge, and P/R as the scorer computes them.
- ``char_arrays``: per-character category arrays, built here only, for scikit-learn,
  statsmodels and krippendorff.
"""

from __future__ import annotations

from fractions import Fraction


# --------------------------------------------------------------------------- DKPro port
def _segments(units, begin, length, breaks):
    """A coder's sorted units of one category, with gaps between them as (offset, length,
    None); a gap is cut at each break."""
    out = []
    pos = begin
    for offset, ln in sorted(units):
        if offset > pos:
            out.extend(_gap(pos, offset, breaks))
        out.append((offset, ln, "unit"))
        pos = offset + ln
    if pos < begin + length:
        out.extend(_gap(pos, begin + length, breaks))
    return out


def _gap(start, end, breaks):
    cuts = [start] + [b for b in sorted(breaks) if start < b < end] + [end]
    return [(a, b - a, None) for a, b in zip(cuts, cuts[1:])]  # noqa: RUF007


def measure_distance(offset1, length1, category1, offset2, length2, category2):
    begin_diff = offset1 - offset2
    length_diff = length1 - length2
    if category1 is not None and category2 is not None and -length1 < begin_diff < length2:
        return begin_diff**2 + (begin_diff + length_diff) ** 2
    if category1 is not None and category2 is None and -length_diff >= begin_diff >= 0:
        return length1**2
    if category1 is None and category2 is not None and -length_diff <= begin_diff <= 0:
        return length2**2
    return 0


def dkpro_category(units, raters, begin, length, category, breaks=()):
    """(D_o, D_e) for one category; units are (offset, length, rater, category)."""
    mine = [[(o, ln) for o, ln, r, c in units if r == k and c == category] for k in range(raters)]
    observed = 0
    for r1 in range(raters):
        for r2 in range(r1 + 1, raters):
            seg1 = _segments(mine[r1], begin, length, breaks)
            seg2 = _segments(mine[r2], begin, length, breaks)
            # every overlapping pair of segments, once (DKPro's walk visits exactly these)
            for o1, l1, c1 in seg1:
                for o2, l2, c2 in seg2:
                    if max(o1, o2) < min(o1 + l1, o2 + l2):
                        observed += measure_distance(o1, l1, c1, o2, l2, c2)
    d_o = Fraction(2 * observed, raters * (raters - 1) * length * length)

    lengths = [ln for k in range(raters) for _, ln in mine[k]]
    n_c = len(lengths)
    squared = sum(ln * (ln - 1) for ln in lengths)
    gap_list = sorted(
        (
            ln
            for k in range(raters)
            for _, ln, c in _segments(mine[k], begin, length, breaks)
            if c is None
        ),
        reverse=True,
    )
    total = Fraction(0)
    for l1 in lengths:
        sum1 = Fraction((n_c - 1) * (2 * l1**3 - 3 * l1**2 + l1), 3)
        sum2 = 0
        for gap in gap_list:
            if gap >= l1:
                sum2 += gap - l1 + 1
            else:
                break
        total += sum1 + sum2 * l1 * l1
    total *= Fraction(2, length)
    d_e = total / (raters * length * (raters * length - 1) - squared)
    return d_o, d_e


def dkpro_alpha_u(units, raters, begin, length, category=None, breaks=()):
    """alpha_U as DKPro computes it (returns None instead of dividing by zero)."""
    categories = sorted({c for _, _, _, c in units}) if category is None else [category]
    if not categories:
        return None
    pairs = [dkpro_category(units, raters, begin, length, c, breaks) for c in categories]
    d_o = sum(p[0] for p in pairs) / len(pairs)
    d_e = sum(p[1] for p in pairs) / len(pairs)
    if d_e == 0:
        return None
    return float(1 - d_o / d_e)


# --------------------------------------------------------------------- SemEval scorer
def _merge(annotations):
    """The scorer's merge_spans: each new annotation that overlaps an earlier one (same
    label) is unioned into it and removed; the grown one is then checked again (the
    scorer's recursive call), until nothing overlaps."""
    merged: list[list] = []
    for label, chars in annotations:
        merged.append([label, set(chars)])
        i = len(merged) - 1
        while True:
            j = next(
                (
                    j
                    for j in range(len(merged))
                    if j != i and merged[j][0] == merged[i][0] and merged[j][1] & merged[i][1]
                ),
                None,
            )
            if j is None:
                break
            merged[j][1] |= merged[i][1]
            del merged[i]
            i = j if j < i else j - 1
    return merged


def semeval_partial(reference, candidate, ignore_labels=False):
    """compute_score_pr: reference and candidate are {article: [(label, start, end)]}.
    Returns (prec_numerator, |candidate|, rec_numerator, |reference|)."""

    def prepare(spans):
        return {
            art: _merge([("*" if ignore_labels else lab, range(s, e)) for lab, s, e in rows])
            for art, rows in spans.items()
        }

    ref, cand = prepare(reference), prepare(candidate)
    prec = rec = 0.0
    for art, rows in cand.items():
        for s_label, s_chars in rows:
            for t_label, t_chars in ref.get(art, []):
                if s_label == t_label:
                    common = len(s_chars & t_chars)
                    prec += common / len(s_chars)
                    rec += common / len(t_chars)
    return prec, sum(map(len, cand.values())), rec, sum(map(len, ref.values()))


# --------------------------------------------------------------------- char arrays
def char_categories(length, spans, label=None):
    """One annotator's category per code point: '+'-joined sorted labels, or 'O'.
    With ``label``, binary: label or 'O'."""
    sets = [set() for _ in range(length)]
    for start, end, lab in spans:
        for k in range(start, end):
            sets[k].add(lab)
    if label is not None:
        return [label if label in s else "O" for s in sets]
    return ["+".join(sorted(s)) if s else "O" for s in sets]


def reference_char_measures(documents, spans, done, annotators, label=None):
    """Cohen (each pair), Fleiss and nominal alpha, overall or for one label, computed by
    scikit-learn, statsmodels and krippendorff on per-character arrays. Undefined (NaN or
    a refusal) becomes None."""
    import warnings

    import krippendorff
    import numpy as np
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    by = {}
    for a, d, s, e, lab in spans:
        by.setdefault((d, a), []).append((s, e, lab))
    full_rows = []  # items x raters, documents done by all
    alpha_columns = []  # per item, value per rater (or None)
    for doc in sorted(documents):
        finished = [a in done.get(doc, ()) for a in annotators]
        if not any(finished):
            continue
        cats = [
            char_categories(documents[doc], by.get((doc, a), []), label) if f else None
            for a, f in zip(annotators, finished)
        ]
        for k in range(documents[doc]):
            item = [c[k] if c is not None else None for c in cats]
            alpha_columns.append(item)
            if all(finished):
                full_rows.append(item)

    names = sorted({v for row in alpha_columns for v in row if v is not None})
    code = {n: i for i, n in enumerate(names)}

    def undefined_to_none(value):
        value = float(value)
        return None if np.isnan(value) or np.isinf(value) else value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohen = {}
        for i in range(len(annotators)):
            for j in range(i + 1, len(annotators)):
                if not full_rows:
                    cohen[(annotators[i], annotators[j])] = None
                    continue
                y1 = [row[i] for row in full_rows]
                y2 = [row[j] for row in full_rows]
                cohen[(annotators[i], annotators[j])] = undefined_to_none(cohen_kappa_score(y1, y2))
        if full_rows and len(annotators) >= 2:
            table, _ = aggregate_raters(np.array([[code[v] for v in row] for row in full_rows]))
            fleiss = undefined_to_none(fleiss_kappa(table, method="fleiss"))
        else:
            fleiss = None
        data = np.array(
            [
                [np.nan if row[r] is None else code[row[r]] for row in alpha_columns]
                for r in range(len(annotators))
            ],
            dtype=float,
        )
        try:
            alpha = undefined_to_none(
                krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            )
        except (ValueError, ZeroDivisionError, IndexError):
            alpha = None
    return {"cohen": cohen, "fleiss": fleiss, "alpha": alpha}
