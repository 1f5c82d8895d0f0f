"""Duplicate hints for residents and suggestions for facilitators, from the visible proposals.

The index is rebuilt only when the event's version moves, so a room full of phones typing at
once shares one index per event and process.
"""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from ..core.declare import request
from ..core.errors import OperationError
from ..core.validate import Id
from ..core.version_cache import cached
from ..extensions import db
from . import language
from .models import BODY_MAX, TITLE_MAX, Proposal
from .similarity import DuplicateIndex

CACHED_EVENTS = 32
MIN_CHARS = 6


@request
class SimilarRequest(TypedDict):
    """The text being typed; only its first TITLE_MAX and BODY_MAX characters are compared."""

    title: NotRequired[str]
    body: NotRequired[str | None]


class Match(TypedDict):
    id: Id
    number: Annotated[int, Field(ge=1, description="Its number within the event.")]
    title: str
    score: Annotated[float, Field(ge=0, le=1, description="How alike, 0 to 1.")]


class PairMember(TypedDict):
    id: Id
    number: Annotated[int, Field(ge=1, description="Its number within the event.")]
    title: str


class DuplicatePair(TypedDict):
    a: PairMember
    b: PairMember
    score: Annotated[float, Field(ge=0, le=1)]


def _index(event) -> tuple[DuplicateIndex, dict[int, tuple[str, int]]]:
    def build():
        rows = db.session.execute(
            select(Proposal.id, Proposal.title, Proposal.body, Proposal.number, Proposal.lang)
            .where(Proposal.event_id == event.id, Proposal.status == "visible")
        ).all()
        return (DuplicateIndex([(pid, title, body, lang)
                                for pid, title, body, _n, lang in rows]),
                {pid: (title, number) for pid, title, _body, number, _lang in rows})

    return cached("duplicate_index", event.id, event.version, build, CACHED_EVENTS)


def checked_text(title, body) -> tuple[str | None, str]:
    """The typed text as compared: cut to TITLE_MAX and BODY_MAX; (None, "") when it is too
    short to compare (fewer than MIN_CHARS characters). Text only, or invalid_type."""
    if not isinstance(title, str) or not isinstance(body, str | None):
        raise OperationError("invalid_type", _l("This field must be text."), field="title")
    title, body = title[:TITLE_MAX], (body or "")[:BODY_MAX]
    if len((title + " " + body).strip()) < MIN_CHARS:
        return None, ""
    return title, body


def similar_to(event, title, body=None, limit: int = 3, hint=None) -> list[Match]:
    """Visible proposals like the text a resident is typing (read-only, nothing stored);
    `hint`: the writer's interface language, for the text's language as on submitting."""
    title, body = checked_text(title, body)
    if title is None:
        return []
    index, titles = _index(event)
    lang = language.detect(title, body, hint)
    return [{"id": pid, "number": titles[pid][1], "title": titles[pid][0],
             "score": round(score, 2)}
            for pid, score in index.similar(title, body, limit=limit, lang=lang)]


def suggested_pairs(event, limit: int = 20) -> list[DuplicatePair]:
    """Pairs the facilitator may want to merge, most alike first."""
    index, titles = _index(event)

    def member(pid) -> PairMember:
        title, number = titles[pid]
        return {"id": pid, "number": number, "title": title}

    return [{"a": member(a), "b": member(b), "score": round(score, 2)}
            for a, b, score in index.pairs()[:limit]]
