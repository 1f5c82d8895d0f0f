"""Climate facts while proposing: the backlog's measures most like the text a resident types,
with their status and tonnes, next to the similar proposals (docs/duplicates.md).

Only public measures are ever indexed: a measure is public exactly as its page /atgarder/<id>
is (docs/backlog.md: every measure of the backlog has one), and only its public fields, the
title and the description, are compared. The index is the proposals' (`DuplicateIndex`), kept
per process under a version of the whole backlog (`_backlog_version`): any measure added,
edited or deleted is a new version, so a deleted measure is never suggested again.
"""

from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import func, select
from typing_extensions import TypedDict

from ..core.validate import Id
from ..core.version_cache import cached
from ..events.schedule import is_past_closing
from ..extensions import db
from ..proposals import duplicates
from ..proposals.similarity import DuplicateIndex
from .links import measure_path
from .models import MEASURE_STATUSES, Measure
from .shapes import Tonnes

CACHED_VERSIONS = 4
# A measure's description is longer than a proposal's title: only its start is compared, so a
# long description does not drown the title's words.
DESCRIPTION_CHARS = 600
# Phases in which a budget event's ballot still takes choices, now or when voting opens.
BALLOT_PHASES = ("lobby", "collect", "vote")


class MeasureMatch(TypedDict):
    """A public measure like the text being typed."""

    id: Id
    title: str
    status: Literal[MEASURE_STATUSES]
    reduction_low: Tonnes
    reduction_high: Tonnes
    url: Annotated[str, Field(description="The public measure page.")]
    score: Annotated[float, Field(ge=0, le=1, description="How alike, 0 to 1.")]
    on_ballot: Annotated[bool, Field(description=(
        "On this event's budget ballot, which takes choices now or once voting opens: the "
        "phone offers to support the measure there (its checkbox measure-<id>)."))]


class Matches(TypedDict):
    matches: Annotated[list[duplicates.Match], Field(description=(
        "At most three shown proposals, most alike first; none for fewer than six letters."))]
    measures: Annotated[list[MeasureMatch], Field(description=(
        "At most three public measures of the backlog, most alike first; none for fewer than "
        "six letters."))]


def _backlog_version() -> tuple:
    """Changes whenever a measure is added (count, ids), deleted (count, ids) or edited
    (updated_at moves on every change of the row, its status too)."""
    return tuple(db.session.execute(select(
        func.count(Measure.id), func.coalesce(func.sum(Measure.id), 0),
        func.max(Measure.updated_at))).one())


def _index() -> tuple[DuplicateIndex, dict[int, dict]]:
    def build():
        rows = db.session.execute(select(
            Measure.id, Measure.title, Measure.description, Measure.status,
            Measure.reduction_low, Measure.reduction_high)).all()
        index = DuplicateIndex([(row.id, row.title, (row.description or "")[:DESCRIPTION_CHARS])
                                for row in rows])
        facts = {row.id: {"id": row.id, "title": row.title, "status": row.status,
                          "reduction_low": row.reduction_low,
                          "reduction_high": row.reduction_high, "url": measure_path(row.id)}
                 for row in rows}
        return index, facts

    # One backlog for the whole app: the cache's "event" key is always 0.
    return cached("measure_index", 0, _backlog_version(), build, CACHED_VERSIONS)


def open_ballot(event) -> set[int]:
    """The measures a resident of `event` may still choose on its budget ballot: none unless it
    is a budget event whose ballot takes choices now or when voting opens."""
    if not event.is_budget or event.phase not in BALLOT_PHASES or is_past_closing(event):
        return set()
    return {m.measure_id for m in event.ballot_measures}


def similar_measures(title: str, body: str | None = None, limit: int = 5) -> list[int]:
    """The ids of the measures most like a text, best first (the reviewer's link form)."""
    index, _facts = _index()
    return [mid for mid, _score in index.similar(title, body, limit=limit)]


def measures_like(event, title, body=None, limit: int = 3) -> list[MeasureMatch]:
    """Public measures like the text a resident of `event` types (read-only, nothing stored);
    the same checks and limits as the proposals' hint (`duplicates.similar_to`)."""
    title, body = duplicates.checked_text(title, body)
    if title is None:
        return []
    index, facts = _index()
    ballot = open_ballot(event)
    return [facts[mid] | {"score": round(score, 2), "on_ballot": mid in ballot}
            for mid, score in index.similar(title, body, limit=limit)]


def similar(event, title, body=None, hint=None) -> Matches:
    """The whole hint while a resident types: similar proposals and similar measures
    (`hint`: the writer's interface language)."""
    return {"matches": duplicates.similar_to(event, title, body, hint=hint),
            "measures": measures_like(event, title, body)}
