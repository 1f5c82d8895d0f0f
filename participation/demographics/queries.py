"""Who took part, aggregated, beside the city's population: the only way answers leave the
database (review page, event report).

Small numbers point at people: a count from 1 to 4 is shown as "fewer than 5", and more cells
are hidden until the hidden ones cannot be worked out from the total (suppress). Shares are of
all respondents, a number shown anyway, so a share gives away no hidden count. Below 5
respondents nothing is shown, and nothing while the event still takes answers: a table that
changes as people answer would tell whoever watches the room who answered what.
"""

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import func, select
from typing_extensions import TypedDict

from ..extensions import db
from ..participants.models import Participant
from .models import AGE_BANDS, DemographicAnswer, PopulationGroup
from .operations import options

MIN_CELL = 5
NOT_SAID = ""  # the key of the "prefer not to say" cell


class Cell(TypedDict):
    label: Annotated[str, Field(description="The group; empty: prefer not to say.")]
    count: Annotated[int | None, Field(description="None: fewer than 5, not shown.")]
    share: Annotated[float | None, Field(description=(
        "Of all who answered the questions (0-1); None when the count is not shown."))]
    population_share: Annotated[float | None, Field(description=(
        "Of the city's residents (0-1), from its imported figures; None without them."))]


class Dimension(TypedDict):
    key: Literal["age", "district", "extra"]
    question: Annotated[str | None, Field(description="The city's own question's text.")]
    rows: list[Cell]


class Representation(TypedDict):
    participants: Annotated[int, Field(description="Phones that took part in the event.")]
    waiting: Annotated[bool, Field(description=(
        "The event still takes answers: nothing is shown until it is closed."))]
    respondents: Annotated[int | None, Field(description=(
        "People who answered (None: fewer than 5; then no rows are shown)."))]
    has_population: bool
    dimensions: list[Dimension]


def suppress(counts: dict[str, int]) -> dict[str, int | None]:
    """1-4 hidden. Then, while the hidden cells together hold fewer than MIN_CELL people (so
    the total minus the shown cells would say exactly how few), or only one cell is hidden
    (so that difference would be that cell), the smallest shown non-zero cell is hidden too."""
    shown = {key: (None if 0 < n < MIN_CELL else n) for key, n in counts.items()}

    def hidden():
        return [key for key, n in shown.items() if n is None]

    while hidden() and (sum(counts[k] for k in hidden()) < MIN_CELL or len(hidden()) == 1):
        others = sorted((n, key) for key, n in shown.items() if n)
        if not others:
            break
        shown[others[0][1]] = None
    return shown


def _population(dimension: str) -> dict[str, float]:
    rows = db.session.execute(select(PopulationGroup.label, PopulationGroup.residents).where(
        PopulationGroup.dimension == dimension).order_by(PopulationGroup.position)).all()
    total = sum(n for _label, n in rows)
    return {label: n / total for label, n in rows} if total else {}


def _dimension(key: str, answers: list, offered: list[str], question=None) -> Dimension:
    counts = Counter(getattr(a, "age_band" if key == "age" else key) or NOT_SAID
                     for a in answers)
    total = len(answers)
    population = _population(key) if key in ("age", "district") else {}
    labels = list(offered) + sorted(set(counts) - set(offered) - {NOT_SAID}) + [NOT_SAID]
    shown = suppress({label: counts.get(label, 0) for label in labels})
    rows = []
    for label in labels:
        count = shown[label]
        rows.append({
            "label": label, "count": count,
            "share": count / total if count is not None and label != NOT_SAID else None,
            "population_share": population.get(label) if population else None})
    return {"key": key, "question": question, "rows": rows}


def representation(event) -> Representation:
    participants = db.session.scalar(select(func.count(Participant.id))
                                     .where(Participant.event_id == event.id)) or 0
    has_population = db.session.scalar(select(func.count(PopulationGroup.id))) > 0
    empty = {"participants": participants, "respondents": None, "waiting": False,
             "has_population": has_population, "dimensions": []}
    if event.phase != "closed":
        return empty | {"waiting": True}
    answers = db.session.scalars(select(DemographicAnswer)
                                 .where(DemographicAnswer.event_id == event.id)).all()
    if len(answers) < MIN_CELL:
        return empty
    offered = options()
    dimensions = [_dimension("age", answers, list(AGE_BANDS))]
    if offered["district"] or any(a.district for a in answers):  # not asked: no table
        dimensions.append(_dimension("district", answers, offered["district"]))
    # The city's question as each person was asked it: a question edited later is another
    # question, with only its own answers (and too few of them hides it whole).
    for question in sorted({a.extra_question for a in answers if a.extra_question}):
        asked = [a for a in answers if a.extra_question == question]
        if len(asked) >= MIN_CELL:
            current = offered["extra"] if question == offered["extra_question"] else []
            dimensions.append(_dimension("extra", asked, current, question))
    return {"participants": participants, "respondents": len(answers), "waiting": False,
            "has_population": has_population, "dimensions": dimensions}
