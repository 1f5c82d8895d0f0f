"""Duplicate detection: precision/recall on the labelled pairs, and the speed of pairs().

    .venv/bin/python -m bench.duplicates_eval            # sweep + timing
    .venv/bin/python -m bench.duplicates_eval --list     # also every pair with its score

The labelled set is tests/data/duplicate_pairs.csv (positive = `duplicate`; `related` and
`unrelated` are negatives). All distinct proposals of the set form one event: the index (and
so the idf) is built over them, and each labelled pair is scored inside it. Results are
described in docs/duplicates.md.
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
    THRESHOLD,
    DuplicateIndex,
    similarity,
)

CSV_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "duplicate_pairs.csv"
SWEEP = [round(0.10 + 0.05 * i, 2) for i in range(14)]  # 0.10 .. 0.75


def load_pairs(path=CSV_PATH):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def score_pairs(rows):
    """Score each labelled pair inside one index built over all distinct proposals of the set."""
    keys = {}
    for row in rows:
        for side in ("a", "b"):
            keys.setdefault((row[f"{side}_title"], row[f"{side}_body"]), len(keys))
    index = DuplicateIndex((number, title, body) for (title, body), number in keys.items())
    return [
        index.score(keys[(r["a_title"], r["a_body"])], keys[(r["b_title"], r["b_body"])])
        for r in rows
    ]


def confusion(scores, labels, threshold):
    tp = sum(1 for s, lab in zip(scores, labels, strict=True) if s >= threshold and lab)
    fp = sum(1 for s, lab in zip(scores, labels, strict=True) if s >= threshold and not lab)
    fn = sum(1 for s, lab in zip(scores, labels, strict=True) if s < threshold and lab)
    return tp, fp, fn


def f_beta(precision, recall, beta):
    if not precision and not recall:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def metrics(scores, labels, threshold):
    tp, fp, fn = confusion(scores, labels, threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, f_beta(precision, recall, 1), f_beta(precision, recall, 0.5), (
        f_beta(precision, recall, 2)
    )


def best_threshold(scores, labels, beta):
    return max(SWEEP, key=lambda t: (f_beta(*metrics(scores, labels, t)[:2], beta), t))


def sweep_table(rows, scores):
    labels = [r["label"] == "duplicate" for r in rows]
    print("| threshold | precision | recall | F1 | F0.5 | F2 | false pos. (related / unrelated) |")
    print("|---|---|---|---|---|---|---|")
    for t in SWEEP:
        p, r, f1, f05, f2 = metrics(scores, labels, t)
        fp_rel = sum(1 for s, row in zip(scores, rows, strict=True)
                     if s >= t and row["label"] == "related")
        fp_unr = sum(1 for s, row in zip(scores, rows, strict=True)
                     if s >= t and row["label"] == "unrelated")
        mark = " (THRESHOLD)" if t == THRESHOLD else " (HINT_THRESHOLD)" if t == HINT_THRESHOLD else ""
        print(f"| {t:.2f}{mark} | {p:.2f} | {r:.2f} | {f1:.2f} | {f05:.2f} | {f2:.2f} "
              f"| {fp_rel} / {fp_unr} |")


def distribution(rows, scores):
    print("\n| label | pairs | min | median | mean | max |")
    print("|---|---|---|---|---|---|")
    for label in ("duplicate", "related", "unrelated"):
        values = [s for s, r in zip(scores, rows, strict=True) if r["label"] == label]
        print(f"| {label} | {len(values)} | {min(values):.2f} | {statistics.median(values):.2f} "
              f"| {statistics.mean(values):.2f} | {max(values):.2f} |")


def cross_validation(rows, scores):
    """Two folds (odd / even rows): pick the threshold on one, measure on the other."""
    labels = [r["label"] == "duplicate" for r in rows]
    print("\nThreshold picked on one half, measured on the other (odd/even rows):")
    for beta, name in ((0.5, "F0.5 (precision first)"), (2, "F2 (recall first)")):
        for fold in (0, 1):
            train = [i for i in range(len(rows)) if i % 2 == fold]
            test = [i for i in range(len(rows)) if i % 2 != fold]
            t = best_threshold([scores[i] for i in train], [labels[i] for i in train], beta)
            p, r, *_ = metrics([scores[i] for i in test], [labels[i] for i in test], t)
            print(f"  {name}: fold {fold} picks {t:.2f}; other half: precision {p:.2f}, "
                  f"recall {r:.2f}")


# --- generated proposals for timing ----------------------------------------------------------

STARTS = ["Fler", "Bättre", "Billigare", "Säkrare", "Mer", "Bygg", "Inför", "Gratis", "Nya",
          "Inte fler", "Bredare", "Tryggare", "Belysta", "Trevligare"]
THINGS = ["cykelbanor", "bussar", "laddstolpar", "cykelställ", "träd", "solceller", "parkbänkar",
          "odlingslotter", "gångvägar", "reparationskaféer", "bilpooler", "pantstationer",
          "tågavgångar", "vattenposter", "återvinningsstationer", "lånecyklar", "gågator",
          "busshållplatser", "väderskydd", "fritidsbanker"]
PLACES = ["till universitetet", "vid resecentrum", "i centrum", "på Ålidhem", "vid skolorna",
          "i Holmsund", "längs älven", "på Ersboda", "vid sjukhuset", "i bostadsområdena",
          "på Teg", "vid Vasaplan", "på Mariehem", "i Sävar", "vid simhallen", ""]
SENTENCES = [
    "Det är mörkt och otryggt på vintern när man ska hem från jobbet.",
    "Många av oss har inte råd med bil och behöver kunna ta sig fram ändå.",
    "Barnen borde kunna ta sig till skolan själva utan att föräldrarna skjutsar.",
    "Det skulle minska utsläppen och göra staden trevligare att bo i.",
    "I andra kommuner har det fungerat bra, till exempel i Linköping och Lund.",
    "Bussen går för sällan och är ofta sen när det har snöat.",
    "Det finns för få platser och de som finns är alltid fulla på morgonen.",
    "Kommunen kan samarbeta med föreningar och företag i området.",
    "Gör det enkelt att göra rätt, då väljer fler det hållbara alternativet.",
    "Äldre och personer med funktionsnedsättning måste också kunna använda det.",
    "Plogningen måste fungera, annars står cyklarna still halva året.",
    "Det behövs bättre information om vad som redan finns.",
    "Man kunde börja med ett försök under ett år och sedan utvärdera.",
    "Pengarna kan tas från parkeringsavgifterna i centrum.",
    "Det handlar om trygghet, tillgänglighet och om klimatet.",
    "Ungdomarna på fritidsgården har pratat om det här länge.",
    "Sätt upp skyltar så att alla hittar, även de som inte pratar svenska.",
    "Det ska vara gratis eller väldigt billigt så att alla har råd.",
]


def generated_proposals(count=500, seed=2030, long_bodies=False):
    rng = random.Random(seed)
    proposals = []
    for number in range(count):
        title = " ".join(x for x in (rng.choice(STARTS), rng.choice(THINGS),
                                     rng.choice(PLACES)) if x)
        if long_bodies:
            sentences = 30
        else:
            sentences = rng.choices([0, 1, 2, 3, 5, 8, 14], [35, 20, 15, 10, 10, 6, 4])[0]
        body = " ".join(rng.choice(SENTENCES) for _ in range(sentences))[:1000]
        proposals.append((number, title[:120], body))
    return proposals


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def timing():
    print("\nTiming (best of 3, this machine):")
    for long_bodies, name in ((False, "realistic bodies"), (True, "every body 1,000 chars")):
        proposals = generated_proposals(long_bodies=long_bodies)
        mean_chars = statistics.mean(len(t) + len(b) for _, t, b in proposals)
        build, index = best_of(lambda p=proposals: DuplicateIndex(p))
        pair_time, found = best_of(index.pairs)
        hint_time, _ = best_of(lambda i=index: [i.similar(t, b) for _, t, b in proposals[:50]])
        print(f"  500 proposals, {name} (mean {mean_chars:.0f} chars): build {build:.3f} s, "
              f"pairs() {pair_time:.3f} s ({len(found)} pairs >= {THRESHOLD}), "
              f"similar() {hint_time / 50 * 1000:.1f} ms per call")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every pair with its score")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()

    rows = load_pairs()
    scores = score_pairs(rows)
    counts = {lab: sum(r["label"] == lab for r in rows) for lab in ("duplicate", "related",
                                                                     "unrelated")}
    print(f"{len(rows)} labelled pairs: {counts}\n")
    sweep_table(rows, scores)
    distribution(rows, scores)
    cross_validation(rows, scores)

    labels = [r["label"] == "duplicate" for r in rows]
    alone = [similarity(r["a_title"], r["a_body"], r["b_title"], r["b_body"]) for r in rows]
    p, r, *_ = metrics(alone, labels, THRESHOLD)
    print(f"\nEach pair scored on its own (idf over the two texts only) at {THRESHOLD}: "
          f"precision {p:.2f}, recall {r:.2f}")

    if args.list:
        print()
        for score, row in sorted(zip(scores, rows, strict=True), key=lambda x: -x[0]):
            print(f"{score:.2f} {row['label']:9} {row['a_title']} | {row['b_title']}")
    if not args.no_timing:
        timing()


if __name__ == "__main__":
    main()
