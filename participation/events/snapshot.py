"""The full state a client needs on every (re)connect, tagged with the event's version."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.time import iso, utcnow
from ..core.version_cache import cached
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


CACHED_VERSIONS = 16


def _shared(event, version: int) -> dict:
    """What every resident's snapshot at this version has in common, built once per process:
    a join storm (thousands of phones at one version) then costs one build, not thousands."""

    def build():
        built = {"event": event_info(event), "proposals": [
            (p.id, p.participant_id, p.status, public_proposal(p, event),
             full_proposal(p, event))
            for p in _proposals(event)],
            # event_info names tables by number only; a phone's seat is matched by id.
            "table_ids": {t.id: t.number for t in event.tables}}
        if event.phase in REVEALED:
            built["results"] = ranking.ranked(event)
            if event.tables:
                built["table_results"] = ranking.ranked_by_table(event)
        return built

    return cached("snapshot_shared", event.id, version, build, CACHED_VERSIONS)


def _proposals(event):
    return db.session.scalars(
        select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)
        .options(selectinload(Proposal.merged_sources))  # merged_from, in one query
    ).all()


def snapshot(event, token: str | None = None, *, staff: bool = False) -> dict:
    # Read the version before the content: the content is then at least that new, and any push
    # with a higher version still applies on top of it.
    version = event.version
    if not staff:
        return _resident_snapshot(event, version, token)
    proposals = _proposals(event)
    state = {
        "version": version,
        # Lets a client with a wrong clock still count down to the server's end time.
        "server_time": iso(utcnow()),
        "event": event_info(event),
        "proposals": [full_proposal(p, event) for p in proposals],
    }
    state["tallies"] = {str(k): v for k, v in ranking.tallies(event.id).items()}
    state["voters"] = ranking.voter_count(event.id)
    state["event"]["show_themes"] = event.show_themes
    state["themes"] = themes.cloud(event)
    if event.phase in REVEALED:
        state["results"] = ranking.ranked(event)
        if event.tables:
            state["table_results"] = ranking.ranked_by_table(event)
    return state


def _resident_snapshot(event, version: int, token: str | None) -> dict:
    shared = _shared(event, version)
    participant = identity.find(event.id, token)
    me = participant.id if participant else None
    state = {
        "version": version,
        "server_time": iso(utcnow()),
        "event": dict(shared["event"]),
        # Their own proposals in full (also while pending); everyone else's as the public sees.
        "proposals": [full if me is not None and author == me else public
                      for _id, author, status, public, full in shared["proposals"]
                      if status != "pending" or (me is not None and author == me)],
    }
    for key in ("results", "table_results"):
        if key in shared:
            state[key] = shared[key]
    state["me"] = {
        "joined": token is not None,
        "display_name": participant.display_name if participant else None,
        "table": shared["table_ids"].get(participant.table_id) if participant else None,
        "proposal_ids": [pid for pid, author, *_ in shared["proposals"]
                         if me is not None and author == me],
        "ballot": my_ballot(event, participant),
        "seed": ballot_seed(token) if event.shuffle_ballot and token else None,
        "follow_url": follow_url(participant.follow_code if participant else None),
    }
    return state

