"""Who took part: voluntary answers from the phones, stored without a link to the person,
compared with the city's imported population, shown only in groups of at least 5."""

import re

import pytest
from sqlalchemy import func, inspect, select

from participation.demographics import operations as demographics
from participation.demographics.models import DemographicAnswer, PopulationGroup
from participation.demographics.queries import representation, suppress
from participation.events.operations import change_phase
from participation.extensions import db

from .conftest import csrf_from, login
from .test_forms_nojs import Resident

POPULATION = ("fråga;grupp;invånare\n"
              "ålder;18-29;2000\nålder;30-44;3000\nålder;45-64;3000\nålder;65-79;2000\n"
              "stadsdel;Centrum;6000\nstadsdel;Ersboda;4000\n").encode("cp1252")


def import_file(client, body: bytes, name="befolkning.csv"):
    import io
    page = client.get("/review/population").get_data(as_text=True)
    return client.post("/review/population", data={
        "csrf_token": csrf_from(page), "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data")


@pytest.fixture
def city(app, staff):
    http = app.test_client()
    login(http, staff.reviewer)
    assert import_file(http, POPULATION).status_code == 303
    return http


def close(staff, event):
    """Answers are shown once no more can come (queries.representation)."""
    for phase in ("vote", "results", "closed"):
        change_phase(staff.facilitator, event.id, phase)
    db.session.rollback()


def answer(app, event, **values):
    phone = Resident(app.test_client(), event.code)
    phone.propose("Ett förslag")  # the phone has taken part
    action = f"/j/{event.code}/who"
    assert phone.form(action).offered
    fields = {"csrf_token": csrf_from(phone.page), **{f"who-{k}": v for k, v in values.items()}}
    response = phone.http.post(action, data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    phone.open()
    assert action not in phone.page  # answered once: the form is gone
    return phone


def test_suppression_hides_small_cells_and_one_more_when_one_alone_would_show():
    assert suppress({"a": 7, "b": 3, "c": 0, "": 6}) == {"a": 7, "b": None, "c": 0, "": None}
    assert suppress({"a": 10, "b": 2, "c": 4}) == {"a": 10, "b": None, "c": None}
    assert suppress({"a": 5, "b": 9}) == {"a": 5, "b": 9}
    assert suppress({"a": 1}) == {"a": None}
    # Two hidden cells of 1 each: their total (2) would give both away; hide more.
    assert suppress({"a": 13, "b": 1, "c": 1}) == {"a": None, "b": None, "c": None}
    assert suppress({"a": 9, "b": 8, "c": 2, "d": 1}) == {"a": 9, "b": None, "c": None,
                                                         "d": None}


def test_answers_carry_no_link_to_the_person(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("demographic_answers")}
    assert columns == {"id", "event_id", "age_band", "district", "extra", "extra_question"}


def test_phones_answer_once_and_review_shows_groups_of_five_or_more(app, make_event, city,
                                                                     staff):
    event = make_event(phase="collect", asks_demographics=True)
    for _ in range(7):
        answer(app, event, age_band="30-44", district="Centrum")
    for _ in range(3):
        answer(app, event, age_band="65-79", district="Ersboda")
    answer(app, event)  # prefer not to say, on every question
    phone = answer(app, event)
    # A second answer from the same phone is refused, even posted by hand.
    again = phone.http.post(f"/j/{event.code}/who", data={
        "csrf_token": csrf_from(phone.page), "who-age_band": "18-29"})
    assert again.status_code == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count(DemographicAnswer.id))) == 12
    # Nothing while answers still come: a changing table would tell who answered what.
    assert representation(event)["waiting"] is True
    assert "Visas när aktiviteten är avslutad" in city.get(
        f"/review/events/{event.id}").get_data(as_text=True)

    close(staff, event)
    shape = representation(event)
    age = {r["label"]: r for r in shape["dimensions"][0]["rows"]}
    assert shape["respondents"] == 12
    # Shares are of all 12 who answered, a number shown anyway: no hidden count follows.
    assert age["30-44"]["count"] == 7 and age["30-44"]["share"] == pytest.approx(7 / 12)
    assert age["30-44"]["population_share"] == pytest.approx(0.3)
    assert age["65-79"]["count"] is None  # 3 people
    assert age[""]["count"] is None  # 2 "prefer not to say": 5 hidden together

    page = city.get(f"/review/events/{event.id}").get_data(as_text=True)
    table = page[page.index('id="representation-heading"'):]
    assert re.search(r"Centrum</th>\s*<td class=\"num\">7</td>", table)
    assert ">3<" not in table and ">2<" not in table


def test_fewer_than_five_respondents_show_nothing(app, make_event, city, staff):
    event = make_event(phase="collect", asks_demographics=True)
    for _ in range(4):
        answer(app, event, age_band="18-29")
    close(staff, event)
    assert representation(event)["respondents"] is None
    assert representation(event)["dimensions"] == []


def test_refused_answers_store_nothing(app, make_event, city):
    event = make_event(phase="collect", asks_demographics=True)
    phone = Resident(app.test_client(), event.code)
    bad = phone.http.post(f"/j/{event.code}/who", data={
        "csrf_token": csrf_from(phone.page), "who-age_band": "<script>", "who-district": "Mars"})
    assert bad.status_code == 400
    assert "Välj ett av svaren" in bad.get_data(as_text=True)
    # A phone that has only opened the page cannot add answers; the card waits, hidden, for
    # its first write.
    assert '<section id="who" class="card" aria-labelledby="who-heading" hidden>' in phone.page
    fresh = phone.http.post(f"/j/{event.code}/who", data={
        "csrf_token": csrf_from(phone.page), "who-age_band": "18-29"})
    assert fresh.status_code == 409
    plain = make_event(phase="collect")
    other = Resident(app.test_client(), plain.code)
    assert f"/j/{plain.code}/who" not in other.page
    refused = other.http.post(f"/j/{plain.code}/who", data={"csrf_token": csrf_from(other.page)})
    assert refused.status_code == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count(DemographicAnswer.id))) == 0


def test_population_file_problems_are_listed_and_nothing_is_stored(app, staff, city):
    # A file read whose rows (or header) are wrong: 422, the page listing the problems.
    for odd in ("fråga;grupp;invånare\nålder;18-29;²\n".encode(),
                "fråga;grupp;invånare\nålder;18-29;①\n".encode(),
                ("fråga;grupp;invånare\nålder;18-29;" + "9" * 5000 + "\n").encode(),
                "fråga;grupp\nålder;18-29\n".encode()):
        assert import_file(city, odd).status_code == 422, odd[:40]
    # A file that cannot be read at all (empty, only a byte-order mark, binary): 422 too, as
    # on the backlog's import page (a form understood, its file refused).
    for odd in (b"\xef\xbb\xbf", b"", b"\x00\x01"):
        assert import_file(city, odd).status_code == 422, odd[:40]
    broken = ("fråga;grupp;invånare\nålder;18-29;2000\nålder;7-8;10\nplanet;Mars;1\n"
              "stadsdel;Centrum;många\n").encode()
    response = import_file(city, broken)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for row in ("3", "4", "5"):
        assert f"<td>{row}</td>" in page
    db.session.rollback()
    # The earlier import is still there, whole.
    assert db.session.scalar(select(func.count(PopulationGroup.id))) == 6
    # A facilitator may not set the city's figures.
    facilitator = app.test_client()
    login(facilitator, staff.facilitator)
    assert facilitator.get("/review/population").status_code == 403


def test_the_city_question_is_asked_and_named_in_the_privacy_notice(app, staff, make_event,
                                                                     city):
    demographics.set_extra_question(staff.reviewer, "Hur tar du dig oftast till jobbet?",
                                    "Gång eller cykel\nKollektivtrafik\nBil")
    notice = app.test_client().get("/integritet").get_data(as_text=True)
    assert "Hur tar du dig oftast till jobbet?" in notice and "Ersboda" in notice
    event = make_event(phase="collect", asks_demographics=True)
    for _ in range(5):
        answer(app, event, extra="Kollektivtrafik")
    # The city rewords its question: later answers belong to the new question, not the old.
    demographics.set_extra_question(staff.reviewer, "Hur reser du oftast till centrum?",
                                    "Gång eller cykel\nKollektivtrafik\nBil")
    for _ in range(5):
        answer(app, event, extra="Bil")
    close(staff, event)
    shape = representation(event)
    assert shape["respondents"] == 10
    asked = {d["question"]: {r["label"]: r["count"] for r in d["rows"]}
             for d in shape["dimensions"][2:]}
    assert asked["Hur tar du dig oftast till jobbet?"]["Kollektivtrafik"] == 5
    assert asked["Hur reser du oftast till centrum?"]["Bil"] == 5
    assert "Bil" not in asked["Hur tar du dig oftast till jobbet?"]
    with pytest.raises(demographics.OperationError):
        demographics.set_extra_question(staff.facilitator, "Fråga", "a\nb")


def test_the_event_report_compares_with_the_city(app, make_event, city, staff):
    from .test_event_report import pdf_text
    event = make_event(phase="collect", asks_demographics=True)
    for _ in range(8):
        answer(app, event, age_band="30-44", district="Centrum")
    for _ in range(4):
        answer(app, event, age_band="18-29", district="Ersboda")
    for _ in range(2):
        answer(app, event)  # two small cells per question, 6 people: enough hidden
    close(staff, event)
    response = city.get(f"/events/{event.id}/report.pdf")
    assert response.status_code == 200
    text, pdf = pdf_text(response.data)
    section = text[text.index("Vilka som deltog"):]
    assert "Andel av invånarna" in section and "färre än 5" in section
    assert re.search(r"Centrum\s+8\s+57 %\s+60 %", section), section[:900]
    # Where it is, drawn as a person would see it (test-artifacts/, looked at by the team).
    page = next(i for i in range(len(pdf)) if "Vilka som deltog" in
                pdf[i].get_textpage().get_text_range())
    from pathlib import Path
    out = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    pdf[page].render(scale=1.5).to_pil().save(out / "report-representation.png")
