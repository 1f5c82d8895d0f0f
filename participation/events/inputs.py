"""Checks for an event's schedule and question cards, shared by creating and editing."""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ..core.errors import OperationError
from ..core.time import parse_when
from ..core.validate import clean_text
from .models import QUESTION_MAX

QUESTIONS_MAX = 8
QuestionTexts = Annotated[list[Annotated[str, Field(max_length=QUESTION_MAX)]],
                          Field(max_length=QUESTIONS_MAX)]


def parse_schedule(opens_at, closes_at, voting_opens_at=None):
    """(opens, voting opens, closes) as naive UTC, each None when left out, in that order."""
    opens, closes = parse_when(opens_at, "opens_at"), parse_when(closes_at, "closes_at")
    voting = parse_when(voting_opens_at, "voting_opens_at")
    if opens and closes and closes <= opens:
        raise OperationError("invalid_schedule", _l("The event must close after it opens."),
                             field="closes_at")
    if voting and opens and voting <= opens:
        raise OperationError("invalid_schedule",
                             _l("Voting must open after the event starts collecting."),
                             field="voting_opens_at")
    if voting and closes and closes <= voting:
        raise OperationError("invalid_schedule", _l("The event must close after voting opens."),
                             field="closes_at")
    return opens, voting, closes


def clean_questions(texts) -> list[str]:
    """Up to eight question texts, trimmed, blanks and repeats dropped, order kept."""
    if texts is None:
        return []
    if not isinstance(texts, list | tuple) or len(texts) > QUESTIONS_MAX:
        raise OperationError("invalid_questions",
                             _l("At most %(n)d questions.", n=QUESTIONS_MAX), field="questions")
    cleaned = []
    for text in texts:
        text = clean_text(text, "questions", QUESTION_MAX, required=False, multiline=False)
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned
