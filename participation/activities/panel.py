"""Questions to the panel (docs/activities.md): residents ask and like, moderators hide, the
facilitator marks one "besvaras nu" (the projector shows it large) and then "besvarad".

Each write follows the activity rules of writes.py (the live activity only, a client_id that
replays). A like is a row unique per (question, person), so it counts once however often it
is sent; the counts come from the rows. Who may see a hidden question is access.py's rule.
"""

from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, func, insert, select, update
from typing_extensions import TypedDict

from .. import access
from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.time import Time, iso
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.operations import moderated_event
from ..extensions import db
from ..participants.operations import require_joined
from ..proposals.operations import ClientId, Replayed, checked_client_id, replayable
from .models import QUESTION_MAX, QUESTION_STATUSES, Activity, PanelLike, PanelQuestion
from .plan import ActivityShape, activity_shape
from .writes import live_activity_write

ASKED, LIKED = "panel_question", "panel_like"  # the receipts' kinds
QUESTIONS_PER_PERSON = 10  # per activity: a room's questions, not one person's essay
_likes = PanelLike.__table__


@request
class QuestionResponse(TypedDict):
    text: Annotated[str, Field(min_length=1, max_length=QUESTION_MAX, description=(
        "A question to the panel, one line."))]
    client_id: ClientId


@request
class LikeRequest(TypedDict):
    client_id: ClientId


@request
class QuestionStatusChange(TypedDict):
    status: Annotated[Literal[QUESTION_STATUSES], Field(description=(
        "live: being answered now (the one live before becomes answered); answered; hidden "
        "(only staff and its author see it); open: in the list (approves a pending one); "
        "pending: waiting for approval again."))]


class PanelQuestionShape(TypedDict):
    id: Id
    text: str
    likes: Annotated[int, Field(ge=0, description="People who like it.")]
    status: Annotated[Literal[QUESTION_STATUSES], Field(description=(
        "hidden and pending (waiting for approval) reach only staff and the author."))]
    created_at: Time
    mine: NotRequired[Annotated[bool, Field(description="This person asked it (not to staff).")]]


class QuestionAsked(TypedDict):
    question: PanelQuestionShape
    version: Version
    replayed: NotRequired[Replayed]


class LikeAnswer(TypedDict):
    question_id: Id
    liked: bool
    likes: Annotated[int, Field(ge=0)]
    version: Version
    replayed: NotRequired[Replayed]


class PanelResults(TypedDict):
    """The questions in order of likes (then oldest first), with who may see what applied."""

    activity_id: Id
    title: str
    questions: list[PanelQuestionShape]
    live: Annotated[PanelQuestionShape | None, Field(description="The one answered now.")]


class LivePanel(PanelResults):
    liked: Annotated[list[Id], Field(description="Questions this person likes; [] for staff.")]


def _shape(row, likes: int, viewer_kind: str) -> PanelQuestionShape:
    shape = {"id": row.id, "text": row.text, "likes": likes, "status": row.status,
             "created_at": iso(row.created_at)}
    if viewer_kind != "staff":
        shape["mine"] = viewer_kind == "author"
    return shape


def _rows(activity_id: int):
    like_count = (select(func.count(PanelLike.id)).where(PanelLike.question_id == PanelQuestion.id)
                  .correlate(PanelQuestion).scalar_subquery())
    return db.session.execute(
        select(PanelQuestion, like_count).where(PanelQuestion.activity_id == activity_id)
        .order_by(like_count.desc(), PanelQuestion.id)).all()


def results(shape: ActivityShape, viewer: access.Viewer = access.STAFF) -> PanelResults:
    questions = []
    for row, likes in _rows(shape["id"]):
        kind = access.panel_question_view(viewer, row.status, row.participant_id)
        if kind is not None:
            questions.append(_shape(row, likes, kind))
    return {"activity_id": shape["id"], "title": shape["title"], "questions": questions,
            "live": next((q for q in questions if q["status"] == "live"), None)}


def live_panel(shape: ActivityShape | None, viewer: access.Viewer) -> LivePanel | None:
    """The live questions activity as this viewer sees it (None: another one runs)."""
    if shape is None or shape["kind"] != "questions":
        return None
    liked = [] if viewer.participant_id is None else list(db.session.scalars(
        select(PanelLike.question_id).join(PanelQuestion, PanelQuestion.id == PanelLike.question_id)
        .where(PanelQuestion.activity_id == shape["id"],
               PanelLike.participant_id == viewer.participant_id)))
    return results(shape, viewer) | {"liked": sorted(liked)}


def _count_likes(session, question_id: int) -> int:
    return session.scalar(select(func.count(PanelLike.id))
                          .where(PanelLike.question_id == question_id))


@replayable
def ask(activity_id, token, text, client_id) -> QuestionAsked:
    require_joined(token)
    client_id = checked_client_id(client_id)
    text = clean_text(text, "text", QUESTION_MAX, multiline=False)
    with write_transaction() as session:
        event, version, participant, activity = live_activity_write(
            session, activity_id, token, client_id, ASKED, "questions")
        asked = session.scalar(select(func.count(PanelQuestion.id)).where(
            PanelQuestion.activity_id == activity.id,
            PanelQuestion.participant_id == participant.id))
        if asked >= QUESTIONS_PER_PERSON:
            raise OperationError("too_many_questions", _l(
                "You have asked %(n)d questions. Like the others' instead.",
                n=QUESTIONS_PER_PERSON), 409)
        # At an event that approves first, a question waits for a moderator like a proposal.
        question = PanelQuestion(activity_id=activity.id, participant_id=participant.id,
                                 text=text,
                                 status="pending" if event.moderation == "pre" else "open")
        session.add(question)
        session.flush()
        result = {"question": _shape(question, 0, "author"), "version": version}
        receipts.store(session, participant.id, client_id, ASKED, result)
        event_id = event.id
    publish("panel.changed", event_id, version)
    return result


@replayable
def like(question_id, token, client_id, liked: bool = True) -> LikeAnswer:
    """Like (or take back the like of) a question of the live questions activity."""
    require_joined(token)
    client_id = checked_client_id(client_id)
    if not is_id(question_id):
        raise not_found("question_not_found")
    with write_transaction() as session:
        event, version, participant, _activity = live_activity_write(
            session, None, token, client_id, LIKED, "questions",
            activity_of=select(PanelQuestion.activity_id).where(
                PanelQuestion.id == question_id).scalar_subquery())
        question = session.get(PanelQuestion, question_id)
        viewer = access.resident(participant)
        if question is None or access.panel_question_view(
                viewer, question.status, question.participant_id) is None:
            raise not_found("question_not_found")  # hidden or pending: as if not there
        session.execute(delete(_likes).where(_likes.c.question_id == question.id,
                                             _likes.c.participant_id == participant.id))
        if liked:
            session.execute(insert(_likes).values(question_id=question.id,
                                                  participant_id=participant.id))
        result = {"question_id": question.id, "liked": liked,
                  "likes": _count_likes(session, question.id), "version": version}
        receipts.store(session, participant.id, client_id, LIKED, result)
        event_id = event.id
    publish("panel.changed", event_id, version)
    return result


def event_of(question_id) -> int | None:
    """The event a question belongs to (None: no such question)."""
    if not is_id(question_id):
        return None
    return db.session.scalar(
        select(Activity.event_id).join(PanelQuestion, PanelQuestion.activity_id == Activity.id)
        .where(PanelQuestion.id == question_id))


def set_status(user, question_id, status, *, event_id: int | None = None) -> PanelResults:
    """A moderator hides or shows a question; marking one live makes the one live before
    answered (the partial unique index keeps one live per activity under races). `event_id`:
    the page asking (the console) names its event, and a question of another is not found."""
    if status not in QUESTION_STATUSES:
        raise OperationError("invalid_status", _l(
            "Choose open, live, answered, hidden or pending."), field="status")
    if not is_id(question_id):
        raise not_found("question_not_found")
    # A question never moves to another activity: its event is read before the write.
    owner = event_of(question_id)
    if owner is None or event_id not in (None, owner):
        raise not_found("question_not_found")
    event_id = owner
    with write_transaction() as session:
        _event, version = moderated_event(session, user, event_id, open_only=True)
        question = session.get(PanelQuestion, question_id)
        if question is None:  # erased meanwhile
            raise not_found("question_not_found")
        if status == "live":
            session.execute(update(PanelQuestion).where(
                PanelQuestion.activity_id == question.activity_id,
                PanelQuestion.status == "live", PanelQuestion.id != question.id)
                .values(status="answered").execution_options(synchronize_session=False))
        question.status = status
        session.flush()
        result = results(activity_shape(session.get(Activity, question.activity_id)))
    publish("panel.changed", event_id, version)
    return result
