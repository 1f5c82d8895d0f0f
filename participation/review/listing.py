"""Proposals across events as rows of aggregates: the review page, its exports and the REST
list share them. A row never holds who proposed or who voted."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access
from ..backlog.models import ProposalLink
from ..core.errors import OperationError
from ..core.validate import form_number
from ..events.models import KINDS, SCALE_MAX, SCALE_MIN, Event
from ..extensions import db
from ..proposals import themes
from ..proposals.ranking import ranked
from ..proposals.similarity import stem
from . import scoring
from .models import REVIEW_STATUSES, ProposalReview

SORTS = ("fair", "event", "newest")
THEME_MAX = 60


def parse_filters(args) -> dict:
    """Query-string filters; a wrong value is a 400 naming the field, never a 500."""
    filters = {"event_id": None, "kind": None, "focus_area": None, "theme": None,
               "status": None, "sort": "fair"}
    event_id = args.get("event_id") or None
    if event_id is not None:
        if form_number(str(event_id)) is None or form_number(str(event_id)) == 0:
            raise OperationError("invalid_filter", _l("Choose an event."), field="event_id")
        filters["event_id"] = form_number(str(event_id))
    for name, allowed in (("kind", KINDS), ("status", REVIEW_STATUSES), ("sort", SORTS)):
        value = args.get(name) or None
        if value is not None:
            if value not in allowed:
                raise OperationError("invalid_filter", _l("Choose one of the options."),
                                     field=name)
            filters[name] = value
    for name in ("focus_area", "theme"):
        value = (args.get(name) or "").strip()
        if len(value) > THEME_MAX:
            raise OperationError("invalid_filter", _l("At most %(n)d characters.", n=THEME_MAX),
                                 field=name)
        filters[name] = value or None
    return filters


def visible_events(user, filters: dict) -> list[Event]:
    # The team with the events: may_review reads it for each one.
    query = (select(Event).options(selectinload(Event.team))
             .order_by(Event.created_at.desc(), Event.id.desc()))
    if filters.get("event_id"):
        query = query.where(Event.id == filters["event_id"])
    if filters.get("kind"):
        query = query.where(Event.kind == filters["kind"])
    return [e for e in db.session.scalars(query) if user is None or access.may_review(user, e)]


def matches_theme(event, row: dict, theme: str) -> bool:
    """One of the event's themes (by its stem, as the console's theme cloud counts them, so
    "cykelbanor" finds "cykelbanan"), or else the word as written in the title or text."""
    word = theme.casefold().strip()
    if row["proposal_id"] in themes.proposals_with_theme(event, stem(word)):
        return True
    return word in row["title"].casefold() or word in (row.get("body") or "").casefold()


def _links(proposal_ids) -> dict[int, ProposalLink]:
    links = db.session.scalars(select(ProposalLink)
                               .where(ProposalLink.proposal_id.in_(proposal_ids)))
    return {link.proposal_id: link for link in links}


def _reviews(proposal_ids) -> dict[int, ProposalReview]:
    reviews = db.session.scalars(select(ProposalReview)
                                 .where(ProposalReview.proposal_id.in_(proposal_ids)))
    return {review.proposal_id: review for review in reviews}


def event_rows(event, scores: dict) -> list[dict]:
    """One event's visible proposals in room order, with fair score and review state."""
    room = ranked(event)
    fair = scoring.fair_ranks(scores, [r["id"] for r in room])
    rows = []
    for r in room:
        score = scores[r["id"]]
        distribution = r.get("distribution") or {}
        row = {
            "event_id": event.id, "event_code": event.code, "event_title": event.title,
            "event_kind": event.kind, "voting_method": event.voting_method,
            "proposal_id": r["id"], "title": r["title"], "body": r["body"], "lang": r["lang"],
            "focus_area": r["focus_area"], "table": r["table"], "source": r["source"],
            "created_at": r["created_at"], "rank": r["rank"], "fair_rank": fair[r["id"]],
            **score.as_dict(), "voters": score.voters, "supporters": score.supporters,
            "phone_votes": r["votes"] - r["paper_votes"], "paper_votes": r["paper_votes"],
            "dots": r.get("dots"), "ratings": r.get("ratings"), "mean": r.get("mean"),
            "merged_from": [m["id"] for m in r["merged_from"]],
            "merged_titles": [m["title"] for m in r["merged_from"]],
        }
        for value in range(SCALE_MIN, SCALE_MAX + 1):
            row[f"rated_{value}"] = distribution.get(str(value)) if event.is_scale else None
        rows.append(row)
    return rows


def rows_for(user, filters: dict) -> list[dict]:
    """Every reviewable event's visible proposals matching the filters, sorted."""
    events = visible_events(user, filters)
    scores = scoring.event_scores(events)
    rows = [row for event in events for row in event_rows(event, scores)
            if (not filters.get("focus_area") or row["focus_area"] == filters["focus_area"])
            and (not filters.get("theme") or matches_theme(event, row, filters["theme"]))]
    ids = [r["proposal_id"] for r in rows]
    links, reviews = _links(ids), _reviews(ids)
    tables = scoring.supporter_tables(ids)
    for row in rows:
        review, link = reviews.get(row["proposal_id"]), links.get(row["proposal_id"])
        row["review_status"] = review.status if review else "received"
        row["public_answer"] = review.public_answer if review else ""
        row["measure_id"] = link.measure_id if link else None
        row["link_kind"] = link.kind if link else None
        row["link_reason"] = link.reason if link else None
        row["supporter_tables"] = tables.get(row["proposal_id"], set())
        row["tables_supported"] = len(row["supporter_tables"])
        row["broad_support"] = scoring.broad(1, 1, row["tables_supported"])
    if filters.get("status"):
        rows = [r for r in rows if r["review_status"] == filters["status"]]
    return sort_rows(rows, filters.get("sort") or "fair")


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    if sort == "newest":
        return sorted(rows, key=lambda r: r["created_at"] or "", reverse=True)
    if sort == "event":
        # visible_events is newest first; keep that, and fair rank within each event.
        order = {eid: n for n, eid in enumerate(dict.fromkeys(r["event_id"] for r in rows))}
        return sorted(rows, key=lambda r: (order[r["event_id"]], r["fair_rank"]))
    return sorted(rows, key=lambda r: (-r["norm_score"], -r["supporters"], r["proposal_id"]))


def focus_area_names(events) -> list[str]:
    return sorted({f.name for e in events for f in e.focus_areas})
