"""The full state a client needs on every (re)connect, tagged with the event's version."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.time import iso, utcnow
from ..extensions import db
from ..participants import identity
from ..proposals import ranking, themes
from ..proposals.models import Proposal
from ..proposals.operations import my_ballot
from ..proposals.order import ballot_seed
from ..proposals.serialize import full_proposal, public_proposal
from .links import follow_url, join_url

REVEALED = ("results", "closed")


def event_info(event) -> dict:
    return {
        "id": event.id,
        "code": event.code,
        "title": event.title,
        "prompt": event.prompt,
        "kind": event.kind,
        "phase": event.phase,
        "voting": event.voting_dict(),
        "moderation": event.moderation,
        "timer_ends_at": iso(event.timer_ends_at),
        "hide_tallies": event.hide_tallies,
        "tallies_revealed": event.tallies_revealed,
        "shuffle_ballot": event.shuffle_ballot,
        "focus_areas": [{"id": f.id, "name": f.name} for f in event.focus_areas],
        "questions": [{"id": q.id, "text": q.text} for q in event.questions],
        "opens_at": iso(event.opens_at),
        "closes_at": iso(event.closes_at),
        "tables": [{"number": t.number, "name": t.name} for t in event.tables],
        "join_url": join_url(event),
    }


def snapshot(event, token: str | None = None, *, staff: bool = False) -> dict:
    # Read the version before the content: the content is then at least that new, and any push
    # with a higher version still applies on top of it.
    version = event.version
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)
        .options(selectinload(Proposal.merged_sources))  # merged_from, in one query
    ).all()
    participant = None if staff else identity.find(event.id, token)

    def shape(proposal):
        if staff or (participant and proposal.participant_id == participant.id):
            return full_proposal(proposal, event)
        return public_proposal(proposal, event)

    state = {
        "version": version,
        # Lets a client with a wrong clock still count down to the server's end time.
        "server_time": iso(utcnow()),
        "event": event_info(event),
        "proposals": [shape(p) for p in proposals if staff or p.status != "pending"
                      or (participant and p.participant_id == participant.id)],
    }
    if staff:
        state["tallies"] = {str(k): v for k, v in ranking.tallies(event.id).items()}
        state["voters"] = ranking.voter_count(event.id)
        state["event"]["show_themes"] = event.show_themes
        state["themes"] = themes.cloud(event)
    if event.phase in REVEALED:
        state["results"] = ranking.ranked(event)
        if event.tables:
            state["table_results"] = ranking.ranked_by_table(event)
    if not staff:
        mine = [p.id for p in proposals if participant and p.participant_id == participant.id]
        state["me"] = {
            "joined": token is not None,
            "display_name": participant.display_name if participant else None,
            "table": next((t.number for t in event.tables
                           if participant and t.id == participant.table_id), None),
            "proposal_ids": mine,
            "ballot": my_ballot(event, participant),
            "seed": ballot_seed(token) if event.shuffle_ballot and token else None,
            "follow_url": follow_url(participant.follow_code if participant else None),
        }
    return state
