"""Similar proposals: the hint while a resident types, and the facilitator's duplicate pairs.

Pure functions over plain strings: no Flask, no database, no downloaded corpus. The method and
the measured figures are in docs/duplicates.md; in short, for one text:

1. words: TextBlob with our tokenizer (`SwedishWordTokenizer`: runs of Unicode letters and
   digits, lower-cased; `.tokens`, never `.words`, which would need the punkt corpus);
2. drop Swedish stop words (`stopwords_sv.STOP_WORDS`, which keeps "fler", "inte", "mer" …);
3. two kinds of features: Snowball Swedish stems of the words (plus two small fixes, see
   `stem`), and character trigrams of each remaining word padded with a space on each side
   (so "cykelparkering" still meets "parkering för cyklar", and a typo costs a few trigrams,
   not the whole word);
4. each kind weighted TF-IDF (sublinear tf, smoothed idf over the event's proposals, plus the
   candidate when one is being typed) and compared by cosine.

Title and body form one text in which a title word counts `TITLE_BOOST` times. The score is
`STEM_WEIGHT` * cosine(stems) + (1 - `STEM_WEIGHT`) * cosine(trigrams), in 0..1.

A proposal in another language (its `lang`, proposals/language.py) skips the Swedish steps:
no Swedish stop words, and its "stems" are Snowball's for English, Finnish and Arabic and the
words themselves for Somali, Persian and Ukrainian (no stemmer ships for them), so the
character trigrams carry the fuzzy matching. Unknown (`None`) is Swedish, as before tags.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from textblob import TextBlob
from textblob.base import BaseTokenizer

from .stopwords_sv import STOP_WORDS

# Thresholds, chosen on the labelled set (tests/data/duplicate_pairs.csv) by the rule in
# docs/duplicates.md: the best F0.5 of the sweep for the facilitator's suggestion list
# (precision counts double: a wrong suggestion costs the facilitator's attention in front of
# the room) and the best F2 for the hint while a resident types (recall counts double: the
# resident glances at up to five proposals and decides, a wrong one costs little).
THRESHOLD = 0.25  # pairs(): precision 0.55, recall 0.91 on the labelled set
HINT_THRESHOLD = 0.15  # similar(): precision 0.52, recall 1.00 on the labelled set

# A word in the title counts as TITLE_BOOST occurrences (a body word as one).
TITLE_BOOST = 1.5
# Share of the score given to the cosine over stems; the rest goes to character trigrams.
STEM_WEIGHT = 0.25

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


class SwedishWordTokenizer(BaseTokenizer):
    """Words as runs of Unicode letters and digits (å, ä, ö, é, 2030 …), lower-cased.

    Punctuation and underscores separate words. A hyphen inside a word joins its parts
    ("el-cykel" -> "elcykel", as the compound is usually written); a hyphen followed by a space
    ("cykel- och gångväg") or standing alone is punctuation. Text is NFKC-normalised first, so
    an "å" typed as "a" + combining ring is the same letter.
    """

    def tokenize(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        return [match.group().replace("-", "") for match in _WORD.finditer(text)]


TOKENIZER = SwedishWordTokenizer()
_SNOWBALL = SnowballStemmer("swedish")  # the algorithm ships in the nltk package: no corpus
_AN = ("plan", "vegan")  # "-an" endings that are not the definite form (see `stem`)


def tokens(text: str) -> list[str]:
    """All word tokens of `text`, lower-cased, through TextBlob with our tokenizer."""
    return [str(token) for token in TextBlob(text or "", tokenizer=TOKENIZER).tokens]


def content_words(text: str) -> list[str]:
    """The tokens of `text` that are not Swedish stop words."""
    return [word for word in tokens(text) if word not in STOP_WORDS]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball Swedish stem of a lower-cased word, with two fixes measured on proposals.

    - Snowball removes "-lig" ("billigare" -> "bil", the same stem as "bil", car; "farlig" ->
      "far"). We keep "lig" on the stem: "billig", "billigare", "billigast" -> "billig".
    - Snowball leaves the definite "-an" of nouns in "-a" untouched ("cykelbanan", "gatan")
      while it stems "cykelbana" and "cykelbanor" to "cykelban". When Snowball leaves a word of
      five or more letters ending in "-an" unchanged, we stem it as the "-a" form instead:
      "cykelbanan" -> "cykelbana" -> "cykelban", "gatan" -> "gat". Words ending in "plan" and
      "vegan" are left alone ("Vasaplan", "detaljplan"); "stan", "plan" are too short anyway.
    Snowball only ever removes a suffix, so its stem is a prefix of the word.
    """
    stemmed = _SNOWBALL.stem(word)
    if word[len(stemmed) :].startswith("lig"):
        return stemmed + "lig"
    if stemmed == word and len(word) >= 5 and word.endswith("an") and not word.endswith(_AN):
        return _SNOWBALL.stem(word[:-1])
    return stemmed


def trigrams(words: Iterable[str]) -> Counter[str]:
    """Character trigrams of each word padded with a space on both sides (word boundaries)."""
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


SWEDISH = (None, "sv")
# Snowball stemmers of other shipped languages, in nltk's package (no corpus to download).
_OTHER_STEMMERS = {"en": "english", "fi": "finnish", "ar": "arabic"}


@lru_cache(maxsize=8)
def _snowball(language: str) -> SnowballStemmer:
    return SnowballStemmer(language)


@lru_cache(maxsize=50_000)
def stem_in(word: str, lang: str | None) -> str:
    """`stem` for Swedish (and unknown); another language's Snowball stem, else the word."""
    if lang in SWEDISH:
        return stem(word)
    language = _OTHER_STEMMERS.get(lang)
    return _snowball(language).stem(word) if language else word


def _features(text: str, lang: str | None = None) -> tuple[Counter[str], Counter[str]]:
    words = content_words(text) if lang in SWEDISH else tokens(text)
    return Counter(stem_in(word, lang) for word in words), trigrams(words)


def features(
    title: str, body: str | None, title_boost: float = TITLE_BOOST, lang: str | None = None
) -> tuple[Counter[str], Counter[str]]:
    """Feature counts (stems, trigrams) of a proposal; a title occurrence counts `title_boost`."""
    title_stems, title_grams = _features(title, lang)
    body_stems, body_grams = _features(body or "", lang)
    result = []
    for in_title, in_body in ((title_stems, body_stems), (title_grams, body_grams)):
        counts = Counter({feature: title_boost * n for feature, n in in_title.items()})
        counts.update(in_body)
        result.append(counts)
    return result[0], result[1]


def _tf(count: float) -> float:
    return 1.0 + math.log(count)


class DuplicateIndex:
    """The proposals of one event, ready for `similar` (one text) and `pairs` (all pairs).

    Build it from (id, title, body) or (id, title, body, lang) tuples; rebuild it when
    proposals change (see
    docs/duplicates.md for the time it takes). Ids must be distinct and hashable. The weights
    default to the module constants; other values are for measurement (bench/).
    """

    def __init__(
        self,
        proposals: Iterable[tuple],
        *,
        title_boost: float = TITLE_BOOST,
        stem_weight: float = STEM_WEIGHT,
    ):
        if title_boost < 1 or not 0 <= stem_weight <= 1:
            raise ValueError("title_boost must be >= 1 and stem_weight within 0..1")
        self.title_boost = title_boost
        self.kind_weights = (stem_weight, 1.0 - stem_weight)  # stems, trigrams
        self.ids: list[Hashable] = []
        self._position: dict[Hashable, int] = {}
        self._vocab: dict[tuple[int, str], int] = {}  # (kind, feature) -> feature number
        self._kind_of: list[int] = []  # feature number -> kind (0 stems, 1 trigrams)
        self._postings: list[list[tuple[int, float]]] = []  # feature -> [(doc, tf)]
        self._docs: list[list[tuple[int, float]]] = []  # doc -> [(feature, tf)]
        for pid, title, body, *lang in proposals:
            if pid in self._position:
                raise ValueError(f"duplicate id {pid!r}")
            doc = len(self.ids)
            self._position[pid] = doc
            self.ids.append(pid)
            entries = []
            for kind, counts in enumerate(features(title, body, title_boost, *lang[:1])):
                for feature, count in counts.items():
                    key = (kind, feature)
                    number = self._vocab.get(key)
                    if number is None:
                        number = self._vocab[key] = len(self._kind_of)
                        self._kind_of.append(kind)
                        self._postings.append([])
                    tf = _tf(count)
                    entries.append((number, tf))
                    self._postings[number].append((doc, tf))
            self._docs.append(entries)
        self._ordered_cache: list[list[tuple[int, float, float]]] | None = None
        self._weigh()

    def __len__(self) -> int:
        return len(self.ids)

    def _weigh(self) -> None:
        """Unit TF-IDF vector per kind, scaled by sqrt(kind weight), both in one sparse vector.

        The dot product of two such vectors is sum(kind_weight * cosine of that kind). Also
        keeps, per document and kind, sum(tf²), sum(tf²·g) and sum(tf²·g²) with g = ln(1 + df),
        from which `similar` gets each document's norm under the idf that counts the candidate.
        """
        big_l = 1.0 + math.log(1 + len(self.ids))
        log_df = [math.log1p(len(postings)) for postings in self._postings]
        scale = [math.sqrt(weight) for weight in self.kind_weights]
        self._vectors: list[dict[int, float]] = []
        self._norm_terms: list[list[tuple[float, float, float]]] = []
        for entries in self._docs:
            sums = [[0.0, 0.0, 0.0] for _ in self.kind_weights]
            weighted = []
            for number, tf in entries:
                g = log_df[number]
                tf2 = tf * tf
                acc = sums[self._kind_of[number]]
                acc[0] += tf2
                acc[1] += tf2 * g
                acc[2] += tf2 * g * g
                weighted.append((number, tf * (big_l - g)))
            norms = [math.sqrt(a * big_l * big_l - 2 * b * big_l + c) for a, b, c in sums]
            self._vectors.append(
                {
                    number: scale[self._kind_of[number]] * weight / norms[self._kind_of[number]]
                    for number, weight in weighted
                }
            )
            self._norm_terms.append([(a, b, c) for a, b, c in sums])

    def score(self, id_a: Hashable, id_b: Hashable) -> float:
        """Similarity (0..1) of two indexed proposals, idf over the indexed proposals."""
        a = self._vectors[self._position[id_a]]
        b = self._vectors[self._position[id_b]]
        if len(a) > len(b):
            a, b = b, a
        return min(1.0, sum(weight * b[number] for number, weight in a.items() if number in b))

    def similar(
        self,
        title: str,
        body: str | None = "",
        limit: int = 5,
        exclude_id: Hashable | None = None,
        threshold: float | None = None,
        lang: str | None = None,
    ) -> list[tuple[Hashable, float]]:
        """The indexed proposals most similar to a text being typed, best first.

        At most `limit`, only those scoring at least `threshold` (default HINT_THRESHOLD),
        without `exclude_id` (the proposal being edited). The idf counts the candidate as one
        more proposal, exactly as if it had been added to the index (the tests check this);
        only the proposals that share a feature with it are visited.
        """
        threshold = HINT_THRESHOLD if threshold is None else threshold
        kinds = len(self.kind_weights)
        big_l = 1.0 + math.log(2 + len(self.ids))  # N + 1 documents with the candidate
        query_norm = [0.0] * kinds
        dots: dict[int, list[float]] = {}
        corrections: dict[int, list[float]] = {}
        for kind, counts in enumerate(features(title, body, self.title_boost, lang)):
            for feature, count in counts.items():
                number = self._vocab.get((kind, feature))
                postings = self._postings[number] if number is not None else ()
                g_old = math.log1p(len(postings))
                g_new = math.log1p(len(postings) + 1)
                idf = big_l - g_new
                tf = _tf(count)
                query_norm[kind] += (tf * idf) ** 2
                if not postings:
                    continue
                product = tf * idf * idf
                delta = (big_l - g_new) ** 2 - (big_l - g_old) ** 2
                for doc, doc_tf in postings:
                    dot = dots.get(doc)
                    if dot is None:
                        dot = dots[doc] = [0.0] * kinds
                        corrections[doc] = [0.0] * kinds
                    dot[kind] += product * doc_tf
                    corrections[doc][kind] += doc_tf * doc_tf * delta
        excluded = self._position.get(exclude_id, -1) if exclude_id is not None else -1
        found = []
        for doc, dot in dots.items():
            if doc == excluded:
                continue
            total = 0.0
            for kind, value in enumerate(dot):
                if value:
                    a, b, c = self._norm_terms[doc][kind]
                    norm2 = a * big_l * big_l - 2 * b * big_l + c + corrections[doc][kind]
                    total += self.kind_weights[kind] * value / math.sqrt(norm2 * query_norm[kind])
            if total >= threshold:
                found.append((min(1.0, total), doc))
        found.sort(key=lambda item: (-item[0], item[1]))
        return [(self.ids[doc], value) for value, doc in found[:limit]]

    def _ordered(self) -> list[list[tuple[int, float, float]]]:
        """Per proposal: (feature, weight, weight * largest weight of the feature anywhere),
        commonest feature first. Computed once, for `pairs`."""
        if self._ordered_cache is None:
            max_weight: dict[int, float] = {}
            for vector in self._vectors:
                for number, weight in vector.items():
                    if weight > max_weight.get(number, 0.0):
                        max_weight[number] = weight
            postings = self._postings
            self._ordered_cache = [
                [
                    (number, vector[number], vector[number] * max_weight[number])
                    for number in sorted(vector, key=lambda n: (-len(postings[n]), n))
                ]
                for vector in self._vectors
            ]
        return self._ordered_cache

    def pairs(self, threshold: float | None = None) -> list[tuple[Hashable, Hashable, float]]:
        """All pairs scoring at least `threshold` (default THRESHOLD), best first.

        Each pair once, as (earlier id, later id, score) in the order the index was built;
        pairs that share no feature at all (score 0) are never listed.

        Exact, with the pruning of the All-Pairs algorithm (Bayardo, Ma and Srikant, WWW 2007).
        Features are ordered commonest first. A proposal's commonest features stay out of the
        inverted index as long as their largest possible contribution to any dot product stays
        below the threshold, so a pair that reaches it always meets through an indexed
        feature. A later proposal looks up its rarest features first and stops admitting new
        candidates once what its remaining features could add falls below the threshold.
        A candidate's exact score adds the left-out part.
        """
        threshold = THRESHOLD if threshold is None else threshold
        index: dict[int, list[tuple[int, float]]] = {}
        left_out: list[dict[int, float]] = []
        left_out_bound: list[float] = []
        found = []
        for doc, (vector, entries) in enumerate(zip(self._vectors, self._ordered(), strict=True)):
            remaining = sum(bound for _, _, bound in entries)
            dots: dict[int, float] = {}
            for number, weight, bound in reversed(entries):  # rarest first
                postings = index.get(number)
                if postings:
                    if remaining >= threshold:
                        for other, other_weight in postings:
                            dots[other] = dots.get(other, 0.0) + weight * other_weight
                    else:
                        for other, other_weight in postings:
                            if other in dots:
                                dots[other] += weight * other_weight
                remaining -= bound
            for other, partial in dots.items():
                if partial + left_out_bound[other] < threshold:
                    continue
                rest = left_out[other]
                partial += sum(rest[n] * vector[n] for n in rest.keys() & vector.keys())
                if partial >= threshold:
                    found.append((min(1.0, partial), other, doc))
            rest = {}
            total = 0.0
            for position, (number, weight, bound) in enumerate(entries):  # commonest first
                if total + bound >= threshold:
                    for later, later_weight, _ in entries[position:]:
                        index.setdefault(later, []).append((doc, later_weight))
                    break
                total += bound
                rest[number] = weight
            left_out.append(rest)
            left_out_bound.append(total)
        found.sort(key=lambda item: (-item[0], item[1], item[2]))
        return [(self.ids[a], self.ids[b], value) for value, a, b in found]


def similarity(a_title: str, a_body: str | None, b_title: str, b_body: str | None) -> float:
    """Similarity of two proposals on their own (idf over just these two)."""
    return DuplicateIndex([(0, a_title, a_body), (1, b_title, b_body)]).score(0, 1)
