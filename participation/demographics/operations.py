"""Answering the voluntary questions on who took part; the city setting its districts, its
population figures and its own question.

A person answers once per event: the `demographic_answered` row (the participant's id as its
key) is written in the same transaction as the answer, so a second answer, even a racing one,
is refused by the database. Every question may be left as "prefer not to say".
"""

import csv
import io
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from .. import access
from ..core.csvfile import ImportRefused, decode, normalise, problem, separator
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..events.operations import locked_event
from ..extensions import db
from ..participants import identity
from .models import (
    AGE_BANDS,
    DISTRICTS_MAX,
    EXTRA_OPTIONS_MAX,
    LABEL_MAX,
    DemographicAnswer,
    DemographicAnswered,
    ExtraQuestion,
    PopulationGroup,
)

# Well under the site's request limit (MAX_CONTENT_LENGTH): a city's districts fit in a few kB.
FILE_LIMIT = 48 * 1024
# ASCII digits only (str.isdigit also takes "²" and "①", which int() refuses), at most 8.
RESIDENTS = re.compile(r"[0-9]{1,8}")
# Header names, Swedish or English -> the column.
HEADERS = {"question": "dimension", "fråga": "dimension", "dimension": "dimension",
           "group": "label", "grupp": "label", "answer": "label", "svar": "label",
           "residents": "residents", "invånare": "residents", "antal": "residents",
           "population": "residents", "befolkning": "residents"}
DIMENSION_WORDS = {"age": "age", "ålder": "age", "åldersgrupp": "age",
                   "district": "district", "stadsdel": "district", "område": "district",
                   "kommundel": "district"}


class Options(TypedDict):
    age: list[str]
    district: list[str]
    extra_question: str | None
    extra: list[str]


def options() -> Options:
    """What the phones offer: the fixed age bands, the city's districts, its own question."""
    districts = db.session.scalars(select(PopulationGroup.label).where(
        PopulationGroup.dimension == "district").order_by(PopulationGroup.position)).all()
    extra = db.session.scalar(select(ExtraQuestion))
    return {"age": list(AGE_BANDS), "district": list(districts),
            "extra_question": extra.text if extra else None,
            "extra": extra.option_list() if extra else []}


def answer_state(event_id: int, token: str | None) -> str:
    """"answered"; "ready" (has taken part, may answer); "not_yet" (has not taken part)."""
    person = identity.find(event_id, token)
    if person is None:
        return "not_yet"
    return "answered" if db.session.get(DemographicAnswered, person.id) else "ready"


def _choice(value, allowed: list[str], field: str) -> str | None:
    if value in (None, ""):
        return None  # prefer not to say
    if not isinstance(value, str) or value not in allowed:
        raise OperationError("invalid_choice", _l("Choose one of the answers."), field=field)
    return value


def answer(event_id: int, token: str, age_band=None, district=None, extra=None) -> None:
    """Store one person's answers (each may be None: not said), once."""
    offered = options()
    values = {"age_band": _choice(age_band, offered["age"], "age_band"),
              "district": _choice(district, offered["district"], "district"),
              "extra": _choice(extra, offered["extra"], "extra")}
    try:
        with write_transaction() as session:
            event, _version = locked_event(session, event_id)
            if not event.asks_demographics:
                raise OperationError("not_asked", _l("This event does not ask this."), 409)
            if event.phase == "closed":
                raise OperationError("event_closed", _l("The event is closed."), 409)
            identity.require_take_part(session, event, token)
            # Only a phone that has taken part: a fresh cookie jar cannot add answers, and
            # the answer is never written in the same transaction as the person's row.
            person = identity.find(event.id, token, session)
            if person is None:
                raise OperationError("take_part_first", _l(
                    "Take part first (write, vote or choose your table), then answer."), 409)
            if session.get(DemographicAnswered, person.id) is not None:
                raise _already()
            session.add(DemographicAnswered(participant_id=person.id))
            session.add(DemographicAnswer(event_id=event.id, **values,
                                          extra_question=offered["extra_question"]))
    except IntegrityError:  # a racing second answer from the same phone
        raise _already() from None


def _already() -> OperationError:
    return OperationError("already_answered", _l("You have already answered. Thank you!"), 409)


def set_extra_question(user, text, option_lines) -> None:
    """The city's own question and its answers (one per line); an empty text removes it."""
    access.require_manage_population(user)
    text = clean_text(text, "text", 200, required=False, multiline=False)
    lines = [clean_text(line, "options", LABEL_MAX, required=False, multiline=False)
             for line in (option_lines or "").splitlines()]
    lines = list(dict.fromkeys(line for line in lines if line))
    if text and not 2 <= len(lines) <= EXTRA_OPTIONS_MAX:
        raise OperationError("invalid_options", _l(
            "Give between 2 and %(n)d answers, one per line.", n=EXTRA_OPTIONS_MAX),
            field="options")
    with write_transaction() as session:
        session.execute(delete(ExtraQuestion))
        if text:
            session.add(ExtraQuestion(text=text, options="\n".join(lines)))



def parse_population(raw: bytes) -> list[dict]:
    """Rows of (dimension, label, residents), every problem listed; nothing half-read."""
    text, _encoding = decode(raw, FILE_LIMIT)
    lines = text.splitlines()
    if not lines or not lines[0].strip():  # e.g. only a byte-order mark
        raise OperationError("empty_file", _l("The file is empty."), field="file")
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=separator(lines[0])))
    except csv.Error:
        raise ImportRefused([problem(1, "", _l("The CSV file is broken."))]) from None
    header = [HEADERS.get(normalise(name)) for name in records[0]]
    if sorted(h for h in header if h) != ["dimension", "label", "residents"]:
        raise ImportRefused([problem(1, "", _l(
            "The file needs the columns fråga, grupp and invånare (question, group, "
            "residents)."))])
    rows, problems, seen = [], [], set()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
        dimension = DIMENSION_WORDS.get(cells.get("dimension", "").lower())
        try:
            label = clean_text(cells.get("label", ""), "grupp", LABEL_MAX, multiline=False)
        except OperationError as error:
            problems.append(problem(number, "grupp", error.message))
            continue
        count = cells.get("residents", "").replace(" ", "").replace("\u00a0", "")
        count = count if RESIDENTS.fullmatch(count) else ""
        if dimension is None:
            problems.append(problem(number, "fråga", _l("Write ålder or stadsdel.")))
            continue
        if dimension == "age" and label not in AGE_BANDS:
            problems.append(problem(number, "grupp", _l(
                "Age bands are: %(bands)s.", bands=", ".join(AGE_BANDS))))
        elif (dimension, label) in seen:
            problems.append(problem(number, "grupp", _l("This group comes twice.")))
        if not count:
            problems.append(problem(number, "invånare", _l("Give a whole number of residents.")))
        seen.add((dimension, label))
        rows.append({"dimension": dimension, "label": label,
                     "residents": int(count) if count else 0})
    if sum(1 for r in rows if r["dimension"] == "district") > DISTRICTS_MAX:
        problems.append(problem(1, "", _l("At most %(n)d districts.", n=DISTRICTS_MAX)))
    if not rows and not problems:
        problems.append(problem(2, "", _l("The file has no rows.")))
    if problems:
        raise ImportRefused(problems)
    return rows


def import_population(user, raw: bytes) -> int:
    """Replace the city's figures (and so its list of districts) with the file's; the number
    of groups. Answers already given keep the district they named."""
    access.require_manage_population(user)
    rows = parse_population(raw)
    with write_transaction() as session:
        session.execute(delete(PopulationGroup))
        for position, row in enumerate(rows):
            session.add(PopulationGroup(position=position, **row))
    return len(rows)
