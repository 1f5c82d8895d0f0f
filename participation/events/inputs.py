"""Checks for an event's schedule and question cards, shared by creating and editing."""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ..core.errors import OperationError
from ..core.time import parse_when
from ..core.validate import clean_text
from .models import BALLOT_MEASURES_MAX, BUDGET_MAX_SEK, QUESTION_MAX

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


def parse_budget(voting: dict) -> tuple[int, list[int]]:
    """A budget ballot's (budget_sek, measure ids in ballot order), as given; whether the
    measures exist and may be on a ballot is asked of the database (operations)."""
    budget = voting.get("budget_sek")
    if not isinstance(budget, int) or isinstance(budget, bool) or not (
            1 <= budget <= BUDGET_MAX_SEK):
        raise OperationError(
            "invalid_budget",
            _l("The budget must be a whole number of kronor, from 1 to %(n)s.",
               n=f"{BUDGET_MAX_SEK:,}".replace(",", " ")),
            field="budget_sek")
    ids = voting.get("measure_ids")
    if not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
        raise OperationError("invalid_measures", _l("Choose the measures on the ballot."),
                             field="measure_ids")
    if not 1 <= len(ids) <= BALLOT_MEASURES_MAX:
        raise OperationError(
            "invalid_measures",
            _l("A budget ballot has 1 to %(n)d measures.", n=BALLOT_MEASURES_MAX),
            field="measure_ids")
    if len(set(ids)) != len(ids):
        raise OperationError("duplicate_measure",
                             _l("Each measure can be on the ballot only once."),
                             field="measure_ids")
    return budget, ids
