"""The event report (docs/report.md): everything the print view and the PDF show of one event,
gathered once as plain data, so the two can never disagree about what a report holds.

It is written to be attached to a committee paper, so it holds aggregates and what the public
pages already show, never a hidden or waiting proposal's text, an author's name, a token or a
single vote. Who may read it is the screen's question (access.may_review, as the review page).
"""

from sqlalchemy import func, select

from ..activities import report as activity_report
from ..backlog.models import Measure, ProposalLink
from ..core.time import iso, utcnow
from ..demographics.queries import representation
from ..events.shapes import event_shape
from ..extensions import db
from ..participants.models import Participant
from ..proposals import themes
from ..proposals.models import STATUSES, Proposal
from ..proposals.ranking import voter_count
from . import listing

# Panel questions a committee may read: those the room saw. Hidden ones and those never
# approved are counted, not quoted, like hidden proposals.
SHOWN_QUESTIONS = ("open", "live", "answered")


def event_report(event) -> dict:
    """The report of one event, as plain dicts and lists (times as ISO strings, UTC)."""
    proposals = _ranked(event)
    return {
        "event": event_shape(event) | _dates(event),
        "generated_at": iso(utcnow()),
        "participants": _participants(event),
        "proposals": proposals,
        "themes": [{"label": t["label"], "count": t["count"]} for t in themes.themes(event)],
        "merges": [{"number": r["number"], "title": r["title"], "sources": r["merged_titles"]}
                   for r in proposals if r["merged_titles"]],
        "moderation": _moderation(event),
        "activities": _activities(event),
        "measures": _measures(event),
        # Who took part compared with the city (demographics/queries.py), already aggregated
        # and suppressed; None when the event did not ask.
        "representation": representation(event) if event.asks_demographics else None,
    }


def _ranked(event) -> list[dict]:
    """The review page's rows for this event (fair score, interval, review status), fairly
    ranked; user None: the screen has already asked access.may_review."""
    rows = listing.rows_for(None, {"event_id": event.id, "sort": "fair"})
    numbers = dict(db.session.execute(select(Proposal.id, Proposal.number)
                                      .where(Proposal.event_id == event.id)).all())
    keep = ("fair_rank", "rank", "title", "body", "focus_area", "table", "source",
            "voting_method", "norm_score", "norm_low", "norm_high", "supporters", "voters",
            "paper_votes", "dots", "ratings", "mean", "merged_titles", "review_status",
            "measure_id", "link_kind")
    return [{key: row[key] for key in keep} | {"number": numbers[row["proposal_id"]]}
            for row in rows]


def _dates(event) -> dict:
    first, last = db.session.execute(
        select(func.min(Proposal.created_at), func.max(Proposal.created_at))
        .where(Proposal.event_id == event.id)).one()
    return {"created_at": iso(event.created_at), "closed_at": iso(event.closed_at),
            "first_proposal_at": iso(first), "last_proposal_at": iso(last)}


def _participants(event) -> dict:
    """Counted as the review and dossier count them: a phone is a participant row (made on its
    first write), voters are phones that voted, and a show of hands adds as many people as the
    largest count on one proposal (review/scoring.py treats them so)."""
    phones = db.session.scalar(select(func.count(Participant.id))
                               .where(Participant.event_id == event.id)) or 0
    hands = db.session.scalar(select(func.max(Proposal.paper_votes))
                              .where(Proposal.event_id == event.id,
                                     Proposal.status == "visible")) or 0
    sources = dict(db.session.execute(
        select(Proposal.source, func.count(Proposal.id))
        .where(Proposal.event_id == event.id).group_by(Proposal.source)).all())
    seated = dict(db.session.execute(
        select(Participant.table_id, func.count(Participant.id))
        .where(Participant.event_id == event.id).group_by(Participant.table_id)).all())
    written = dict(db.session.execute(
        select(Proposal.table_id, func.count(Proposal.id))
        .where(Proposal.event_id == event.id, Proposal.status == "visible")
        .group_by(Proposal.table_id)).all())
    voters = voter_count(event.id)
    return {
        "phones": phones, "voters": voters, "hands": hands, "counted_voters": voters + hands,
        "proposals_by_source": {s: sources.get(s, 0) for s in ("phone", "paper", "scribe")},
        "tables": [{"number": t.number, "name": t.name, "phones": seated.get(t.id, 0),
                    "proposals": written.get(t.id, 0)}
                   for t in sorted(event.tables, key=lambda t: t.number)],
    }


def _moderation(event) -> dict:
    """Counts only: per status, per public reason for hiding, and how many were edited."""
    by_status = dict(db.session.execute(
        select(Proposal.status, func.count(Proposal.id))
        .where(Proposal.event_id == event.id).group_by(Proposal.status)).all())
    reasons = db.session.execute(
        select(Proposal.hidden_reason, func.count(Proposal.id))
        .where(Proposal.event_id == event.id, Proposal.status == "hidden")
        .group_by(Proposal.hidden_reason)
        .order_by(func.count(Proposal.id).desc(), Proposal.hidden_reason)).all()
    edited = db.session.scalar(
        select(func.count(Proposal.id))
        .where(Proposal.event_id == event.id, Proposal.edit_reason.is_not(None),
               Proposal.status.in_(("visible", "merged")))) or 0
    counts = {status: by_status.get(status, 0) for status in STATUSES}
    return {"counts": counts, "total": sum(counts.values()), "edited": edited,
            "hidden_reasons": [{"reason": reason or "", "count": n} for reason, n in reasons]}


def _activities(event) -> list[dict]:
    """The activities report as the review page has it, less what the room never saw: hidden
    words, hidden or unapproved panel questions and the evaluation's free texts are counted
    instead of shown."""
    found = []
    for entry in activity_report.report(event.id):
        results, kind = dict(entry["results"]), entry["activity"]["kind"]
        withheld = 0
        if kind == "questions":
            shown = [q for q in results["questions"] if q["status"] in SHOWN_QUESTIONS]
            withheld = len(results["questions"]) - len(shown)
            results["questions"] = shown
        elif kind == "words":
            shown = [w for w in results["words"] if not w.get("hidden")]
            withheld = len(results["words"]) - len(shown)
            results["words"] = shown
        elif kind == "evaluation":
            # Free texts nobody moderated do not go into a paper that may become public:
            # their number does (the review page shows them to staff).
            results["comments"] = len(results.pop("texts", []))
        found.append({"activity": entry["activity"], "results": results, "withheld": withheld})
    return found


def _measures(event) -> list[dict]:
    """The measures this event's proposals were linked to, each with those proposals (visible
    or merged ones: a hidden proposal's link is not shown with its title)."""
    rows = db.session.execute(
        select(Measure.id, Measure.title, Measure.status, Proposal.number, Proposal.title,
               ProposalLink.kind)
        .join(ProposalLink, ProposalLink.measure_id == Measure.id)
        .join(Proposal, Proposal.id == ProposalLink.proposal_id)
        .where(Proposal.event_id == event.id, Proposal.status.in_(("visible", "merged")))
        .order_by(Measure.title, Measure.id, Proposal.number)).all()
    measures: dict[int, dict] = {}
    for measure_id, title, status, number, proposal_title, kind in rows:
        entry = measures.setdefault(measure_id, {"id": measure_id, "title": title,
                                                 "status": status, "proposals": []})
        entry["proposals"].append({"number": number, "title": proposal_title, "kind": kind})
    return list(measures.values())
