"""The evening's evaluation (docs/activities.md): a fixed short form, three ratings from 1 to 5
and one free text, one answer per person (a new one replaces it). Anonymous: staff get the
counts, the averages and the texts in alphabetical order, never who wrote what or when; the
projector shows only how many have answered."""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, func, select
from typing_extensions import TypedDict

from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, form_number
from ..extensions import db
from ..participants.operations import require_joined
from ..proposals.operations import ClientId, Replayed, checked_client_id, replayable
from .models import EVALUATION_TEXT_MAX, RATINGS, EvaluationAnswer
from .plan import ActivityShape
from .writes import live_activity_write

KIND = "evaluation"  # the receipts' kind
# The form's wording, one statement per rating key (models.RATINGS): 1 "not true at all" to
# 5 "completely true", the same scale for each, so the averages compare.
QUESTIONS = {
    "overall": _l("The evening was time well spent."),
    "heard": _l("What I said was listened to."),
    "next_steps": _l("I know what happens next with what was said tonight."),
}
Rating = Annotated[int, Field(ge=1, le=5)]


@request
class EvaluationResponse(TypedDict):
    ratings: Annotated[dict[str, Rating], Field(description=(
        "Keys overall, heard, next_steps; each 1 (worst) to 5 (best); any may be left out."))]
    text: NotRequired[Annotated[str, Field(max_length=EVALUATION_TEXT_MAX, description=(
        "Anything else about the evening."))]]
    client_id: ClientId


class Evaluated(TypedDict):
    activity_id: Id
    version: Version
    ratings: dict[str, Rating]
    text: str
    replayed: NotRequired[Replayed]


class MyEvaluation(TypedDict):
    ratings: dict[str, Rating]
    text: str


class RatingQuestion(TypedDict):
    key: str
    question: str


class RatingResult(RatingQuestion):
    answers: Annotated[int, Field(ge=0, description="People who gave this rating.")]
    average: Annotated[float | None, Field(description="Null before anyone rated it.")]
    counts: Annotated[list[Annotated[int, Field(ge=0)]], Field(
        min_length=5, max_length=5, description="People per rating 1 to 5.")]


class EvaluationResults(TypedDict):
    activity_id: Id
    title: str
    people: Annotated[int, Field(ge=0, description="People who answered.")]
    ratings: list[RatingResult]
    texts: Annotated[list[str], Field(description="The free texts, alphabetically.")]


class LiveEvaluation(TypedDict):
    """The live evaluation: the form, and this person's answer (null before one); staff get
    the results instead."""

    evaluation: ActivityShape
    questions: list[RatingQuestion]
    mine: Annotated[MyEvaluation | None, Field(description="Null before an answer; staff: null.")]
    results: NotRequired[EvaluationResults]


def questions() -> list[RatingQuestion]:
    return [{"key": key, "question": str(QUESTIONS[key])} for key in RATINGS]


def _rating(key, value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = form_number(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise OperationError("invalid_rating", _l("Choose a number from 1 to 5."),
                             field=f"ratings.{key}")
    return value


def _checked(ratings, text) -> tuple[dict[str, int], str]:
    if ratings is None:
        ratings = {}
    if not isinstance(ratings, dict) or set(ratings) - set(RATINGS):
        raise OperationError("invalid_ratings", _l(
            "Send the ratings as overall, heard and next_steps, each 1 to 5."), field="ratings")
    given = {k: r for k in RATINGS if (r := _rating(k, ratings.get(k))) is not None}
    text = clean_text(text, "text", EVALUATION_TEXT_MAX, required=False)
    if not given and not text:
        raise OperationError("empty_evaluation", _l(
            "Choose at least one rating or write something."), field="ratings")
    return given, text


@replayable
def answer(activity_id, token, ratings, text, client_id) -> Evaluated:
    require_joined(token)
    client_id = checked_client_id(client_id)
    given, text = _checked(ratings, text)
    with write_transaction() as session:
        event, version, participant, activity = live_activity_write(
            session, activity_id, token, client_id, KIND, "evaluation")
        session.execute(delete(EvaluationAnswer).where(
            EvaluationAnswer.activity_id == activity.id,
            EvaluationAnswer.participant_id == participant.id))
        session.add(EvaluationAnswer(activity_id=activity.id, participant_id=participant.id,
                                     text=text or None, **given))
        result = {"activity_id": activity.id, "version": version, "ratings": given,
                  "text": text}
        receipts.store(session, participant.id, client_id, KIND, result)
        event_id = event.id
    publish("evaluation.answered", event_id, version)
    return result


def results(shape: ActivityShape) -> EvaluationResults:
    """Counts and averages from the stored answers; the texts without who or when."""
    where = EvaluationAnswer.activity_id == shape["id"]
    ratings = []
    for item in questions():
        column = getattr(EvaluationAnswer, item["key"])
        counts = dict(db.session.execute(
            select(column, func.count()).where(where, column.is_not(None)).group_by(column)).all())
        answers = sum(counts.values())
        total = sum(r * n for r, n in counts.items())
        ratings.append(item | {"answers": answers,
                               "average": round(total / answers, 1) if answers else None,
                               "counts": [counts.get(r, 0) for r in range(1, 6)]})
    texts = sorted(db.session.scalars(select(EvaluationAnswer.text).where(
        where, EvaluationAnswer.text.is_not(None))), key=str.casefold)
    return {"activity_id": shape["id"], "title": shape["title"], "people": people(shape["id"]),
            "ratings": ratings, "texts": texts}


def people(activity_id: int) -> int:
    return db.session.scalar(select(func.count(EvaluationAnswer.id))
                             .where(EvaluationAnswer.activity_id == activity_id)) or 0


def live_evaluation(shape: ActivityShape | None, participant_id: int | None, *,
                    staff: bool = False) -> LiveEvaluation | None:
    if shape is None or shape["kind"] != "evaluation":
        return None
    live = {"evaluation": shape, "questions": questions(), "mine": None}
    if staff:
        live["results"] = results(shape)
    elif participant_id is not None:
        row = db.session.scalar(select(EvaluationAnswer).where(
            EvaluationAnswer.activity_id == shape["id"],
            EvaluationAnswer.participant_id == participant_id))
        if row is not None:
            live["mine"] = {"text": row.text or "", "ratings": {
                k: getattr(row, k) for k in RATINGS if getattr(row, k) is not None}}
    return live
