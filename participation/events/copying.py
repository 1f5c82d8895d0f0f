"""What a copy of an event ("Kopiera", issue 18) takes from it: its setup, never what people
sent, who took part or ran it, nor its times.

Every column of `events` is named below, either in COPIED or in NOT_COPIED with why, so a new
column needs a decision: tests/test_event_copy.py fails until it has one. Each child table of
the setup is one explicit line in copy_setup. The operation, copy_event, is
activities/repeat.py: it copies the activity plan too, a layer above this package.
"""

from sqlalchemy import inspect

from .models import Event
from .operations import ballot_measures, new_code

# The setup, copied as it is.
COPIED = (
    "kind", "title", "prompt",
    "voting_method", "dots_per_person", "max_dots_per_proposal", "budget_sek",
    "moderation", "hide_tallies", "shuffle_ballot", "show_themes",
    "asks_demographics",
    "languages", "projector_language", "browser_language", "texts",
)

# Not copied, and why.
NOT_COPIED = {
    "id": "the copy's own",
    "code": "a new one: the old code still leads to the old event",
    "phase": "the copy starts in the lobby",
    "version": "the copy's own count, from 1 as at creation",
    "created_by_id": "the person copying, who runs the copy as its creator",
    "created_at": "when the copy is made",
    # The old date's times: the copy is for another day (the console and the flash say so).
    "opens_at": "times of the old date",
    "voting_opens_at": "times of the old date",
    "closes_at": "times of the old date",
    # What happened while the old event ran.
    "phase_set_by_hand_at": "the old event's run",
    "timer_ends_at": "the old event's run",
    "tallies_revealed": "the old event's run: the copy's bars start hidden if hide_tallies",
    "last_proposal_number": "no proposals come along: the copy numbers from #1",
    "closed_at": "the old event's run",
    "purged_at": "the old event's run",
}


def _like(row, *fresh: str):
    """A new row of the same kind with the same values but its id, its event and `fresh`,
    which their defaults make anew."""
    skip = {"id", "event_id", *fresh}
    return type(row)(**{c.key: getattr(row, c.key) for c in inspect(type(row)).column_attrs
                        if c.key not in skip})


def copy_setup(session, source: Event, user) -> Event:
    """Inside a write transaction: a new event in the lobby with `source`'s setup and a new
    code, made by `user` (its facilitator, as when creating one). Nobody else's team role,
    no members or invitations: those are people, not setup."""
    event = Event(code=new_code(session), phase="lobby", version=1, created_by_id=user.id,
                  **{name: getattr(source, name) for name in COPIED})
    event.focus_areas = [_like(area) for area in source.focus_areas]
    event.questions = [_like(question) for question in source.questions]
    # A new secret on each scribe card: the old cards must not write into the copy.
    event.tables = [_like(table, "scribe_token") for table in source.tables]
    # The ballot's costs as the backlog has them now, and only measures that may still be on
    # one: a ballot is made at its event's creation (events/models.BallotMeasure).
    event.ballot_measures = ballot_measures(
        session, [measure.measure_id for measure in source.ballot_measures])
    session.add(event)
    session.flush()
    return event
