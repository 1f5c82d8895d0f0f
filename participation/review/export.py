from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from ..backlog.models import LINK_KINDS
from ..core import tabular
from ..core.time import Time
from ..core.validate import Id
from ..events.models import KINDS, VOTING_METHODS
from ..proposals.models import SOURCES
from .models import REVIEW_STATUSES

COLUMNS = ("rank", "id", "title", "body", "focus_area", "table", "source", "votes",
           "paper_votes", "dots", "status", "merged_from", "lang")
# A scale event's rows carry its ratings instead of hands and dots.
SCALE_COLUMNS = ("rank", "id", "title", "body", "focus_area", "table", "source", "ratings",
                 "mean", "score", "status", "merged_from", "lang")


def results_columns(event) -> tuple[str, ...]:
    return SCALE_COLUMNS if event.is_scale else COLUMNS


def results_rows(rows: list[dict]) -> list[dict]:
    # Merged sources are not ranked rows; their ids are listed on the proposal they joined.
    return [row | {"merged_from": " ".join(str(m["id"]) for m in row.get("merged_from", []))}
            for row in rows]


def results_csv(event, rows: list[dict]) -> str:
    """Aggregates only: never who proposed or who voted. The page's download is the same
    columns and rows through tabular.download, in the dialect asked for."""
    return tabular.to_csv(results_columns(event), results_rows(rows)).decode("utf-8")


Share = Annotated[float, Field(ge=0, le=1)]
Count = int | None


# Open data: proposals across events with rank, fair score and what became of them. Never an
# author's name, a participant token, a follow code or a single vote. The declaration is the
# column list (the files' columns, in order).
class ProposalData(TypedDict):
    """Open data: aggregates only, never who proposed or who voted. Fair scores:
    docs/ranking.md."""

    event_id: Id
    event_code: str
    event_kind: Literal[KINDS]
    voting_method: Literal[VOTING_METHODS]
    proposal_id: Id
    title: str
    body: str
    focus_area: str | None
    table: int | None
    source: Literal[SOURCES]
    created_at: Time | None
    rank: int
    fair_rank: int
    fair_score: float
    fair_low: float
    fair_high: float
    norm_score: Share
    norm_low: Share
    norm_high: Share
    voters: int
    supporters: int
    tables_supported: int
    review_status: Literal[REVIEW_STATUSES]
    public_answer: str
    link_kind: Literal[LINK_KINDS] | None
    measure_id: Id | None
    merged_from: Annotated[list[Id], Field(description=(
        "In CSV and XLSX: the ids separated by spaces."))]
    lang: Annotated[str | None, Field(description="The language it is written in (BCP 47).")]


class VoteAggregate(TypedDict):
    """Votes per proposal as counts and the distribution of ratings (rated_1..rated_5, scale
    events only); never a ballot."""

    event_id: Id
    proposal_id: Id
    voting_method: Literal[VOTING_METHODS]
    voters: int
    supporters: int
    phone_votes: int
    paper_votes: int
    dots: Count
    ratings: Count
    mean: float | None
    rated_1: Count
    rated_2: Count
    rated_3: Count
    rated_4: Count
    rated_5: Count


PROPOSAL_COLUMNS = tuple(ProposalData.__annotations__)
# Aggregated votes per proposal: counts and the distribution of ratings, no ballots.
VOTE_COLUMNS = tuple(VoteAggregate.__annotations__)
