"""Proposal and vote writes: the one path for forms, REST and Socket.IO."""

import re
from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from .. import access
from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.group_commit import GroupCommit, batch_key
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, form_number, is_id
from ..events.models import DOTS_MAX, SCALE_MAX, SCALE_MIN, Dots, Event
from ..events.operations import lock_event_where, locked_event
from ..events.schedule import is_past_closing
from ..extensions import db
from ..participants import identity
from ..participants.follow import ensure_follow_code
from ..participants.operations import require_joined
from . import ballot_statements as S
from . import language
from .models import AUTHOR_NAME_MAX, BODY_MAX, TITLE_MAX, Proposal
from .numbering import next_number
from .shapes import AuthorProposal, Body, Title, author_proposal, shapes_of

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
ClientId = Annotated[str, Field(pattern=CLIENT_ID.pattern, description=(
    "Made by the client for each write; a retry with it changes nothing and gets the first "
    "answer again (with replayed: true)."))]
Replayed = Annotated[Literal[True], Field(description="A retry of an earlier client_id.")]


class _Replay(Exception):
    def __init__(self, result):
        self.result = result


def checked_client_id(value) -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise OperationError(
            "invalid_client_id",
            _l("The request is missing a valid client_id (8 to 64 letters, digits or -_.:)."),
            field="client_id",
        )
    return value


def require_phase(event, phase: str):
    # Past its closing time an event takes nothing more, even before the schedule has moved it.
    if event.phase == "closed" or is_past_closing(event):
        raise OperationError("event_closed", _l("The event is closed."), 409)
    if event.phase == phase:
        return
    messages = {
        "collect": _l("Proposals can only be written while the event is collecting them."),
        "vote": _l("Voting is not open right now."),
    }
    raise OperationError("wrong_phase", messages[phase], 409)


def replayable(func_):
    """Run a write; a retry with the same client_id returns the stored result unchanged."""

    def wrapper(*args, **kwargs):
        try:
            return func_(*args, **kwargs)
        except _Replay as replay:
            if replay.result.get("error") == "client_id_reused":
                raise OperationError(
                    "client_id_reused", _l("That client_id was already used for another write."),
                    409, field="client_id",
                ) from None
            return replay.result

    return wrapper


def person_for(session, event_id: int, token: str, client_id: str | None, kind: str):
    """The participant (created on first use); a retry of `client_id` is replayed instead."""
    participant, receipt = identity.ensure_with_receipt(session, event_id, token, client_id)
    previous = receipts.replay(receipt, kind)
    if previous is not None:
        raise _Replay(previous)
    return participant


def _question_id(value):
    """An id from JSON (int), a form (digits) or nothing (None, "")."""
    if value in ("", None):
        return None
    if isinstance(value, str) and form_number(value) is not None:
        return form_number(value)
    if not is_id(value):
        raise OperationError("invalid_question", _l("Choose the question your proposal answers."),
                             field="question_id")
    return value


@request
class NewProposal(TypedDict):
    title: Annotated[Title, Field(min_length=1)]
    body: NotRequired[Body | None]
    client_id: ClientId
    focus_area_id: NotRequired[Id | None]
    question_id: NotRequired[Annotated[Id | None, Field(description=(
        "The question card it answers: required when the event has questions."))]]
    lang: NotRequired[Annotated[str | None, Field(pattern="^[a-z]{2,3}$", description=(
        "The language it is written in (a BCP 47 primary subtag). Left out: detected, with the "
        "phone's interface language as the hint."))]]


class Submitted(TypedDict):
    proposal: AuthorProposal
    version: Version
    follow_code: Annotated[str, Field(description="The person's own follow page's code.")]
    replayed: NotRequired[Replayed]


@replayable
def submit_proposal(event_id: int, token, title, body, client_id, focus_area_id=None,
                    author_name=None, question_id=None, lang=None, hint=None) -> Submitted:
    """`lang`: the language the writer says it is in; else detected, `hint` being the
    writer's interface language (proposals/language.py)."""
    require_joined(token)
    client_id = checked_client_id(client_id)
    title = clean_text(title, "title", TITLE_MAX, required=True, multiline=False)
    body = clean_text(body, "body", BODY_MAX, required=False)
    lang = language.checked(lang) or language.detect(title, body, hint)
    if focus_area_id in ("", None):
        focus_area_id = None
    elif isinstance(focus_area_id, str) and form_number(focus_area_id) is not None:
        focus_area_id = form_number(focus_area_id)
    elif not is_id(focus_area_id):
        raise OperationError("invalid_type", _l("Choose a focus area."), field="focus_area_id")
    question_id = _question_id(question_id)

    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        member = identity.require_take_part(session, event, token)
        participant = person_for(session, event.id, token, client_id, "proposal")
        require_phase(event, "collect")
        known_areas = {f.id for f in event.focus_areas}
        if focus_area_id is not None and focus_area_id not in known_areas:
            raise OperationError("invalid_focus_area", _l("Choose a focus area."),
                                 field="focus_area_id")
        # With question cards, every proposal answers one of this event's questions.
        known_questions = {q.id for q in event.questions}
        if not (question_id in known_questions if known_questions else question_id is None):
            raise OperationError("invalid_question",
                                 _l("Choose the question your proposal answers."),
                                 field="question_id")
        proposal = Proposal(
            event_id=event.id, number=next_number(event), participant_id=participant.id,
            title=title, body=body, lang=lang,
            focus_area_id=focus_area_id, question_id=question_id,
            author_name=access.author_name(member, participant.display_name, AUTHOR_NAME_MAX),
            status="pending" if event.moderation == "pre" else "visible",
            table_id=participant.table_id,
        )
        session.add(proposal)
        follow_code = ensure_follow_code(participant)
        session.flush()
        shapes = shapes_of(proposal, event)
        # The follow code is the person's own: the screens turn it into their follow link.
        result = {"proposal": author_proposal(proposal, event), "version": version,
                  "follow_code": follow_code}
        receipts.store(session, participant.id, client_id, "proposal", result)
    publish("proposal.submitted", event_id, version, **shapes)
    return result


def _my_votes(session, event_id: int, participant_id: int) -> dict[int, int]:
    rows = session.execute(S.MY_VOTES, {"event_id": event_id, "participant_id": participant_id})
    return {proposal_id: dots for proposal_id, dots in rows}


class Ballot(TypedDict):
    """This person's votes in the event."""

    votes: Annotated[dict[str, int], Field(description=(
        "Proposal id to this person's dots (1 for approval, the score for scale)."))]
    spent: Annotated[int, Field(ge=0, description="Dots spent; scale: proposals rated.")]
    remaining: Annotated[int | None, Field(description="Dots left; null unless dot voting.")]


def _ballot(event, votes: dict[int, int]) -> Ballot:
    if event.is_scale:
        # Votes are the person's scores; `spent` counts the proposals they have rated.
        return {"votes": {str(k): v for k, v in votes.items()}, "spent": len(votes),
                "remaining": None}
    spent = sum(votes.values())
    return {
        "votes": {str(k): v for k, v in votes.items()},
        "spent": spent,
        "remaining": event.dots_per_person - spent if event.is_dots else None,
    }


def locked_proposal(session, proposal_id):
    """Inside a write transaction: the proposal, its event (locked) and the new version."""
    if not is_id(proposal_id):
        raise not_found("proposal_not_found")
    # The proposal's event is found inside the same UPDATE that locks it: one statement.
    event = lock_event_where(session, Event.id == select(Proposal.event_id).where(
        Proposal.id == proposal_id).scalar_subquery())
    if event is None:
        raise not_found("proposal_not_found")
    # Read under the lock, so a proposal committed (or moderated) a moment ago is seen.
    return session.get(Proposal, proposal_id), event, event.version


def _person_and_votes(session, cursor, event_id: int, token: str, client_id: str | None,
                      kind: str) -> tuple[int, dict[int, int]]:
    """Inside a vote's transaction: `person_for` and the person's votes in one plain-row query
    (the participant created on first use, with no votes yet)."""
    rows = cursor.all(S.PERSON_RECEIPT_VOTES, {"event_id": event_id, "token": token,
                                               "client_id": client_id})
    if not rows:
        return identity.create(session, event_id, token).id, {}
    _id, receipt_kind, receipt_result, _proposal, _dots = rows[0]
    if receipt_kind is not None:
        raise _Replay(receipts.replay_of(receipt_kind, receipt_result, kind))
    return rows[0][0], {row[3]: row[4] for row in rows if row[3] is not None}


# Votes of one event that arrive together share a transaction and its commit
# (core/group_commit.py); each is answered only after that commit.
ballots = GroupCommit()


def _ballot_write(proposal_id, token_for_event, client_id, kind, body, event_hint=None):
    """The start every vote change shares: the event lock, the person, a replay, the phase;
    then `body(cursor, event, participant_id, votes)` → (result, version).

    On the driver's cursor with statements compiled once (ballot_statements.py says why); the
    same checks and order as every other write on an event. `event_hint` (a socket's event)
    lets the write share a commit with others of that event, and only that event is locked:
    a batch never holds two events' locks. Publishes after the commit.
    """
    if not is_id(proposal_id):
        raise not_found("proposal_not_found")
    # The request's own read transaction (a referensgrupp's membership check) must not hold
    # a connection while the vote waits in the queue.
    request_session = db.session()
    if request_session.in_transaction():
        request_session.commit()

    def step(cursor, session):
        if event_hint is None:
            row = cursor.first(S.LOCK_PROPOSALS_EVENT, {"proposal_id": proposal_id})
        else:
            row = cursor.first(S.LOCK_PROPOSALS_EVENT_IN, {"proposal_id": proposal_id,
                                                           "event_id": event_hint})
            if row is None and cursor.scalar(S.PROPOSAL_STATUS,
                                             {"proposal_id": proposal_id}) is not None:
                require_joined(None)  # another event's proposal: this phone has not joined it
        if row is None:
            raise not_found("proposal_not_found")
        event = S.LockedEvent(row)
        token = token_for_event(event.id)
        require_joined(token)
        identity.require_take_part(session, event, token)
        participant_id, votes = _person_and_votes(session, cursor, event.id, token, client_id,
                                                  kind)
        require_phase(event, "vote")
        return event.id, body(cursor, event, participant_id, votes)

    event_id, result = ballots.run(step, batch_key(event_hint))
    publish("vote.changed", event_id, result["version"], proposal_id=proposal_id)
    return result


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid_score():
    return OperationError(
        "invalid_score", _l("Choose a score from %(low)d to %(high)d.", low=SCALE_MIN,
                            high=SCALE_MAX), field="score")


@request
class VoteRequest(TypedDict):
    client_id: ClientId
    dots: NotRequired[Annotated[Dots | None, Field(description=(
        "Dot voting: how many to add (left out: 1). Approval: 1."))]]
    score: NotRequired[Annotated[
        Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)] | None,
        Field(description="Scale events: the rating; a new one replaces the old.")]]


@request
class WithdrawRequest(TypedDict):
    client_id: NotRequired[ClientId]
    dots: NotRequired[Annotated[Dots | None, Field(description=(
        "Dot voting: how many to take back (left out: all of them)."))]]


class VoteResult(TypedDict):
    proposal_id: Id
    version: Version
    ballot: Ballot
    replayed: NotRequired[Replayed]


@replayable
def cast_vote(proposal_id: int, token_for_event, client_id, dots=1, *,
              score=None, event_hint=None) -> VoteResult:
    """`token_for_event(event_id)` gives this browser's participant token for the event.

    On a scale event the rating is `score` (or, for older clients, `dots`); rating again
    replaces the earlier score.
    """
    client_id = checked_client_id(client_id)
    if score is not None and not _is_whole(score):
        raise _invalid_score()
    rating = score if score is not None else dots
    if dots is None:
        dots = 1
    if score is None and (not _is_whole(dots) or not 1 <= dots <= DOTS_MAX):
        raise OperationError("invalid_dots", _l("Give a whole number of dots."), field="dots")
    def vote(cursor, event, participant_id, votes):
        # Read under the lock, so a proposal moderated a moment ago is seen as it is now.
        status = cursor.scalar(S.PROPOSAL_STATUS, {"proposal_id": proposal_id})
        if status == "pending":
            # As if it did not exist: a stranger must not learn that it waits for approval.
            raise not_found("proposal_not_found")
        if status == "merged":
            raise OperationError("proposal_merged",
                                 _l("That proposal has been merged with another."), 409)
        if status != "visible":
            raise OperationError("proposal_hidden", _l("That proposal has been hidden."), 409)
        current = votes.get(proposal_id, 0)
        if event.is_budget:
            raise OperationError("budget_event",
                                 _l("This event votes with its budget ballot."), 409)
        if event.is_scale:
            if rating is None or not SCALE_MIN <= rating <= SCALE_MAX:
                raise _invalid_score()
        elif score is not None:
            raise OperationError("invalid_score", _l("This event does not use a scale."),
                                 field="score")
        elif not event.is_dots:
            if dots != 1:
                raise OperationError(
                    "invalid_dots", _l("This event uses one vote per proposal."), field="dots"
                )
            if current:
                raise OperationError(
                    "already_voted", _l("You have already voted for this proposal."), 409
                )
        else:
            if current + dots > event.max_dots_per_proposal:
                raise OperationError(
                    "proposal_dot_limit",
                    _l("At most %(n)d dots on one proposal.", n=event.max_dots_per_proposal),
                    409,
                )
            if sum(votes.values()) + dots > event.dots_per_person:
                raise OperationError("no_dots_left", _l("You have no dots left for that."), 409)
        # Dots add up; a new rating replaces the old one (the event lock makes `current` exact).
        total = rating if event.is_scale else current + dots
        try:
            if current:
                cursor.write(S.SET_DOTS, {"the_proposal": proposal_id,
                                         "the_participant": participant_id,
                                         "new_dots": total})
            else:
                cursor.write(S.INSERT_VOTE, {"event_id": event.id, "proposal_id": proposal_id,
                                             "participant_id": participant_id, "dots": total,
                                             "created_at": utcnow()})
        except IntegrityError:
            # Only reachable if two writers slipped past the event lock; the database refuses.
            raise OperationError(
                "already_voted", _l("You have already voted for this proposal."), 409
            ) from None
        votes[proposal_id] = total
        result = {"proposal_id": proposal_id, "version": event.version,
                  "ballot": _ballot(event, votes)}
        receipts.store_prepared(cursor, participant_id, client_id, "vote", result)
        return result

    return _ballot_write(proposal_id, token_for_event, client_id, "vote", vote, event_hint)


@replayable
def withdraw_vote(proposal_id: int, token_for_event, client_id=None, dots=None, *,
                  event_hint=None) -> VoteResult:
    """Take back a vote, a rating or dots; on a dots event `dots` takes back that many only
    (one at a time from the phone), all of them when left out."""
    if client_id is not None:
        client_id = checked_client_id(client_id)
    if dots is not None and (not _is_whole(dots) or not 1 <= dots <= DOTS_MAX):
        raise OperationError("invalid_dots", _l("Give a whole number of dots."), field="dots")
    def withdraw(cursor, event, participant_id, votes):
        if dots is not None and not event.is_dots:
            raise OperationError("invalid_dots", _l("This event does not use dots."),
                                 field="dots")
        left = votes.get(proposal_id, 0) - (dots or 0)
        ids = {"the_proposal": proposal_id, "the_participant": participant_id}
        if dots is not None and left > 0:
            # Read under the same lock as `votes`: some dots stay where they are.
            changed = cursor.write(S.SET_DOTS, {**ids, "new_dots": left})
            votes[proposal_id] = left
        else:
            changed = cursor.write(S.DELETE_VOTE, ids)
            votes.pop(proposal_id, None)
        if not changed:
            status = cursor.scalar(S.PROPOSAL_STATUS, {"proposal_id": proposal_id})
            if status == "pending":  # as for a vote: not even its existence is told
                raise not_found("proposal_not_found")
            raise OperationError("no_vote", _l("You have no vote on that proposal."), 404)
        result = {"proposal_id": proposal_id, "version": event.version,
                  "ballot": _ballot(event, votes)}
        if client_id is not None:
            receipts.store_prepared(cursor, participant_id, client_id, "withdraw", result)
        return result

    return _ballot_write(proposal_id, token_for_event, client_id, "withdraw", withdraw,
                         event_hint)


def my_ballot(event, participant) -> Ballot:
    votes = _my_votes(db.session, event.id, participant.id) if participant else {}
    return _ballot(event, votes)

