"""A rådslag's question cards: several prompts, each proposal answering one of them."""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import request
from ..core.errors import OperationError
from ..core.references import in_use
from ..core.tx import write_transaction
from ..core.validate import Id
from .inputs import QuestionTexts, clean_questions
from .models import Event, Question
from .operations import managed_event


class QuestionInfo(TypedDict):
    id: Id
    text: str


@request
class QuestionCards(TypedDict):
    questions: Annotated[QuestionTexts, Field(description=(
        "The event's question cards, in order; a text that stays keeps its id."))]


def questions_info(event) -> list[QuestionInfo]:
    return [{"id": q.id, "text": q.text} for q in event.questions]


def set_questions(user, event_id: int, texts) -> Event:
    """Replace the question cards. A text that stays keeps its id (and its proposals); a
    question that has proposals cannot be removed."""
    if not isinstance(texts, list | tuple):
        raise OperationError("invalid_questions", _l("Send the list of questions."),
                             field="questions")
    cleaned = clean_questions(texts)
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        existing = {q.text: q for q in event.questions}
        removed = [q.id for q in event.questions if q.text not in cleaned]
        if any(in_use(session, Question.__table__, question_id) for question_id in removed):
            raise OperationError(
                "question_in_use",
                _l("A question that already has proposals cannot be removed."), 409,
                field="questions")
        kept = []
        for position, text in enumerate(cleaned):
            question = existing.get(text) or Question(text=text)
            question.position = position
            kept.append(question)
        event.questions = kept
        session.flush()
        payload = questions_info(event)
    publish("event.questions", event.id, version, questions=payload)
    return event
