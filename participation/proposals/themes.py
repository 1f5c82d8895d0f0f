"""The theme cloud: the stems most proposals share, each shown by its commonest surface form.

Same Swedish pipeline as the duplicate hints (`similarity.content_words` and `stem`), no
sentiment and no downloaded corpus. Counting rules:

- over the event's visible proposals only (title and body together), in Swedish (or of no
  known language): the stop words and stems are Swedish;
- a stem counts once per proposal (document frequency), so one long text cannot fill the cloud;
- its label is the surface form (lower-cased, as the tokenizer gives it) found in the most
  proposals; ties go to the shortest form, then alphabetical;
- stems shorter than 3 letters are dropped, and once the event has 5 or more visible
  proposals so are stems found in one proposal only: the cloud shows what people share;
- so are the stems of the event's own question and its question cards (every proposal answers
  them: "resa" in "Hur gör vi det lättare att resa?" says nothing), and quantifiers and filler
  that carry no subject ("fler", "mycket", "gång", "bättre": stopwords_sv.THEME_FILLER);
- commonest first, then by label.

Like the duplicate index, the counts are kept per (event id, version): every write bumps the
version, so a room's consoles and the projector share one count per event and change.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from pydantic import Field
from sqlalchemy import or_, select
from typing_extensions import TypedDict

from ..core.version_cache import cached
from ..extensions import db
from .models import Proposal
from .similarity import content_words, stem
from .stopwords_sv import THEME_FILLER

MIN_STEM = 3
# From this many visible proposals on, a stem must occur in at least two of them.
SHARED_FROM = 5
LIMIT = 20
STEM_MAX = 64  # longer `?theme=` values cannot be a stem of a proposal word worth filtering by
CACHED_EVENTS = 32


class Theme(TypedDict):
    """A stem many proposals share, as the cloud draws it."""

    stem: Annotated[str, Field(description="Snowball Swedish stem; the ?theme= value.")]
    label: Annotated[str, Field(description="The commonest surface form.")]
    count: Annotated[int, Field(ge=1, description="Visible proposals holding it.")]


class ThemeWithIds(Theme):
    proposal_ids: list[int]


def _filler_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in THEME_FILLER)


def question_stems(*texts: str | None) -> frozenset[str]:
    """The stems of an event's own question (and question cards): never a theme of it."""
    return frozenset(stem(word) for text in texts for word in content_words(text or ""))


class ThemeIndex:
    """Stems of a set of proposals: which proposals hold each, and their surface forms.

    `ignore`: stems that are never a theme here (the event's question); filler never is."""

    def __init__(self, proposals: Iterable[tuple[int, str, str | None]],
                 ignore: Iterable[str] = ()):
        dropped = _filler_stems() | frozenset(ignore)
        self.postings: dict[str, set[int]] = {}
        forms: dict[str, Counter[str]] = {}
        self.size = 0
        for pid, title, body in proposals:
            self.size += 1
            seen: dict[str, set[str]] = {}
            for word in content_words(f"{title}\n{body or ''}"):
                seen.setdefault(stem(word), set()).add(word)
            for key, words in seen.items():
                self.postings.setdefault(key, set()).add(pid)
                forms.setdefault(key, Counter()).update(words)  # once per proposal, too
        self.labels = {
            key: min(counter.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
            for key, counter in forms.items()
        }
        least = 2 if self.size >= SHARED_FROM else 1
        self.ranked = sorted(
            (
                {"stem": key, "label": self.labels[key], "count": len(ids),
                 "proposal_ids": sorted(ids)}
                for key, ids in self.postings.items()
                if len(key) >= MIN_STEM and len(ids) >= least and key not in dropped
            ),
            key=lambda theme: (-theme["count"], theme["label"], theme["stem"]),
        )


def _index(event) -> ThemeIndex:
    def build():
        # Swedish (and untagged) proposals only: with no stop words for the other languages,
        # their commonest words would be "و", "ja", "та" (docs/duplicates.md).
        return ThemeIndex(db.session.execute(
            select(Proposal.id, Proposal.title, Proposal.body)
            .where(Proposal.event_id == event.id, Proposal.status == "visible",
                   or_(Proposal.lang.is_(None), Proposal.lang == "sv"))
            .order_by(Proposal.id)
        ).all(), ignore=question_stems(event.prompt, *(q.text for q in event.questions)))

    return cached("theme_index", event.id, event.version, build, CACHED_EVENTS)


def themes(event, limit: int = LIMIT) -> list[ThemeWithIds]:
    """The event's top themes: [{"stem", "label", "count", "proposal_ids"}], commonest first."""
    return [dict(theme, proposal_ids=list(theme["proposal_ids"]))
            for theme in _index(event).ranked[:limit]]


def cloud(event, limit: int = LIMIT) -> list[Theme]:
    """The themes as pushed to screens: no proposal ids, only what is drawn."""
    return [{"stem": t["stem"], "label": t["label"], "count": t["count"]}
            for t in _index(event).ranked[:limit]]


def proposals_with_theme(event, theme_stem) -> set[int]:
    """Ids of the visible proposals holding `theme_stem` (empty for anything else)."""
    if not isinstance(theme_stem, str) or len(theme_stem) > STEM_MAX:
        return set()
    return set(_index(event).postings.get(theme_stem, ()))


def label_of(event, theme_stem: str) -> str:
    """The label shown for a stem, or the stem itself when no visible proposal holds it."""
    return _index(event).labels.get(theme_stem, theme_stem)
