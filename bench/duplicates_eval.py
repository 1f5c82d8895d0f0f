"""Duplicate detection: precision/recall on the labelled pairs, and the speed of pairs().

    .venv/bin/python -m bench.duplicates_eval            # everything (under a minute)
    .venv/bin/python -m bench.duplicates_eval --list     # also every pair with its score
    .venv/bin/python -m bench.duplicates_eval --no-timing
    .venv/bin/python -m bench.duplicates_eval --languages  # the translated sets (issue 19)

The labelled set is tests/data/duplicate_pairs.csv (positive = `duplicate`; `related` and
`unrelated` are negatives). All distinct proposals of the set form one event: the index (and
so the idf) is built over them, and each labelled pair is scored inside it. The figures are
written up in docs/duplicates.md.
"""

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from participation.proposals.similarity import (  # noqa: E402
    HINT_THRESHOLD,
    STEM_WEIGHT,
    THRESHOLD,
    TITLE_BOOST,
    DuplicateIndex,
    similarity,
)

CSV_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "duplicate_pairs.csv"
# The same labelled pairs translated (issue 19): duplicate_pairs_<lang>.csv.
LANGUAGES = ("fi", "ar", "so", "fa", "uk")
SWEEP = [round(0.10 + 0.05 * i, 2) for i in range(14)]  # 0.10 .. 0.75
BOOSTS = (1.0, 1.5, 2.0, 3.0)
STEM_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def load_pairs(path=CSV_PATH):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def event_of(rows):
    """The distinct proposals of the labelled set, numbered: {(title, body): number}."""
    keys = {}
    for row in rows:
        for side in ("a", "b"):
            keys.setdefault((row[f"{side}_title"], row[f"{side}_body"]), len(keys))
    return keys


def score_pairs(rows, lang=None, **weights):
    """Score each labelled pair inside one index built over all distinct proposals of the set,
    every proposal tagged `lang` (None: untagged, the Swedish pipeline)."""
    keys = event_of(rows)
    index = DuplicateIndex(((n, title, body, lang) for (title, body), n in keys.items()),
                           **weights)
    return [
        index.score(keys[(r["a_title"], r["a_body"])], keys[(r["b_title"], r["b_body"])])
        for r in rows
    ]


def f_beta(precision, recall, beta):
    if not precision and not recall:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def precision_recall(scores, positives, threshold):
    pairs = list(zip(scores, positives, strict=True))
    tp = sum(1 for s, pos in pairs if s >= threshold and pos)
    fp = sum(1 for s, pos in pairs if s >= threshold and not pos)
    fn = sum(1 for s, pos in pairs if s < threshold and pos)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def best_threshold(scores, positives, beta):
    """The sweep threshold with the best F-beta; ties go to the higher threshold."""
    return max(SWEEP, key=lambda t: (f_beta(*precision_recall(scores, positives, t), beta), t))


def auc(positive_scores, negative_scores):
    """Probability that a random positive scores above a random negative (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive_scores for n in negative_scores)
    return wins / (len(positive_scores) * len(negative_scores))


def by_label(rows, scores, label):
    return [s for s, r in zip(scores, rows, strict=True) if r["label"] == label]


def sweep_table(rows, scores):
    positives = [r["label"] == "duplicate" for r in rows]
    print("| threshold | precision | recall | F1 | F0.5 | F2 | false positives: related "
          "| unrelated |")
    print("|---|---|---|---|---|---|---|---|")
    for t in SWEEP:
        p, r = precision_recall(scores, positives, t)
        fp_rel = sum(1 for s in by_label(rows, scores, "related") if s >= t)
        fp_unr = sum(1 for s in by_label(rows, scores, "unrelated") if s >= t)
        mark = {THRESHOLD: " THRESHOLD", HINT_THRESHOLD: " HINT_THRESHOLD"}.get(t, "")
        print(f"| {t:.2f}{mark} | {p:.2f} | {r:.2f} | {f_beta(p, r, 1):.2f} "
              f"| {f_beta(p, r, 0.5):.2f} | {f_beta(p, r, 2):.2f} | {fp_rel} | {fp_unr} |")
    print(f"\nBest F0.5 (precision first) at {best_threshold(scores, positives, 0.5):.2f}, "
          f"best F2 (recall first) at {best_threshold(scores, positives, 2):.2f} "
          f"(ties to the higher threshold).")
    dup_unr = [r["label"] != "related" for r in rows]
    kept = [s for s, keep in zip(scores, dup_unr, strict=True) if keep]
    kept_pos = [r["label"] == "duplicate" for r in rows if r["label"] != "related"]
    for name, t in (("THRESHOLD", THRESHOLD), ("HINT_THRESHOLD", HINT_THRESHOLD)):
        p, r = precision_recall(scores, positives, t)
        lp, _ = precision_recall(kept, kept_pos, t)
        print(f"{name} {t:.2f}: precision {p:.2f}, recall {r:.2f}; precision {lp:.2f} if "
              f"`related` pairs are left out (duplicates against unrelated only)")


def distribution(rows, scores):
    print("\n| label | pairs | min | median | mean | max |")
    print("|---|---|---|---|---|---|")
    for label in ("duplicate", "related", "unrelated"):
        values = by_label(rows, scores, label)
        print(f"| {label} | {len(values)} | {min(values):.2f} | {statistics.median(values):.2f} "
              f"| {statistics.mean(values):.2f} | {max(values):.2f} |")
    dup, rel, unr = (by_label(rows, scores, lab) for lab in ("duplicate", "related", "unrelated"))
    print(f"\nAUC (chance that a duplicate outscores a negative): against all negatives "
          f"{auc(dup, rel + unr):.2f}, against related {auc(dup, rel):.2f}, against unrelated "
          f"{auc(dup, unr):.2f}")


def weight_grid(rows):
    """Threshold-free ranking quality for other weights; returns {(boost, stems): scores}."""
    print("\nOther weights (AUC = chance that a duplicate outscores a negative):")
    print("| title boost | stem weight | AUC vs all negatives | AUC vs related | best F1 |")
    print("|---|---|---|---|---|")
    positives = [r["label"] == "duplicate" for r in rows]
    grid = {}
    for boost in BOOSTS:
        for stems in STEM_WEIGHTS:
            scores = grid[(boost, stems)] = score_pairs(rows, title_boost=boost, stem_weight=stems)
            dup = by_label(rows, scores, "duplicate")
            neg = [s for s, pos in zip(scores, positives, strict=True) if not pos]
            f1 = max(f_beta(*precision_recall(scores, positives, t), 1) for t in SWEEP)
            mark = " (chosen)" if (boost, stems) == (TITLE_BOOST, STEM_WEIGHT) else ""
            print(f"| {boost}{mark} | {stems} | {auc(dup, neg):.2f} "
                  f"| {auc(dup, by_label(rows, scores, 'related')):.2f} | {f1:.2f} |")
    return grid


def cross_validation(rows, grid):
    """Two folds (odd / even rows): choose on one half, measure on the other."""
    positives = [r["label"] == "duplicate" for r in rows]
    folds = [[i for i in range(len(rows)) if i % 2 == k] for k in (0, 1)]
    chosen = grid[(TITLE_BOOST, STEM_WEIGHT)]
    print("\nChosen on one half (odd or even rows), measured on the other:")
    for beta, name in ((0.5, "F0.5"), (2, "F2")):
        for k in (0, 1):
            train, test = folds[k], folds[1 - k]

            def pick(scores, idx=train, b=beta):
                return best_threshold([scores[i] for i in idx], [positives[i] for i in idx], b)

            t = pick(chosen)
            p, r = precision_recall([chosen[i] for i in test], [positives[i] for i in test], t)
            line = f"  {name}, half {k}: threshold {t:.2f} -> precision {p:.2f}, recall {r:.2f}"
            # Weights and threshold both chosen on the training half.
            (boost, stems), t2 = max(
                ((key, pick(scores)) for key, scores in grid.items()),
                key=lambda item: f_beta(*precision_recall(
                    [grid[item[0]][i] for i in train], [positives[i] for i in train], item[1]),
                    beta),
            )
            scores = grid[(boost, stems)]
            p2, r2 = precision_recall([scores[i] for i in test], [positives[i] for i in test], t2)
            print(f"{line}; weights too (boost {boost}, stems {stems}, {t2:.2f}) -> "
                  f"precision {p2:.2f}, recall {r2:.2f}")


def as_one_event(rows):
    """pairs() over the whole set as one event: how long the facilitator's list gets."""
    keys = event_of(rows)
    index = DuplicateIndex((n, title, body) for (title, body), n in keys.items())
    labelled = {
        frozenset((keys[(r["a_title"], r["a_body"])], keys[(r["b_title"], r["b_body"])])): r
        for r in rows
    }
    total = len(keys) * (len(keys) - 1) // 2
    print(f"\nThe set as one event ({len(keys)} proposals, {total} pairs), pairs():")
    print("| threshold | pairs listed | labelled duplicate | labelled related | labelled "
          "unrelated | unlabelled |")
    print("|---|---|---|---|---|---|")
    for t in sorted({HINT_THRESHOLD, THRESHOLD, 0.30, 0.40, 0.50}):
        found = index.pairs(t)
        hits = [labelled.get(frozenset((a, b))) for a, b, _ in found]
        count = {lab: sum(1 for h in hits if h and h["label"] == lab)
                 for lab in ("duplicate", "related", "unrelated")}
        print(f"| {t:.2f} | {len(found)} | {count['duplicate']} | {count['related']} "
              f"| {count['unrelated']} | {sum(1 for h in hits if h is None)} |")


# --- generated proposals for timing ----------------------------------------------------------


def generated_proposals(count=500, seed=2030, long_bodies=False):
    """Proposals for timing, made from the labelled set's own texts.

    Title: one of its distinct titles, with one word replaced by another word of the set in
    half the cases (so titles repeat and vary, as in a workshop on one question). Body: none
    for a third, otherwise a few of the set's bodies strung together, cut at 1,000 characters
    (`long_bodies`: always filled up to 1,000 characters, a stress case).
    """
    rng = random.Random(seed)
    rows = load_pairs()
    titles = sorted({row[f"{side}_title"] for row in rows for side in "ab"})
    bodies = sorted({row[f"{side}_body"] for row in rows for side in "ab"} - {""})
    words = sorted({word for text in titles + bodies for word in text.split()})
    proposals = []
    for number in range(count):
        title = rng.choice(titles).split()
        if rng.random() < 0.5:
            title[rng.randrange(len(title))] = rng.choice(words)
        parts = 20 if long_bodies else rng.choices([0, 1, 2, 3, 5, 8], [35, 25, 15, 10, 10, 5])[0]
        body = " ".join(rng.choice(bodies) for _ in range(parts))
        proposals.append((number, " ".join(title)[:120], body[:1000]))
    return proposals


def best_of(func, repeat=3, setup=lambda: None):
    """(best wall-clock seconds, best CPU seconds, result) of func(setup()) over `repeat` runs;
    setup is not timed."""
    walls, cpus = [], []
    for _ in range(repeat):
        prepared = setup()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func(prepared)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def timing():
    print("\nTiming, 500 generated proposals (best of 3; wall clock, CPU in brackets):")
    for long_bodies, name in ((False, "realistic"), (True, "stress: every body 1,000 chars")):
        proposals = generated_proposals(long_bodies=long_bodies)
        mean_chars = statistics.mean(len(t) + len(b) for _, t, b in proposals)
        build, build_cpu, index = best_of(DuplicateIndex, setup=lambda p=proposals: p)
        # A fresh index each time: the first pairs() call also orders the features.
        pair_time, pair_cpu, found = best_of(
            DuplicateIndex.pairs, setup=lambda p=proposals: DuplicateIndex(p)
        )
        queries = proposals[:50]
        hint, hint_cpu, _ = best_of(lambda q: [q[0].similar(t, b) for _, t, b in q[1]],
                                    setup=lambda i=index, q=queries: (i, q))
        print(f"  {name} (mean {mean_chars:.0f} chars): build {build:.2f} s ({build_cpu:.2f}), "
              f"pairs() {pair_time:.2f} s ({pair_cpu:.2f}) listing {len(found)} pairs >= "
              f"{THRESHOLD}, similar() {hint / len(queries) * 1000:.1f} ms "
              f"({hint_cpu / len(queries) * 1000:.1f}) per call")


def languages_table():
    """Each translated set scored as tagged (its language's pipeline) and untagged (the
    Swedish pipeline run on foreign text, as before proposals had a language)."""
    print("\n| set | pipeline | AUC vs all negatives | precision @THRESHOLD | recall @THRESHOLD "
          "| precision @HINT | recall @HINT |")
    print("|---|---|---|---|---|---|---|")
    for lang in ("sv", *LANGUAGES):
        path = CSV_PATH if lang == "sv" else CSV_PATH.with_name(f"duplicate_pairs_{lang}.csv")
        rows = load_pairs(path)
        positives = [r["label"] == "duplicate" for r in rows]
        for name, tag in (("tagged", lang), ("untagged", None)):
            if lang == "sv" and tag is None:
                continue
            scores = score_pairs(rows, lang=tag)
            dup = by_label(rows, scores, "duplicate")
            neg = [s for s, pos in zip(scores, positives, strict=True) if not pos]
            p, r = precision_recall(scores, positives, THRESHOLD)
            hp, hr = precision_recall(scores, positives, HINT_THRESHOLD)
            print(f"| {lang} | {name} | {auc(dup, neg):.2f} | {p:.2f} | {r:.2f} | {hp:.2f} "
                  f"| {hr:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every pair with its score")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--languages", action="store_true",
                        help="only the translated sets, tagged and untagged (docs/duplicates.md)")
    args = parser.parse_args()
    if args.languages:
        languages_table()
        return

    rows = load_pairs()
    scores = score_pairs(rows)
    counts = {lab: len(by_label(rows, scores, lab)) for lab in ("duplicate", "related",
                                                                 "unrelated")}
    print(f"{len(rows)} labelled pairs: {counts}; title boost {TITLE_BOOST}, "
          f"stem weight {STEM_WEIGHT}\n")
    sweep_table(rows, scores)
    distribution(rows, scores)
    cross_validation(rows, weight_grid(rows))
    as_one_event(rows)

    positives = [r["label"] == "duplicate" for r in rows]
    alone = [similarity(r["a_title"], r["a_body"], r["b_title"], r["b_body"]) for r in rows]
    p, r = precision_recall(alone, positives, THRESHOLD)
    pos = [s for s, positive in zip(alone, positives, strict=True) if positive]
    neg = [s for s, positive in zip(alone, positives, strict=True) if not positive]
    print(f"\nEach pair scored on its own (idf over its two texts only) at {THRESHOLD}: "
          f"precision {p:.2f}, recall {r:.2f}; AUC {auc(pos, neg):.2f}")

    if args.list:
        print()
        for score, row in sorted(zip(scores, rows, strict=True), key=lambda x: -x[0]):
            print(f"{score:.2f} {row['label']:9} {row['a_title']} | {row['b_title']}")
    if not args.no_timing:
        timing()


if __name__ == "__main__":
    main()
